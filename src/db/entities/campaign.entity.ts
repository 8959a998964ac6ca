import { EntitySchema } from '@mikro-orm/core';

/**
 * A special investigation campaign (notice V, VI.4). Process state lives in Temporal (`campaign-<id>`);
 * phase and status here are projections written by the `projectCampaign` activity.
 */
export interface Campaign {
  id: string;
  name: string;
  year: number;
  mobilizationStart: Date;
  mobilizationEnd: Date;
  implementationStart: Date;
  implementationEnd: Date;
  summaryReportDue: Date;
  /** scheduled | mobilization | implementation | summary | concluded | closed | cancelled */
  phase: string;
  /** active | closed | cancelled */
  status: string;
  minInformation: number;
  maxTypicalCases: number;
  /** The deadline policy snapshotted at start (without calendar data). */
  policy: Record<string, unknown>;
  workflowId: string;
  createdBy: string;
  idempotencyKey?: string | null;
  requestHash?: string | null;
  cancelledBy?: string | null;
  cancelReason?: string | null;
  endedAt?: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export const CampaignSchema = new EntitySchema<Campaign>({
  name: 'Campaign',
  tableName: 'campaigns',
  indexes: [{ properties: ['status', 'createdAt'] }],
  properties: {
    id: { type: 'string', primary: true, length: 64 },
    name: { type: 'string', length: 64 },
    year: { type: 'integer' },
    mobilizationStart: { type: 'datetime' },
    mobilizationEnd: { type: 'datetime' },
    implementationStart: { type: 'datetime' },
    implementationEnd: { type: 'datetime' },
    summaryReportDue: { type: 'datetime' },
    phase: { type: 'string', length: 24 },
    status: { type: 'string', length: 16 },
    minInformation: { type: 'integer', default: 3 },
    maxTypicalCases: { type: 'integer', default: 3 },
    policy: { type: 'json' },
    workflowId: { type: 'string', length: 128 },
    createdBy: { type: 'string', length: 64 },
    idempotencyKey: { type: 'string', length: 200, nullable: true, unique: true },
    requestHash: { type: 'string', length: 64, nullable: true },
    cancelledBy: { type: 'string', length: 64, nullable: true },
    cancelReason: { type: 'text', nullable: true },
    endedAt: { type: 'datetime', nullable: true },
    createdAt: { type: 'datetime', defaultRaw: 'now()' },
    updatedAt: { type: 'datetime', defaultRaw: 'now()' },
  },
});

/** One unit's participation (status active | completed | withdrawn | cancelled) and its due times. */
export interface CampaignUnit {
  campaignId: string;
  unitId: string;
  status: string;
  participation: number;
  joinedAt: Date;
  leftAt?: Date | null;
  leaveReason?: string | null;
  workflowId: string;
  implementationPlanDueAt?: Date | null;
  workInformationDueAt?: Date | null;
  summaryReportDueAt?: Date | null;
  overdueLevel: number;
  nextDueAt?: Date | null;
  updatedAt: Date;
}

export const CampaignUnitSchema = new EntitySchema<CampaignUnit>({
  name: 'CampaignUnit',
  tableName: 'campaign_units',
  indexes: [{ properties: ['unitId', 'status'] }],
  properties: {
    campaignId: { type: 'string', primary: true, length: 64 },
    unitId: { type: 'string', primary: true, length: 64 },
    status: { type: 'string', length: 16 },
    participation: { type: 'integer', default: 1 },
    joinedAt: { type: 'datetime' },
    leftAt: { type: 'datetime', nullable: true },
    leaveReason: { type: 'text', nullable: true },
    workflowId: { type: 'string', length: 200 },
    implementationPlanDueAt: { type: 'datetime', nullable: true },
    workInformationDueAt: { type: 'datetime', nullable: true },
    summaryReportDueAt: { type: 'datetime', nullable: true },
    overdueLevel: { type: 'integer', default: 0 },
    nextDueAt: { type: 'datetime', nullable: true },
    updatedAt: { type: 'datetime', defaultRaw: 'now()' },
  },
});

/**
 * What a unit filed: kind implementation_plan (seq 1) | work_information (seq 1..n, content.type) |
 * summary_report (seq 1; content.typicalCases[] with clueId/clueRef). Read by the district summary report.
 */
export interface CampaignDeliverable {
  id: number;
  campaignId: string;
  unitId: string;
  kind: string;
  seq: number;
  participation: number;
  content: Record<string, unknown>;
  filedAt: Date;
  filedBy: string;
  dueAt?: Date | null;
  late: boolean;
}

export const CampaignDeliverableSchema = new EntitySchema<CampaignDeliverable>({
  name: 'CampaignDeliverable',
  tableName: 'campaign_deliverables',
  uniques: [{ properties: ['campaignId', 'unitId', 'kind', 'seq'] }],
  indexes: [{ properties: ['campaignId', 'kind'] }],
  properties: {
    id: { type: 'integer', primary: true, autoincrement: true },
    campaignId: { type: 'string', length: 64 },
    unitId: { type: 'string', length: 64 },
    kind: { type: 'string', length: 32 },
    seq: { type: 'integer' },
    participation: { type: 'integer', default: 1 },
    content: { type: 'json' },
    filedAt: { type: 'datetime' },
    filedBy: { type: 'string', length: 64 },
    dueAt: { type: 'datetime', nullable: true },
    late: { type: 'boolean', default: false },
  },
});
