/**
 * Messages of the campaign workflow (`campaign-<id>`) and of its per-unit child
 * (`campaign-<id>-unit-<unitId>`), notice V and VI.4: the phases, the three deliverables every
 * participating unit owes, their inputs, the updates that file them and the signals between parent
 * and child.
 */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { WorkInformationType } from '../src/domain/enums';
import type { Clock } from './clock';
import type { Actor } from './clue.messages';

export type { Actor } from './clue.messages';

/**
 * scheduled → mobilization (动员部署) → implementation (组织实施) → summary (only when the report is due
 * after the implementation phase ends) → concluded (deadlines passed; late filings still accepted and
 * escalated) → closed (every unit filed everything) | cancelled (by a coordinator, any time).
 */
export const CAMPAIGN_PHASES = [
  'scheduled',
  'mobilization',
  'implementation',
  'summary',
  'concluded',
  'closed',
  'cancelled',
] as const;
export type CampaignPhase = (typeof CAMPAIGN_PHASES)[number];

/** Phase dates as epoch milliseconds. The notice's defaults: May 18–28, May 29–July 13, report due July 13. */
export interface CampaignDates {
  mobilizationStart: number;
  /** The implementation plan is due at the end of mobilization (notice V.I). */
  mobilizationEnd: number;
  implementationStart: number;
  /** Work information (≥ 3 pieces) is due by the end of implementation (notice VI.4). */
  implementationEnd: number;
  /** The summary report deadline (notice VI.4: "before July 13"). */
  summaryReportDue: number;
}

export const DELIVERABLE_KINDS = ['implementation_plan', 'work_information', 'summary_report'] as const;
export type DeliverableKind = (typeof DELIVERABLE_KINDS)[number];

export type Dues = Record<DeliverableKind, number>;

/** "Accurate risk points, effective measures and clear responsibilities" (notice V.I). */
export interface ImplementationPlanContent {
  riskPoints: string[];
  measures: string[];
  responsibilities: { duty: string; responsible: string }[];
  notes?: string;
}
export interface WorkInformationContent {
  type: WorkInformationType;
  title: string;
  content: string;
}
export interface TypicalCase {
  /** Resolved by the API from the id or reference the unit gave; a clue its unit leads or co-handles. */
  clueId: string;
  clueRef: string;
  title: string;
  summary: string;
}
/** Notice VI.4: overall situation, regional distribution, causes, difficulties and risk outlook, ≤ 3 typical cases, next steps. */
export interface SummaryReportContent {
  overallSituation: string;
  regionalDistribution: string;
  causes: string;
  difficultiesAndOutlook: string;
  nextSteps: string;
  typicalCases: TypicalCase[];
}

export type ImplementationPlanInput = ImplementationPlanContent & { actor: Actor };
export type WorkInformationInput = WorkInformationContent & { actor: Actor };
export type SummaryReportInput = SummaryReportContent & { actor: Actor };

export interface FiledDeliverable {
  kind: DeliverableKind;
  seq: number;
  participation: number;
  filedAt: number;
  filedBy: string;
  dueAt: number;
  late: boolean;
  content: ImplementationPlanContent | WorkInformationContent | SummaryReportContent;
}

/**
 * active: owes at least one deliverable; completed: filed everything (extra work information still
 * welcome); withdrawn: left the campaign, clocks cancelled, may rejoin; closed / cancelled: final.
 */
export type UnitStatus = 'active' | 'completed' | 'withdrawn' | 'closed' | 'cancelled';

export interface UnitDeliverablesState {
  campaignId: string;
  unitId: string;
  status: UnitStatus;
  /** 1 for the first participation, +1 each time the unit rejoins after leaving. */
  participation: number;
  joinedAt: number;
  leftAt?: number;
  leftReason?: string;
  dues: Dues;
  minInformation: number;
  maxTypicalCases: number;
  implementationPlan?: FiledDeliverable;
  information: FiledDeliverable[];
  summaryReport?: FiledDeliverable;
  clocks: Clock[];
  overdueLevel: number;
  nextDueAt?: number;
}

export interface CampaignUnit {
  unitId: string;
  status: UnitStatus;
  participation: number;
  joinedAt: number;
  leftAt?: number;
  leftReason?: string;
  /** Last status the child reported for this participation ("<participation>:<status>"). */
  reported?: string;
}

export interface CampaignState {
  campaignId: string;
  name: string;
  year: number;
  dates: CampaignDates;
  phase: CampaignPhase;
  units: CampaignUnit[];
  cancelled?: { by: string; reason: string; at: number };
  endedAt?: number;
}

/** Parent → child. */
export interface CloseUnitSignal {
  outcome: 'withdrawn' | 'closed' | 'cancelled';
  reason: string;
  by: string;
}
export interface RejoinSignal {
  participation: number;
  dues: Dues;
  by: string;
}
/** Child → parent, after the child has projected the change. */
export interface UnitStatusReport {
  unitId: string;
  participation: number;
  status: UnitStatus;
}

export interface AddUnitsInput {
  actor: Actor;
  unitIds: string[];
}
export interface RemoveUnitInput {
  actor: Actor;
  unitId: string;
  reason: string;
}
export interface CancelCampaignInput {
  actor: Actor;
  reason: string;
}

// Child (one unit's deliverables)
export const fileImplementationPlanUpdate = defineUpdate<UnitDeliverablesState, [ImplementationPlanInput]>(
  'implementation-plan',
);
export const fileInformationUpdate = defineUpdate<UnitDeliverablesState, [WorkInformationInput]>(
  'information',
);
export const fileSummaryReportUpdate = defineUpdate<UnitDeliverablesState, [SummaryReportInput]>(
  'summary-report',
);
export const unitStateQuery = defineQuery<UnitDeliverablesState>('unit-state');
export const closeUnitSignal = defineSignal<[CloseUnitSignal]>('close-unit');
export const rejoinSignal = defineSignal<[RejoinSignal]>('rejoin');

// Parent (the campaign)
export const addUnitsUpdate = defineUpdate<CampaignState, [AddUnitsInput]>('add-units');
export const removeUnitUpdate = defineUpdate<CampaignState, [RemoveUnitInput]>('remove-unit');
export const cancelCampaignUpdate = defineUpdate<CampaignState, [CancelCampaignInput]>('cancellation');
export const campaignStateQuery = defineQuery<CampaignState>('campaign-state');
export const unitStatusSignal = defineSignal<[UnitStatusReport]>('unit-status');

export function campaignWorkflowId(campaignId: string): string {
  return `campaign-${campaignId}`;
}
export function unitWorkflowId(campaignId: string, unitId: string): string {
  return `campaign-${campaignId}-unit-${unitId}`;
}
/** Clock id of one deliverable of one participation; unique within the campaign (clocks/escalations rows). */
export function deliverableClockId(unitId: string, kind: DeliverableKind, participation: number): string {
  return `${unitId}:${kind}:p${participation}`;
}

/** The phase a campaign is in at `t` (before it is closed or cancelled). */
export function phaseAt(d: CampaignDates, t: number): CampaignPhase {
  if (t < d.mobilizationStart) return 'scheduled';
  if (t < d.implementationStart) return 'mobilization';
  if (t < d.implementationEnd) return 'implementation';
  if (t < d.summaryReportDue) return 'summary';
  return 'concluded';
}

/** When the phase that holds at `t` ends (undefined once concluded). */
export function phaseEndsAt(d: CampaignDates, phase: CampaignPhase): number | undefined {
  switch (phase) {
    case 'scheduled':
      return d.mobilizationStart;
    case 'mobilization':
      return d.mobilizationEnd;
    case 'implementation':
      return d.implementationEnd;
    case 'summary':
      return d.summaryReportDue;
    default:
      return undefined;
  }
}

/** Next instant the phase changes after `t`. */
export function nextPhaseBoundary(d: CampaignDates, t: number): number | undefined {
  return [d.mobilizationStart, d.implementationStart, d.implementationEnd, d.summaryReportDue].find(
    (x) => x > t,
  );
}
