/**
 * Messages of the clue disposal workflow ("one thing, one policy", notice IV.3–IV.6, V.II):
 * its updates (each a stage transition, validated before it enters history), its query, and their inputs.
 */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { Grade, Nature, Role, Strategy } from '../src/domain/enums';
import type { Clock } from './clock';

export interface Actor {
  userId: string;
  role: Role;
  unitId?: string | null;
}

interface WithActor {
  actor: Actor;
}

export interface VerificationInput extends WithActor {
  findings: string;
  factsConfirmed: boolean;
}
export interface ClassificationInput extends WithActor {
  nature: Nature;
  repaymentAbility: 'none' | 'partial' | 'full' | 'unknown';
  repaymentWillingness: 'none' | 'low' | 'high' | 'unknown';
  reasoning: string;
}
export interface MilestoneInput {
  id?: string;
  title: string;
  dueAt: string;
}
export interface PlanInput extends WithActor {
  strategies: Strategy[];
  measures: string;
  responsiblePerson: string;
  milestones: MilestoneInput[];
}
export interface PlanReviewInput extends WithActor {
  decision: 'approve' | 'return';
  comment: string;
}
export interface ActionInput extends WithActor {
  description: string;
}
export interface MilestoneCompletionInput extends WithActor {
  milestoneId: string;
  note: string;
}
export interface ReferralInput extends WithActor {
  reason: string;
}
export interface ReferralAcknowledgementInput extends WithActor {
  decision: 'accepted' | 'returned';
  policeCaseNumber?: string;
  reason?: string;
}
export interface FollowUpInput extends WithActor {
  resurgence: boolean;
  findings: string;
}
export interface ClosureInput extends WithActor {
  summary: string;
}
export interface ClosureDecisionInput extends WithActor {
  decision: 'approve' | 'return';
  comment: string;
}
export interface ReopeningInput extends WithActor {
  reason: string;
}
export interface ExtensionRequestInput extends WithActor {
  clockId: string;
  newDueAt: string;
  reason: string;
}
export interface ExtensionDecisionInput extends WithActor {
  extensionId: string;
  decision: 'approve' | 'reject';
  comment: string;
}
export interface ClockPauseInput extends WithActor {
  clockId: string;
  reason: string;
}
export interface InformationExchangeInput extends WithActor {
  summary: string;
}
export interface RegradeInput extends WithActor {
  grade: Grade;
  keyClue: boolean;
  reason: string;
}

export type ClueStage =
  | 'registered'
  | 'verifying'
  | 'classifying'
  | 'planning'
  | 'plan_review'
  | 'disposing'
  | 'referred'
  | 'monitoring'
  | 'closure_review'
  | 'closed';

export interface Milestone {
  id: string;
  title: string;
  dueAt: number;
  completedAt?: number;
  note?: string;
}

export interface ReferralState {
  id: string;
  seq: number;
  status: 'awaiting' | 'accepted' | 'returned';
  sentAt: number;
  policeCaseNumber?: string;
  reason?: string;
  /** Stage the clue was in when referred (an accepted referral made while monitoring returns there). */
  from?: ClueStage;
}

/** What the workflow knows; returned by every update and by the `state` query. */
export interface ClueState {
  clueId: string;
  ref: string;
  stage: ClueStage;
  grade: Grade;
  keyClue: boolean;
  leadUnitId: string;
  coHandlingUnitIds: string[];
  verification?: { findings: string; factsConfirmed: boolean; by: string; at: number };
  classification?: Omit<ClassificationInput, 'actor'> & { by: string; at: number };
  plan?: Omit<PlanInput, 'actor' | 'milestones'> & {
    version: number;
    submittedBy: string;
    submittedAt: number;
    approvedAt?: number;
  };
  milestones: Milestone[];
  actions: { description: string; by: string; at: number }[];
  referrals: ReferralState[];
  followUps: { index: number; resurgence: boolean; findings: string; by: string; at: number }[];
  closure?: { summary: string; requestedBy: string; requestedAt: number; returnTo: ClueStage };
  closedAt?: number;
  reopenCount: number;
  clocks: Clock[];
  overdueLevel: number;
  nextDueAt?: number;
}

export const TRANSITIONS = [
  'verification',
  'classification',
  'plan',
  'plan-review',
  'actions',
  'milestone-completion',
  'referral',
  'referral-acknowledgement',
  'follow-ups',
  'closure',
  'closure-decision',
  'reopening',
  'deadline-extensions',
  'deadline-extension-decision',
  'clock-pauses',
  'clock-resumptions',
  'information-exchange',
  'regrade',
] as const;
export type Transition = (typeof TRANSITIONS)[number];

export const verifyUpdate = defineUpdate<ClueState, [VerificationInput]>('verification');
export const classifyUpdate = defineUpdate<ClueState, [ClassificationInput]>('classification');
export const submitPlanUpdate = defineUpdate<ClueState, [PlanInput]>('plan');
export const reviewPlanUpdate = defineUpdate<ClueState, [PlanReviewInput]>('plan-review');
export const recordActionUpdate = defineUpdate<ClueState, [ActionInput]>('actions');
export const completeMilestoneUpdate = defineUpdate<ClueState, [MilestoneCompletionInput]>(
  'milestone-completion',
);
export const referUpdate = defineUpdate<ClueState, [ReferralInput]>('referral');
export const acknowledgeReferralUpdate = defineUpdate<ClueState, [ReferralAcknowledgementInput]>(
  'referral-acknowledgement',
);
export const followUpUpdate = defineUpdate<ClueState, [FollowUpInput]>('follow-ups');
export const requestClosureUpdate = defineUpdate<ClueState, [ClosureInput]>('closure');
export const decideClosureUpdate = defineUpdate<ClueState, [ClosureDecisionInput]>('closure-decision');
export const reopenUpdate = defineUpdate<ClueState, [ReopeningInput]>('reopening');
export const requestExtensionUpdate = defineUpdate<ClueState, [ExtensionRequestInput]>('deadline-extensions');
export const decideExtensionUpdate = defineUpdate<ClueState, [ExtensionDecisionInput]>(
  'deadline-extension-decision',
);
export const pauseClockUpdate = defineUpdate<ClueState, [ClockPauseInput]>('clock-pauses');
export const resumeClockUpdate = defineUpdate<ClueState, [ClockPauseInput]>('clock-resumptions');
export const exchangeInformationUpdate = defineUpdate<ClueState, [InformationExchangeInput]>(
  'information-exchange',
);
export const regradeUpdate = defineUpdate<ClueState, [RegradeInput]>('regrade');

export const stateQuery = defineQuery<ClueState>('state');

/** What a run hands on: to the next run on continue-as-new, and as its result when it ends. */
export interface CarriedClue {
  state: ClueState;
  /** Sequence of the last timeline event: the next run's events continue after it (their keys stay unique). */
  eventSeq: number;
}
/** The state and event sequence a new run would carry (read before a reopening that may start one). */
export const carriedQuery = defineQuery<CarriedClue>('carried');
/**
 * Wakes a run to re-check its retention window: a clue closed under code that had none waits with no
 * timer, and takes the new path only at its next workflow task (`npm run admin -- end-closed-workflows`).
 */
export const retentionCheckSignal = defineSignal('retention-check');
