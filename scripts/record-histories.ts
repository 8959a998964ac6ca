/**
 * Records the event histories that `test/replay/replay.test.ts` replays against the current workflow code.
 *
 *   npx tsx scripts/record-histories.ts            # (re)writes test/histories/*.json
 *
 * Each scenario drives one clue workflow through a complete lifecycle on the time-skipping server, with
 * the real activities on a fresh PostgreSQL database and an in-process SMTP server, and writes the
 * history of every run (continue-as-new yields two files). Commit the files: they pin today's command
 * sequence, so a later change to the workflow that is not behind `patched()` fails the replay test.
 * Versions: `<scenario>.json` are recorded by the current code; `v1-<scenario>.json` were recorded before
 * the `patched('search-attributes-before-effects')` change and `v2-<scenario>.json` before
 * `patched('end-after-retention')` (a closed clue waited forever), `v3-<scenario>.json` before
 * `patched('clue-effects-in-one-activity')` (reminders, escalations, projection and notices as separate
 * activities); they prove that workflows started
 * earlier still replay. Keep an old version's files as long as workflows of that version may be running; after the
 * next `patched()` change, rename the current files (`v4-...`) before re-recording.
 */
import fs from 'node:fs';
import path from 'node:path';
import { WithStartWorkflowOperation, type WorkflowHandleWithFirstExecutionRunId } from '@temporalio/client';
import { WorkflowIdConflictPolicy, WorkflowIdReusePolicy } from '@temporalio/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { createSmtpMailer } from '../src/mail/mailer';
import type { ResolvedPolicy } from '../src/policy';
import * as m from '../workflows/clue.messages';
import { clueWorkflow, type ClueWorkflowInput } from '../workflows/clue.workflow';
import { createWorker } from '../workers/worker';
import { FIVE_DAY_CALENDAR_POLICY, actor, clueInput, insertClue, policy } from '../test/helpers/fixtures';
import { freshDatabase, startSmtp, timeSkippingEnv, untilIdle, type TestDb } from '../test/helpers/services';
import { historyToJson } from '../test/replay/history-json';

const OUT = path.resolve(__dirname, '..', 'test', 'histories');
const TASK_QUEUE = 'record-histories';
const DAY = 86_400_000;
const MINUTE = 60_000;
const iso = (ms: number) => new Date(ms).toISOString();

type Handle = WorkflowHandleWithFirstExecutionRunId<typeof clueWorkflow>;
interface Ctx {
  env: TestWorkflowEnvironment;
  db: TestDb;
}

async function start(
  ctx: Ctx,
  name: string,
  p: ResolvedPolicy,
  o: Partial<ClueWorkflowInput> = {},
): Promise<Handle> {
  const clue = await insertClue(ctx.db.em(), {
    leadUnitId: o.leadUnitId,
    coHandlingUnitIds: o.coHandlingUnitIds,
    grade: o.grade,
  });
  const handle = await ctx.env.client.workflow.start(clueWorkflow, {
    taskQueue: TASK_QUEUE,
    workflowId: `history-${name}`,
    args: [clueInput(clue, p, o)],
  });
  await handle.query(m.stateQuery);
  return handle;
}

const now = (ctx: Ctx) => ctx.env.currentTimeMs();
const sleepUntil = async (ctx: Ctx, t: number) => {
  const n = await now(ctx);
  if (t > n) await ctx.env.sleep(t - n);
};

const u = {
  verify: (hd: Handle) =>
    hd.executeUpdate(m.verifyUpdate, {
      args: [{ actor: actor.tushan, findings: 'facts confirmed', factsConfirmed: true }],
    }),
  classify: (hd: Handle, nature: m.ClassificationInput['nature']) =>
    hd.executeUpdate(m.classifyUpdate, {
      args: [
        {
          actor: actor.tushan,
          nature,
          repaymentAbility: 'partial',
          repaymentWillingness: 'low',
          reasoning: 'reasoning given',
        },
      ],
    }),
  plan: (hd: Handle, strategies: m.PlanInput['strategies'], dues: number[], first = 1) =>
    hd.executeUpdate(m.submitPlanUpdate, {
      args: [
        {
          actor: actor.tushan,
          strategies,
          measures: 'measures',
          responsiblePerson: 'Wang Fang',
          milestones: dues.map((d, k) => ({
            id: `m${first + k}`,
            title: `milestone ${first + k}`,
            dueAt: iso(d),
          })),
        },
      ],
    }),
  review: (hd: Handle, decision: 'approve' | 'return', comment = '') =>
    hd.executeUpdate(m.reviewPlanUpdate, { args: [{ actor: actor.coordinator, decision, comment }] }),
  milestone: (hd: Handle, id: string) =>
    hd.executeUpdate(m.completeMilestoneUpdate, {
      args: [{ actor: actor.tushan, milestoneId: id, note: 'done' }],
    }),
  action: (hd: Handle, d: string) =>
    hd.executeUpdate(m.recordActionUpdate, { args: [{ actor: actor.tushan, description: d }] }),
  followUp: (hd: Handle, resurgence: boolean) =>
    hd.executeUpdate(m.followUpUpdate, {
      args: [{ actor: actor.tushan, resurgence, findings: resurgence ? 'back again' : 'quiet' }],
    }),
  closure: (hd: Handle) =>
    hd.executeUpdate(m.requestClosureUpdate, { args: [{ actor: actor.tushan, summary: 'summary' }] }),
  decideClosure: (hd: Handle, decision: 'approve' | 'return') =>
    hd.executeUpdate(m.decideClosureUpdate, {
      args: [{ actor: actor.coordinator, decision, comment: decision === 'return' ? 'incomplete' : '' }],
    }),
  reopen: (hd: Handle) =>
    hd.executeUpdate(m.reopenUpdate, { args: [{ actor: actor.coordinator, reason: 'new reports' }] }),
  refer: (hd: Handle) =>
    hd.executeUpdate(m.referUpdate, { args: [{ actor: actor.tushan, reason: 'evidence supplied' }] }),
  ack: (hd: Handle, decision: 'accepted' | 'returned') =>
    hd.executeUpdate(m.acknowledgeReferralUpdate, {
      args: [
        {
          actor: actor.police,
          decision,
          policeCaseNumber: decision === 'accepted' ? 'GA-1' : undefined,
          reason: decision === 'returned' ? 'more evidence' : undefined,
        },
      ],
    }),
};

/** Scenario → drives its workflow(s); every run of each is written out (a scenario may start more than one chain of runs). */
const SCENARIOS: Record<string, (ctx: Ctx) => Promise<Handle | Handle[]>> = {
  /** Main path with a plan return, an overdue milestone, an extension, a pause, follow-ups, a closure return, closure and reopening. */
  'main-path': async (ctx) => {
    const hd = await start(ctx, 'main-path', FIVE_DAY_CALENDAR_POLICY);
    await sleepUntil(ctx, (await now(ctx)) + DAY);
    await u.verify(hd);
    await u.classify(hd, 'irregular');
    let t = await now(ctx);
    await u.plan(hd, ['warning_interview'], [t + 3 * DAY, t + 20 * DAY]);
    await u.review(hd, 'return', 'too vague');
    await u.plan(hd, ['warning_interview', 'standardized_rectification'], [t + 3 * DAY, t + 20 * DAY]);
    await u.review(hd, 'approve');
    await u.action(hd, 'interview held');
    await sleepUntil(ctx, t + 3 * DAY + MINUTE);
    await untilIdle(hd);
    await u.milestone(hd, 'm1');
    let s = await hd.query(m.stateQuery);
    const m2 = s.clocks.find((c) => c.label === 'm2' && c.status === 'open')!;
    s = await hd.executeUpdate(m.requestExtensionUpdate, {
      args: [
        { actor: actor.tushan, clockId: m2.id, newDueAt: iso(m2.dueAt + 5 * DAY), reason: 'awaiting audit' },
      ],
    });
    await hd.executeUpdate(m.decideExtensionUpdate, {
      args: [
        {
          actor: actor.coordinator,
          extensionId: s.clocks.find((c) => c.id === m2.id)!.pendingExtension!.id,
          decision: 'approve',
          comment: 'ok',
        },
      ],
    });
    await hd.executeUpdate(m.pauseClockUpdate, {
      args: [{ actor: actor.tushan, clockId: m2.id, reason: 'waiting on the court' }],
    });
    await sleepUntil(ctx, (await now(ctx)) + 2 * DAY);
    await hd.executeUpdate(m.resumeClockUpdate, {
      args: [{ actor: actor.tushan, clockId: m2.id, reason: 'ruling received' }],
    });
    await u.milestone(hd, 'm2');
    t = await now(ctx);
    await sleepUntil(ctx, t + 30 * DAY + MINUTE);
    await untilIdle(hd);
    await u.followUp(hd, false);
    await u.closure(hd);
    await u.decideClosure(hd, 'return');
    await u.closure(hd);
    await u.decideClosure(hd, 'approve');
    await u.reopen(hd);
    await u.verify(hd);
    return hd;
  },
  /** Cross-regional clue referred to public security: exchange, escalation of the acknowledgement, return, re-referral, acceptance, resurgence, re-grade. */
  referral: async (ctx) => {
    const hd = await start(ctx, 'referral', FIVE_DAY_CALENDAR_POLICY, {
      coHandlingUnitIds: ['changhuai-town'],
    });
    await hd.executeUpdate(m.exchangeInformationUpdate, {
      args: [{ actor: actor.changhuai, summary: 'branch found' }],
    });
    await u.verify(hd);
    await u.classify(hd, 'suspected_crime');
    const t = await now(ctx);
    await u.plan(hd, ['criminal_referral'], [t + 10 * DAY]);
    await u.review(hd, 'approve');
    await sleepUntil(ctx, t + 5 * DAY + MINUTE);
    await untilIdle(hd);
    await u.ack(hd, 'returned');
    await u.refer(hd);
    await u.ack(hd, 'accepted');
    await u.milestone(hd, 'm1');
    await u.followUp(hd, true);
    await hd.executeUpdate(m.regradeUpdate, {
      args: [{ actor: actor.coordinator, grade: 'I', keyClue: true, reason: 'worse than thought' }],
    });
    const t2 = await now(ctx);
    await u.plan(hd, ['administrative_penalty'], [t2 + DAY], 2);
    await u.review(hd, 'approve');
    return hd;
  },
  /** not_illegal: closure returned, classified again, closed. */
  'not-illegal': async (ctx) => {
    const hd = await start(ctx, 'not-illegal', FIVE_DAY_CALENDAR_POLICY);
    await u.verify(hd);
    await u.classify(hd, 'not_illegal');
    await u.decideClosure(hd, 'return');
    await u.classify(hd, 'not_illegal');
    await u.decideClosure(hd, 'approve');
    return hd;
  },
  /** Working days on cn-2026: a verification clock left to run through its reminder and all three levels. */
  'working-ladder': async (ctx) => {
    const p = policy({
      calendar: 'cn-2026',
      mode: 'working',
      tiers: { verification: 'P2D' },
      reminders: ['P1D'],
    });
    const hd = await start(ctx, 'working-ladder', p);
    await sleepUntil(ctx, (await now(ctx)) + 16 * DAY);
    await untilIdle(hd);
    await u.verify(hd);
    return hd;
  },
  /**
   * Workflows that end: a clue closed and left for the retention window completes with its carried
   * state (run 1); its reopening starts a new run under the same id from that state, as the reopening
   * route does (update-with-start), which is verified again (run 2).
   */
  'retention-end': async (ctx) => {
    const hd = await start(ctx, 'retention-end', FIVE_DAY_CALENDAR_POLICY);
    await u.verify(hd);
    await u.classify(hd, 'not_illegal');
    const closed = await u.decideClosure(hd, 'approve');
    await sleepUntil(ctx, closed.closedAt! + 90 * DAY + MINUTE);
    const carried = await hd.result();
    const startOp = new WithStartWorkflowOperation(clueWorkflow, {
      workflowId: hd.workflowId,
      taskQueue: TASK_QUEUE,
      args: [
        {
          ...clueInput({ id: carried.state.clueId, ref: carried.state.ref }, FIVE_DAY_CALENDAR_POLICY),
          carried,
        },
      ],
      workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
      workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE,
    });
    await ctx.env.client.workflow.executeUpdateWithStart(m.reopenUpdate, {
      args: [{ actor: actor.coordinator, reason: 'new reports' }],
      startWorkflowOperation: startOp,
    });
    const second = (await startOp.workflowHandle()) as Handle;
    await u.verify(second);
    return [hd, second];
  },
  /** Continue-as-new with open clocks, then more work in the second run. */
  'continue-as-new': async (ctx) => {
    const hd = await start(ctx, 'continue-as-new', FIVE_DAY_CALENDAR_POLICY, {
      continueAsNewAfterEvents: 60,
    });
    await u.verify(hd);
    await u.classify(hd, 'irregular');
    const t = await now(ctx);
    await u.plan(hd, ['warning_interview'], [t + 3 * DAY]);
    await u.review(hd, 'approve');
    const first = (await hd.describe()).runId;
    for (let i = 0; i < 30 && (await hd.describe()).runId === first; i++)
      await u.action(hd, `visit ${i + 1}`);
    if ((await hd.describe()).runId === first) throw new Error('continue-as-new did not happen');
    await sleepUntil(ctx, t + 3 * DAY + MINUTE);
    await untilIdle(hd);
    await u.milestone(hd, 'm1');
    return hd;
  },
};

async function runsOf(ctx: Ctx, hd: Handle): Promise<{ runId: string; json: string }[]> {
  const out: { runId: string; json: string }[] = [];
  // A handle from update-with-start names no first run: it is the run that started.
  let runId: string | undefined = hd.firstExecutionRunId ?? (await hd.describe()).runId;
  while (runId) {
    const history: Awaited<ReturnType<Handle['fetchHistory']>> = await ctx.env.client.workflow
      .getHandle(hd.workflowId, runId)
      .fetchHistory();
    out.push({ runId, json: historyToJson(history) });
    const last = history.events?.[history.events.length - 1];

    runId = last?.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId ?? undefined;
  }
  return out;
}

async function main() {
  const only = process.argv.slice(2);
  const [env, db, smtp] = await Promise.all([
    timeSkippingEnv(),
    freshDatabase('disposal_record'),
    startSmtp(),
  ]);
  const ctx: Ctx = { env, db };
  try {
    const worker = await createWorker({
      connection: env.nativeConnection,
      namespace: 'default',
      taskQueue: TASK_QUEUE,
      deps: { orm: db.orm, mailer: createSmtpMailer(smtp.url, 'District Office <noreply@district.local>') },
    });
    await worker.runUntil(async () => {
      fs.mkdirSync(OUT, { recursive: true });
      for (const [name, drive] of Object.entries(SCENARIOS)) {
        if (only.length && !only.includes(name)) continue;
        const chains = [await drive(ctx)].flat();
        const last = chains[chains.length - 1]!;
        await untilIdle(last);
        const runs = (await Promise.all(chains.map((hd) => runsOf(ctx, hd)))).flat();
        runs.forEach((r, i) => {
          const file = path.join(OUT, runs.length > 1 ? `${name}.run${i + 1}.json` : `${name}.json`);
          fs.writeFileSync(file, r.json);
          console.log(
            `wrote ${path.relative(process.cwd(), file)} (${JSON.parse(r.json).events.length} events)`,
          );
        });
        const latest = ctx.env.client.workflow.getHandle(last.workflowId);
        if ((await latest.describe()).status.name === 'RUNNING') await latest.terminate('recorded');
      }
    });
  } finally {
    await Promise.all([env.teardown(), db.close(), smtp.close()]);
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
