/**
 * Deadline policies (DESIGN "Deadline clocks"). Pure data + lookups so workflow code can use them:
 * the resolved policy (with its calendar) is snapshotted into each workflow's input, so a later
 * configuration change never alters the replay of a running workflow.
 */
import type { CalendarData, DurationMode } from './calendar';
import type { Grade } from './domain/enums';

export const TASK_KINDS = [
  'verification',
  'classification',
  'plan',
  'plan_review',
  'milestone',
  'referral_ack',
  'supplementary_evidence',
  'exchange',
  'follow_up',
  'closure_review',
  'implementation_plan',
  'work_information',
  'summary_report',
] as const;
export type TaskKind = (typeof TASK_KINDS)[number];

/** A duration for every grade, or one for all grades. ISO-8601, e.g. 'P5D', 'PT30S'. */
export type TierDurations = string | (Partial<Record<Grade, string>> & { default?: string });

export interface DeadlinePolicy {
  calendar: string;
  mode: DurationMode;
  /** How long each task may take, by risk grade where it matters. */
  tiers: Partial<Record<TaskKind, TierDurations>>;
  /** Reminder offsets before the due time, e.g. ['P3D', 'P1D']. */
  reminders: string[];
  /** Escalation ladder after the due time: index 0 is level 1 (at due), then level 2, level 3. */
  escalation: string[];
  /** Monitoring follow-up checks after disposal, from the start of monitoring (notice IV.4). */
  followUps: string[];
  /**
   * How long a closed clue's workflow waits for a reopening before it completes (calendar time from the
   * closure). Optional: policies snapshotted before it existed use DEFAULT_RETENTION.
   */
  retention?: string;
}

/**
 * 90 days: a quarter, the District Office's reporting period, and as long as the longest monitoring
 * follow-up. A clue is mostly reopened soon after closure (the same victims come back); a later
 * reopening still works, by a new run that carries the clue's state, so the window only bounds how many
 * workflows stay open.
 */
export const DEFAULT_RETENTION = 'P90D';

export interface ResolvedPolicy extends DeadlinePolicy {
  calendarData: CalendarData;
}

/** Defaults: working days on the official calendar; shorter clocks for graver grades. */
export const DEFAULT_POLICY: DeadlinePolicy = {
  calendar: 'cn-2026',
  mode: 'working',
  tiers: {
    verification: { I: 'P3D', II: 'P5D', III: 'P10D', IV: 'P15D' },
    classification: { I: 'P2D', II: 'P3D', III: 'P5D', IV: 'P5D' },
    plan: { I: 'P3D', II: 'P5D', III: 'P10D', IV: 'P10D' },
    plan_review: 'P3D',
    milestone: 'P10D',
    referral_ack: 'P5D',
    supplementary_evidence: 'P10D',
    exchange: 'P5D',
    follow_up: 'P5D',
    closure_review: 'P5D',
    implementation_plan: 'P5D',
    work_information: 'P5D',
    summary_report: 'P5D',
  },
  reminders: ['P3D', 'P1D'],
  escalation: ['PT0S', 'P2D', 'P5D'],
  followUps: ['P30D', 'P60D', 'P90D'],
  retention: DEFAULT_RETENTION,
};

/** Seconds-scale preset so a whole lifecycle can be watched in real time in a demo or a test. */
export const SECONDS_POLICY: DeadlinePolicy = {
  calendar: 'weekdays',
  mode: 'calendar',
  tiers: Object.fromEntries(
    Object.keys(DEFAULT_POLICY.tiers).map((k) => [k, 'PT20S']),
  ) as DeadlinePolicy['tiers'],
  reminders: ['PT10S'],
  escalation: ['PT0S', 'PT5S', 'PT10S'],
  followUps: ['PT5S', 'PT10S', 'PT15S'],
};

export const POLICY_PRESETS: Record<string, DeadlinePolicy> = {
  default: DEFAULT_POLICY,
  seconds: SECONDS_POLICY,
};

export function tierDuration(policy: DeadlinePolicy, task: TaskKind, grade: Grade): string {
  const tier = policy.tiers[task] ?? DEFAULT_POLICY.tiers[task];
  if (tier === undefined) throw new Error(`no deadline tier for task ${task}`);
  if (typeof tier === 'string') return tier;
  const d = tier[grade] ?? tier.default;
  if (d === undefined) throw new Error(`no deadline tier for task ${task} grade ${grade}`);
  return d;
}

export function mergePolicy(base: DeadlinePolicy, override: Partial<DeadlinePolicy>): DeadlinePolicy {
  return {
    ...base,
    ...override,
    tiers: { ...base.tiers, ...(override.tiers ?? {}) },
  };
}
