import { ArrayType, EntitySchema } from '@mikro-orm/core';

/**
 * A clue on the total risk list (notice IV.3). Process state lives in Temporal; stage, grade,
 * overdue level and next due time here are projections written by activities.
 */
export interface Clue {
  id: string;
  ref: string;
  seq: number;
  sourceChannel: string;
  description: string;
  subjectName: string;
  subjectNameNorm: string;
  subjectKind: string;
  creditCode?: string | null;
  registrationPlace?: string | null;
  operatingPlace?: string | null;
  frequentChanges: boolean;
  keyArea: string;
  keyBehaviours: string[];
  online: boolean;
  amountCny: number;
  participants: number;
  publicOpinion: string;
  stabilityRisk: string;
  targetsVulnerable: boolean;
  /** AES-256-GCM ciphertext of {name, contact}; only coordinators can unmask it. */
  reporterEnc?: string | null;
  leadUnitId: string;
  coHandlingUnitIds: string[];
  duplicateOfId?: string | null;
  riskScore: number;
  grade: string;
  keyFlag: boolean;
  keyClue: boolean;
  stage: string;
  nature?: string | null;
  overdueLevel: number;
  nextDueAt?: Date | null;
  referredToUnitId?: string | null;
  idempotencyKey?: string | null;
  importKey?: string | null;
  createdBy: string;
  createdAt: Date;
  updatedAt: Date;
  closedAt?: Date | null;
  /** When the clue's workflow completed after its retention window (null while a run is open). */
  workflowEndedAt?: Date | null;
  /** The state that run carried, for a reopening once Temporal no longer has the run. */
  workflowCarried?: unknown;
}

export const ClueSchema = new EntitySchema<Clue>({
  name: 'Clue',
  tableName: 'clues',
  indexes: [
    { properties: ['leadUnitId', 'stage'] },
    { properties: ['grade', 'createdAt'] },
    { properties: ['keyClue', 'createdAt'] },
  ],
  properties: {
    id: { type: 'string', primary: true, length: 64 },
    ref: { type: 'string', length: 32, unique: true },
    seq: { type: 'integer', unique: true },
    sourceChannel: { type: 'string', length: 32 },
    description: { type: 'text' },
    subjectName: { type: 'string' },
    subjectNameNorm: { type: 'string', index: true },
    subjectKind: { type: 'string', length: 32 },
    creditCode: { type: 'string', length: 18, nullable: true, index: true },
    registrationPlace: { type: 'string', nullable: true },
    operatingPlace: { type: 'string', nullable: true },
    frequentChanges: { type: 'boolean', default: false },
    keyArea: { type: 'string', length: 48 },
    keyBehaviours: { type: ArrayType, columnType: 'text[]', default: '{}' },
    online: { type: 'boolean', default: false },
    amountCny: { type: 'double' },
    participants: { type: 'integer' },
    publicOpinion: { type: 'string', length: 16 },
    stabilityRisk: { type: 'string', length: 16 },
    targetsVulnerable: { type: 'boolean', default: false },
    reporterEnc: { type: 'text', nullable: true, lazy: true },
    leadUnitId: { type: 'string', length: 64 },
    coHandlingUnitIds: { type: ArrayType, columnType: 'text[]', default: '{}' },
    duplicateOfId: { type: 'string', length: 64, nullable: true },
    riskScore: { type: 'integer' },
    grade: { type: 'string', length: 4 },
    keyFlag: { type: 'boolean', default: false },
    keyClue: { type: 'boolean', default: false },
    stage: { type: 'string', length: 24 },
    nature: { type: 'string', length: 40, nullable: true },
    overdueLevel: { type: 'integer', default: 0 },
    nextDueAt: { type: 'datetime', nullable: true },
    referredToUnitId: { type: 'string', length: 64, nullable: true },
    idempotencyKey: { type: 'string', length: 200, nullable: true, unique: true },
    importKey: { type: 'string', length: 200, nullable: true, unique: true },
    createdBy: { type: 'string', length: 64 },
    createdAt: { type: 'datetime', defaultRaw: 'now()' },
    updatedAt: { type: 'datetime', defaultRaw: 'now()' },
    closedAt: { type: 'datetime', nullable: true },
    workflowEndedAt: { type: 'datetime', nullable: true },
    workflowCarried: { type: 'json', nullable: true, lazy: true },
  },
});
