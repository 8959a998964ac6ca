/** Request and response schemas of the HTTP API. The OpenAPI document is generated from these. */
import { extendZodWithOpenApi } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import {
  GRADES,
  KEY_AREAS,
  KEY_BEHAVIOURS,
  NATURES,
  PUBLIC_OPINION_LEVELS,
  SOURCE_CHANNELS,
  STABILITY_RISK_LEVELS,
  STRATEGIES,
  SUBJECT_KINDS,
  CLUE_STAGES,
} from '../src/domain/enums';

extendZodWithOpenApi(z);

const text = (max = 4000) => z.string().trim().min(1).max(max);
const isoDateTime = z.iso.datetime({ offset: true });
const unitId = z.string().min(1).max(64).regex(/^[a-z0-9][a-z0-9-]*$/, 'unit ids are lowercase letters, digits and dashes');

export const ClueIntakeSchema = z
  .object({
    sourceChannel: z.enum(SOURCE_CHANNELS),
    description: text(8000),
    subject: z
      .object({
        name: text(200),
        kind: z.enum(SUBJECT_KINDS),
        creditCode: z.string().trim().max(18).optional(),
        registrationPlace: text(200).optional(),
        operatingPlace: text(200).optional(),
        frequentChanges: z.boolean().optional(),
      })
      .strict(),
    keyArea: z.enum(KEY_AREAS),
    keyBehaviours: z.array(z.enum(KEY_BEHAVIOURS)).max(KEY_BEHAVIOURS.length).default([]),
    online: z.boolean(),
    amountCny: z.number().finite().min(0).max(1e13),
    participants: z.number().int().min(0).max(100_000_000),
    publicOpinion: z.enum(PUBLIC_OPINION_LEVELS),
    stabilityRisk: z.enum(STABILITY_RISK_LEVELS),
    leadUnitId: unitId,
    coHandlingUnitIds: z.array(unitId).max(20).optional(),
    keyFlag: z.boolean().optional(),
    reporter: z.object({ name: text(100), contact: text(200) }).strict().optional(),
  })
  .strict()
  .openapi('ClueIntake');

export const RegisteredClueSchema = z
  .object({
    id: z.string(),
    ref: z.string(),
    grade: z.enum(GRADES),
    riskScore: z.number(),
    keyClue: z.boolean(),
    duplicateOfId: z.string().nullable(),
    workflowId: z.string(),
  })
  .openapi('RegisteredClue');

const milestone = z.object({ id: z.string().min(1).max(40).regex(/^[A-Za-z0-9_-]+$/).optional(), title: text(300), dueAt: isoDateTime }).strict();

/** Bodies of the transitions; each is a Temporal Update of the clue workflow. */
export const TransitionBodies = {
  verification: z.object({ findings: text(), factsConfirmed: z.boolean() }).strict(),
  classification: z
    .object({
      nature: z.enum(NATURES),
      repaymentAbility: z.enum(['none', 'partial', 'full', 'unknown']),
      repaymentWillingness: z.enum(['none', 'low', 'high', 'unknown']),
      reasoning: text(),
    })
    .strict(),
  plan: z
    .object({
      strategies: z.array(z.enum(STRATEGIES)).min(1).max(STRATEGIES.length),
      measures: text(),
      responsiblePerson: text(100),
      milestones: z.array(milestone).min(1).max(50),
    })
    .strict(),
  'plan-review': z.object({ decision: z.enum(['approve', 'return']), comment: z.string().max(4000).default('') }).strict(),
  actions: z.object({ description: text() }).strict(),
  'milestone-completion': z.object({ note: z.string().max(4000).default('') }).strict(),
  referral: z.object({ reason: text() }).strict(),
  'referral-acknowledgement': z
    .object({ decision: z.enum(['accepted', 'returned']), policeCaseNumber: text(64).optional(), reason: text().optional() })
    .strict(),
  'follow-ups': z.object({ resurgence: z.boolean(), findings: text() }).strict(),
  closure: z.object({ summary: text(8000) }).strict(),
  'closure-decision': z.object({ decision: z.enum(['approve', 'return']), comment: z.string().max(4000).default('') }).strict(),
  reopening: z.object({ reason: text() }).strict(),
  'deadline-extensions': z.object({ clockId: z.string().min(1).max(100), newDueAt: isoDateTime, reason: text() }).strict(),
  'deadline-extension-decision': z.object({ decision: z.enum(['approve', 'reject']), comment: z.string().max(4000).default('') }).strict(),
  'clock-pauses': z.object({ clockId: z.string().min(1).max(100), reason: text() }).strict(),
  'clock-resumptions': z.object({ clockId: z.string().min(1).max(100), reason: text() }).strict(),
  'information-exchange': z.object({ summary: text() }).strict(),
  regrade: z.object({ grade: z.enum(GRADES), keyClue: z.boolean(), reason: text() }).strict(),
} as const;

export const ClockSchema = z
  .object({
    clockId: z.string(),
    task: z.string(),
    unitId: z.string(),
    label: z.string().nullable(),
    startedAt: z.string(),
    dueAt: z.string(),
    status: z.enum(['open', 'paused', 'done', 'cancelled']),
    level: z.number(),
    completedAt: z.string().nullable(),
    late: z.boolean(),
    pendingExtensionId: z.string().nullable(),
  })
  .openapi('Clock');

export const ClueStateSchema = z
  .object({
    clueId: z.string(),
    ref: z.string(),
    stage: z.enum(CLUE_STAGES),
    grade: z.enum(GRADES),
    keyClue: z.boolean(),
    leadUnitId: z.string(),
    coHandlingUnitIds: z.array(z.string()),
    overdueLevel: z.number(),
    nextDueAt: z.string().nullable(),
    allowedTransitions: z.array(z.string()),
    clocks: z.array(ClockSchema),
    verification: z.unknown().optional(),
    classification: z.unknown().optional(),
    plan: z.unknown().optional(),
    milestones: z.array(z.unknown()),
    actions: z.array(z.unknown()),
    referrals: z.array(z.unknown()),
    followUps: z.array(z.unknown()),
    closure: z.unknown().optional(),
  })
  .openapi('ClueState');

export const ProblemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number(),
    detail: z.string(),
    instance: z.string().optional(),
    errors: z.array(z.object({ path: z.array(z.union([z.string(), z.number()])), message: z.string() }).loose()).optional(),
    allowedTransitions: z.array(z.string()).optional(),
  })
  .loose()
  .openapi('Problem');

export const ClueListQuery = z
  .object({
    stage: z.enum(CLUE_STAGES).optional(),
    grade: z.enum(GRADES).optional(),
    unit: unitId.optional(),
    keyArea: z.enum(KEY_AREAS).optional(),
    behaviour: z.enum(KEY_BEHAVIOURS).optional(),
    keyClue: z.enum(['true', 'false']).optional(),
    overdue: z.enum(['true', 'false']).optional(),
    q: z.string().max(100).optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    cursor: z.string().max(200).optional(),
  })
  .strict();

export const ClueSummarySchema = z
  .object({
    id: z.string(),
    ref: z.string(),
    subjectName: z.string(),
    sourceChannel: z.string(),
    keyArea: z.string(),
    keyBehaviours: z.array(z.string()),
    amountCny: z.number(),
    participants: z.number(),
    riskScore: z.number(),
    grade: z.string(),
    keyClue: z.boolean(),
    stage: z.string(),
    nature: z.string().nullable(),
    leadUnitId: z.string(),
    coHandlingUnitIds: z.array(z.string()),
    overdueLevel: z.number(),
    nextDueAt: z.string().nullable(),
    duplicateOfId: z.string().nullable(),
    createdAt: z.string(),
  })
  .openapi('ClueSummary');
