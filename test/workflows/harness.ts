/**
 * Shared set-up for the clue workflow suites: a time-skipping Temporal server, a fresh PostgreSQL
 * database, an in-process SMTP server and a worker with the real activities. Plus small readers of the
 * projections (notifications, escalations, timeline, mail) and drivers that walk a clue to a stage.
 */
import { WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { FailureType } from '../../src/domain/failures';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { createSmtpMailer } from '../../src/mail/mailer';
import pino from 'pino';
import { loadConfig } from '../../src/config';
import type { AppContext } from '../../src/context';
import type { DeadlinePolicy, ResolvedPolicy } from '../../src/policy';
import { createWorker } from '../../workers/worker';
import * as m from '../../workflows/clue.messages';
import type { Actor, ClueStage, ClueState } from '../../workflows/clue.messages';
import { clueWorkflow, type ClueWorkflowInput } from '../../workflows/clue.workflow';
import { actor, clueInput, insertClue } from '../helpers/fixtures';
import {
  eventually,
  freshDatabase,
  pendingWork,
  startSmtp,
  testWorkflowBundle,
  timeSkippingEnv,
  type TestDb,
  type TestSmtp,
} from '../helpers/services';

export const DAY = 86_400_000;
export const HOUR = 3_600_000;
export const MINUTE = 60_000;
/** UTC+08:00, the offset of the bundled calendars. */
export const CST = 8 * HOUR;

export type ClueHandle = WorkflowHandle<typeof clueWorkflow>;

export interface Harness {
  env: TestWorkflowEnvironment;
  db: TestDb;
  smtp: TestSmtp;
  taskQueue: string;
  /** Clue workflows started through `startClue`. */
  started: ClueHandle[];
  /**
   * Terminates the clue workflows started so far. Time on the server is shared by every test of a suite,
   * so a clue left running keeps reminding and escalating while later tests skip weeks ahead.
   */
  terminateAll(): Promise<void>;
  close(): Promise<void>;
}

export async function startHarness(
  taskQueue: string,
  o: { policeWebhook?: { url: string; secret: string } } = {},
): Promise<Harness> {
  const [env, db, smtp] = await Promise.all([timeSkippingEnv(), freshDatabase(), startSmtp()]);
  let worker: Worker;
  try {
    worker = await createWorker({
      connection: env.nativeConnection,
      namespace: 'default',
      workflowBundlePath: testWorkflowBundle(),
      taskQueue,
      deps: {
        orm: db.orm,
        mailer: createSmtpMailer(smtp.url, 'District Office <noreply@district.local>'),
        policeWebhook: o.policeWebhook,
      },
    });
  } catch (err) {
    await Promise.all([env.teardown(), db.close(), smtp.close()]);
    throw err;
  }
  const running = worker.run();
  const started: ClueHandle[] = [];
  return {
    env,
    db,
    smtp,
    taskQueue,
    started,
    async terminateAll() {
      for (const first of started.splice(0)) {
        // The latest run under the id (a reopening after the workflow ended starts a new one); a run
        // that ended after its retention window has nothing left to terminate.
        const hd: ClueHandle = env.client.workflow.getHandle(first.workflowId);
        if ((await hd.describe()).status.name !== 'RUNNING') continue;
        // Only once idle: the test server keeps its time-skipping lock for an activity or workflow task
        // whose workflow was terminated under it, and every later sleep would then wait in real time.
        // (Its describe does not report pending workflow tasks, so the history is read instead.)
        await eventually(async () => {
          expect(await busy(hd)).toBe(false);
          await new Promise((r) => setTimeout(r, 100));
          expect(await busy(hd)).toBe(false);
        });
        await hd.terminate('test finished');
      }
    },
    async close() {
      worker.shutdown();
      await running;
      await Promise.all([env.teardown(), db.close(), smtp.close()]);
    },
  };
}

/** Whether a workflow task or an activity of the workflow is scheduled or running. */
export async function busy(hd: ClueHandle): Promise<boolean> {
  return pendingWork(await hd.fetchHistory());
}

/** Inserts a clue row and starts its workflow; resolves once the workflow has projected its start. */
export async function startClue(
  h: Harness,
  policy: ResolvedPolicy,
  o: Partial<ClueWorkflowInput> = {},
): Promise<{ id: string; ref: string; handle: ClueHandle }> {
  const clue = await insertClue(h.db.em(), {
    leadUnitId: o.leadUnitId,
    coHandlingUnitIds: o.coHandlingUnitIds,
    grade: o.grade,
  });
  const handle = await h.env.client.workflow.start(clueWorkflow, {
    taskQueue: h.taskQueue,
    workflowId: `clue-${clue.id}`,
    args: [clueInput(clue, policy, o)],
  });
  h.started.push(handle);
  await eventually(async () => {
    const [row] = await h.db.q<{ stage: string }[]>('select stage from clues where id = ?', [clue.id]);
    expect(row?.stage).toBe('verifying');
  });
  return { ...clue, handle };
}

/** The local (UTC+08:00) instant `days` days after the start of the local day of `t`, at `hour`:00. */
export function localAt(t: number, days: number, hour: number): number {
  const day = Math.floor((t + CST) / DAY);
  return (day + days) * DAY + hour * HOUR - CST;
}

/** Next local Thursday (strictly after today) at `hour`:00, UTC+08:00. */
export function nextThursday(t: number, hour = 10): number {
  const day = Math.floor((t + CST) / DAY);
  const dow = (((day + 4) % 7) + 7) % 7; // 0 = Sunday
  const ahead = (4 - dow + 7) % 7 || 7;
  return localAt(t, ahead, hour);
}

/** Advances the time-skipping server to `target` (firing every timer on the way). */
export async function sleepUntil(h: Harness, target: number): Promise<void> {
  const now = await h.env.currentTimeMs();
  if (target > now) await h.env.sleep(target - now);
}

export const iso = (ms: number) => new Date(ms).toISOString();
/** Epoch ms of a timestamp column (the driver may hand back a Date or a string). */
export const ms = (v: Date | string | null | undefined): number =>
  v === null || v === undefined ? NaN : new Date(v).getTime();

// ---- readers --------------------------------------------------------------------------------------

export interface NotificationRow {
  key: string;
  user_id: string;
  kind: string;
  subject: string;
  body: string;
  locale: string;
}
export const notifications = (h: Harness, clueId: string, kind?: string) =>
  h.db.q<NotificationRow[]>(
    `select key, user_id, kind, subject, body, locale from notifications where owner_id = ? ${kind ? 'and kind = ?' : ''} order by id`,
    kind ? [clueId, kind] : [clueId],
  );

export interface EscalationRow {
  key: string;
  clock_id: string;
  task: string;
  unit_id: string;
  level: number;
  status: string;
  escalated_at: Date | string;
  due_at: Date | string;
}
export const escalations = (h: Harness, clueId: string) =>
  h.db.q<EscalationRow[]>(
    `select key, clock_id, task, unit_id, level, status, escalated_at, due_at from escalations where owner_id = ? order by level, id`,
    [clueId],
  );

export interface TimelineRow {
  key: string;
  kind: string;
  actor_id: string | null;
  data: Record<string, unknown>;
  at: Date | string;
}
export const timeline = (h: Harness, clueId: string, kind?: string) =>
  h.db.q<TimelineRow[]>(
    `select key, kind, actor_id, data, at from timeline_events where owner_id = ? ${kind ? 'and kind = ?' : ''} order by at, id`,
    kind ? [clueId, kind] : [clueId],
  );

export const clockRows = (h: Harness, clueId: string) =>
  h.db.q<
    {
      clock_id: string;
      task: string;
      unit_id: string;
      status: string;
      level: number;
      due_at: Date | string;
    }[]
  >(
    `select clock_id, task, unit_id, status, level, due_at from clocks where owner_id = ? order by clock_id`,
    [clueId],
  );

/** Mails captured by the SMTP server for this clue (Message-IDs embed the business key, hence the clue id). */
export const mailsOf = (h: Harness, clueId: string) =>
  h.smtp.mails.filter((x) => x.messageId.includes(clueId));

/** Every captured Message-ID is unique: nothing was sent twice. */
export function expectNoDuplicateMail(h: Harness): void {
  const ids = h.smtp.mails.map((x) => x.messageId);
  expect(ids.length).toBeGreaterThan(0);
  expect(new Set(ids).size).toBe(ids.length);
}

/** The update must fail with this failure type; returns the failure. */
export async function rejected(p: Promise<unknown>, type: FailureType): Promise<ApplicationFailure> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(WorkflowUpdateFailedError);
  const cause = (err as WorkflowUpdateFailedError).cause;
  expect(cause).toBeInstanceOf(ApplicationFailure);
  expect((cause as ApplicationFailure).type).toBe(type);
  return cause as ApplicationFailure;
}

// ---- drivers --------------------------------------------------------------------------------------

export const upd = {
  verify: (hd: ClueHandle, a: Actor = actor.tushan) =>
    hd.executeUpdate(m.verifyUpdate, {
      args: [{ actor: a, findings: 'facts confirmed on site', factsConfirmed: true }],
    }),
  classify: (hd: ClueHandle, nature: m.ClassificationInput['nature'] = 'suspected_illegal_fundraising') =>
    hd.executeUpdate(m.classifyUpdate, {
      args: [
        {
          actor: actor.tushan,
          nature,
          repaymentAbility: 'partial',
          repaymentWillingness: 'high',
          reasoning: 'deposits taken from the public',
        },
      ],
    }),
  /** Milestones m<first>, m<first+1>, ... due at the given instants (server time: the validator rejects past ones). */
  plan: (hd: ClueHandle, strategies: m.PlanInput['strategies'], milestoneDueAt: number[], first = 1) =>
    hd.executeUpdate(m.submitPlanUpdate, {
      args: [
        {
          actor: actor.tushan,
          strategies,
          measures: 'interview the principals; order rectification',
          responsiblePerson: 'Wang Fang',
          milestones: milestoneDueAt.map((t, k) => ({
            id: `m${first + k}`,
            title: `milestone ${first + k}`,
            dueAt: iso(t),
          })),
        },
      ],
    }),
  review: (hd: ClueHandle, decision: 'approve' | 'return' = 'approve', comment = '') =>
    hd.executeUpdate(m.reviewPlanUpdate, { args: [{ actor: actor.coordinator, decision, comment }] }),
  milestone: (hd: ClueHandle, milestoneId: string) =>
    hd.executeUpdate(m.completeMilestoneUpdate, {
      args: [{ actor: actor.tushan, milestoneId, note: 'done' }],
    }),
  action: (hd: ClueHandle, description = 'warning interview held') =>
    hd.executeUpdate(m.recordActionUpdate, { args: [{ actor: actor.tushan, description }] }),
  refer: (hd: ClueHandle, reason = 'suspected crime') =>
    hd.executeUpdate(m.referUpdate, { args: [{ actor: actor.tushan, reason }] }),
  accept: (hd: ClueHandle, policeCaseNumber = 'GA-2026-0001') =>
    hd.executeUpdate(m.acknowledgeReferralUpdate, {
      args: [{ actor: actor.police, decision: 'accepted', policeCaseNumber }],
    }),
  returnReferral: (hd: ClueHandle, reason = 'bank statements missing') =>
    hd.executeUpdate(m.acknowledgeReferralUpdate, {
      args: [{ actor: actor.police, decision: 'returned', reason }],
    }),
  followUp: (hd: ClueHandle, resurgence = false) =>
    hd.executeUpdate(m.followUpUpdate, {
      args: [{ actor: actor.tushan, resurgence, findings: resurgence ? 'meetings resumed' : 'no activity' }],
    }),
  requestClosure: (hd: ClueHandle, summary = 'rectified; funds returned') =>
    hd.executeUpdate(m.requestClosureUpdate, { args: [{ actor: actor.tushan, summary }] }),
  decideClosure: (hd: ClueHandle, decision: 'approve' | 'return' = 'approve', comment = '') =>
    hd.executeUpdate(m.decideClosureUpdate, { args: [{ actor: actor.coordinator, decision, comment }] }),
  reopen: (hd: ClueHandle, reason = 'new victims came forward') =>
    hd.executeUpdate(m.reopenUpdate, { args: [{ actor: actor.coordinator, reason }] }),
};

/**
 * Walks a clue along the main path until it is in `stage`. Milestones m1, m2 are due 10 and 20 days after
 * the plan (server time); for 'referred' the plan includes a criminal referral.
 */
export async function driveTo(h: Harness, hd: ClueHandle, stage: ClueStage): Promise<ClueState> {
  let s = await hd.query(m.stateQuery);
  const order: ClueStage[] = [
    'verifying',
    'classifying',
    'planning',
    'plan_review',
    'disposing',
    'monitoring',
    'closure_review',
    'closed',
  ];
  const referred = stage === 'referred';
  const target: ClueStage = referred ? 'disposing' : stage;
  const past = (x: ClueStage) => order.indexOf(target) > order.indexOf(x);
  if (s.stage === 'verifying' && past('verifying')) s = await upd.verify(hd);
  if (s.stage === 'classifying' && past('classifying')) s = await upd.classify(hd);
  if (s.stage === 'planning' && past('planning')) {
    const now = await h.env.currentTimeMs();
    s = await upd.plan(hd, referred ? ['warning_interview', 'criminal_referral'] : ['warning_interview'], [
      now + 10 * DAY,
      now + 20 * DAY,
    ]);
  }
  if (s.stage === 'plan_review' && past('plan_review')) s = await upd.review(hd);
  if (s.stage === 'disposing' && past('disposing')) {
    for (const ms of s.milestones.filter((x) => x.completedAt === undefined))
      s = await upd.milestone(hd, ms.id);
  }
  if (s.stage === 'monitoring' && past('monitoring')) s = await upd.requestClosure(hd);
  if (s.stage === 'closure_review' && past('closure_review')) s = await upd.decideClosure(hd);
  expect(s.stage).toBe(stage);
  return s;
}

/**
 * The AppContext the API's services get, on this harness: its client, database and task queue, with
 * `policy` as the deployment's deadline policy (a run the service starts snapshots it).
 */
export function serviceContext(h: Harness, policy: DeadlinePolicy): AppContext {
  const config = loadConfig({ NODE_ENV: 'test' });
  return {
    config: { ...config, policy, temporal: { ...config.temporal, taskQueue: h.taskQueue } },
    orm: h.db.orm,
    temporal: h.env.client,
    reporterKey: '0'.repeat(64),
    log: pino({ level: 'silent' }),
  };
}
