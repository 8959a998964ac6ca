/**
 * The clue disposal lifecycle on the time-skipping server, one test per branch: the main path, plan and
 * closure returns, reopening, not_illegal, resurgence, illegal transitions (rejected before history),
 * invalid content, and continue-as-new without losing state or open clocks.
 */
import { FailureType } from '../../src/domain/failures';
import * as m from '../../workflows/clue.messages';
import { FIVE_DAY_CALENDAR_POLICY as P, actor } from '../helpers/fixtures';
import { eventually } from '../helpers/services';
import {
  DAY,
  MINUTE,
  clockRows,
  driveTo,
  expectNoDuplicateMail,
  ms,
  notifications,
  rejected,
  sleepUntil,
  startClue,
  startHarness,
  timeline,
  upd,
  type ClueHandle,
  type Harness,
} from './harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness('clue-lifecycle');
});
afterEach(async () => {
  await h?.terminateAll();
});
afterAll(async () => {
  await h?.close();
});

const stagesOf = async (clueId: string) => (await timeline(h, clueId, 'stage.changed')).map((e) => e.data.to);
const now = () => h.env.currentTimeMs();

/** Names of the updates the history holds as accepted (a rejected update leaves no event at all). */
async function acceptedUpdates(hd: ClueHandle): Promise<string[]> {
  const history = await hd.fetchHistory();
  const names: string[] = [];
  for (const e of history.events ?? []) {
    const acc = e.workflowExecutionUpdateAcceptedEventAttributes;
    if (acc) names.push(acc.acceptedRequest?.input?.name ?? '?');
    const adm = e.workflowExecutionUpdateAdmittedEventAttributes;
    if (adm) names.push(`admitted:${adm.request?.input?.name ?? '?'}`);
  }
  return names;
}

describe('main path', () => {
  test('given a new clue, when it is verified, classified, planned (returned once), approved, disposed, followed up and its closure approved, then it passes through every stage and ends with no open clock', async () => {
    const clue = await startClue(h, P);
    const hd = clue.handle;
    let s = await upd.verify(hd);
    expect(s.stage).toBe('classifying');
    s = await upd.classify(hd, 'irregular');
    expect(s).toMatchObject({
      stage: 'planning',
      classification: { nature: 'irregular', repaymentAbility: 'partial' },
    });
    const t = await now();
    s = await upd.plan(hd, ['warning_interview', 'standardized_rectification'], [t + 3 * DAY, t + 4 * DAY]);
    expect(s.stage).toBe('plan_review');
    s = await upd.review(hd, 'return', 'milestones too vague');
    expect(s.stage).toBe('planning');
    s = await upd.plan(hd, ['warning_interview'], [t + 3 * DAY, t + 4 * DAY]);
    expect(s.plan?.version).toBe(2);
    s = await upd.review(hd, 'approve');
    expect(s.stage).toBe('disposing');
    expect(s.clocks.filter((c) => c.task === 'milestone' && c.status === 'open').map((c) => c.label)).toEqual(
      ['m1', 'm2'],
    );
    s = await upd.action(hd);
    s = await upd.milestone(hd, 'm1');
    expect(s.stage).toBe('disposing');
    s = await upd.milestone(hd, 'm2');
    // Monitoring: three follow-up clocks at 30, 60 and 90 days from the start of monitoring.
    expect(s.stage).toBe('monitoring');
    const fu = s.clocks.filter((c) => c.task === 'follow_up');
    expect(fu.map((c) => Math.round((c.dueAt - c.startedAt) / DAY))).toEqual([30, 60, 90]);
    s = await upd.followUp(hd);
    expect(s.followUps).toHaveLength(1);
    expect(s.clocks.find((c) => c.id === fu[0]!.id)?.status).toBe('done');
    s = await upd.requestClosure(hd);
    expect(s.stage).toBe('closure_review');
    s = await upd.decideClosure(hd, 'approve');
    expect(s.stage).toBe('closed');
    expect(s.closedAt).toBeDefined();
    expect(s.clocks.filter((c) => c.status === 'open' || c.status === 'paused')).toEqual([]);

    await eventually(async () =>
      expect(await stagesOf(clue.id)).toEqual([
        'verifying',
        'classifying',
        'planning',
        'plan_review',
        'planning',
        'plan_review',
        'disposing',
        'monitoring',
        'closure_review',
        'closed',
      ]),
    );
    const [row] = await h.db.q<
      { stage: string; nature: string; closed_at: Date | null; overdue_level: number }[]
    >('select stage, nature, closed_at, overdue_level from clues where id = ?', [clue.id]);
    expect(row).toMatchObject({ stage: 'closed', nature: 'irregular', overdue_level: 0 });
    expect(ms(row!.closed_at)).toBe(s.closedAt);
    // Every clock row is projected and closed.
    const rows = await clockRows(h, clue.id);
    expect(rows.length).toBe(s.clocks.length);
    expect(rows.every((r) => r.status === 'done' || r.status === 'cancelled')).toBe(true);
    // The lead unit was told of each stage change, once per change.
    const stageNotes = await notifications(h, clue.id, 'stage_changed');
    expect(stageNotes.filter((n) => n.user_id === 'u-tushan')).toHaveLength(10);
    expectNoDuplicateMail(h);
  });

  test('given a closure request, when the coordinator returns it, then the clue goes back to monitoring and can be closed later', async () => {
    const clue = await startClue(h, P);
    await driveTo(h, clue.handle, 'closure_review');
    let s = await upd.decideClosure(clue.handle, 'return', 'summary lacks the refund figures');
    expect(s.stage).toBe('monitoring');
    expect(s.clocks.find((c) => c.task === 'closure_review')?.status).toBe('done');
    s = await upd.requestClosure(clue.handle, 'refunds of CNY 1.2m made');
    s = await upd.decideClosure(clue.handle, 'approve');
    expect(s.stage).toBe('closed');
  });

  test('given a closed clue, when the coordinator reopens it, then it is verified again under a new clock', async () => {
    const clue = await startClue(h, P);
    await driveTo(h, clue.handle, 'closed');
    const s = await upd.reopen(clue.handle);
    expect(s).toMatchObject({ stage: 'verifying', reopenCount: 1 });
    expect(s.closedAt).toBeUndefined();
    expect(s.closure).toBeUndefined();
    const open = s.clocks.filter((c) => c.status === 'open');
    expect(open.map((c) => c.task)).toEqual(['verification']);
    expect(open[0]!.dueAt - open[0]!.startedAt).toBe(5 * DAY);
    await eventually(async () =>
      expect((await timeline(h, clue.id, 'clue.reopened'))[0]?.data.reason).toBe('new victims came forward'),
    );
  });
});

describe('not illegal', () => {
  test('given a clue classified not_illegal, then it goes straight to closure review under a District Office clock, and approval closes it', async () => {
    const clue = await startClue(h, P);
    await upd.verify(clue.handle);
    let s = await upd.classify(clue.handle, 'not_illegal');
    expect(s.stage).toBe('closure_review');
    expect(s.closure?.summary).toBe('deposits taken from the public');
    const review = s.clocks.find((c) => c.task === 'closure_review');
    expect(review).toMatchObject({ status: 'open', unitId: 'district-office' });
    s = await upd.decideClosure(clue.handle, 'approve');
    expect(s.stage).toBe('closed');
  });

  test('given a not_illegal classification, when the coordinator returns the closure, then the clue is classified again under a new clock', async () => {
    const clue = await startClue(h, P);
    await upd.verify(clue.handle);
    await upd.classify(clue.handle, 'not_illegal');
    const s = await upd.decideClosure(clue.handle, 'return', 'the returns promised are above market rates');
    expect(s.stage).toBe('classifying');
    expect(s.clocks.filter((c) => c.task === 'classification').map((c) => c.status)).toEqual([
      'done',
      'open',
    ]);
  });
});

describe('resurgence', () => {
  test('given a clue in monitoring, when a follow-up reports resurgence, then disposal reopens: a new plan is due and the remaining follow-ups are cancelled', async () => {
    const clue = await startClue(h, P);
    await driveTo(h, clue.handle, 'monitoring');
    const s = await upd.followUp(clue.handle, true);
    expect(s.stage).toBe('planning');
    expect(s.clocks.filter((c) => c.task === 'follow_up').map((c) => c.status)).toEqual([
      'done',
      'cancelled',
      'cancelled',
    ]);
    expect(s.clocks.filter((c) => c.task === 'plan' && c.status === 'open')).toHaveLength(1);
    // A new plan, approved, leads to monitoring again with a fresh set of follow-ups.
    const t = await now();
    // Milestone ids of the first plan stay taken (m1, m2 were completed): the new one is m3.
    await rejected(upd.plan(clue.handle, ['administrative_penalty'], [t + DAY]), FailureType.InvalidInput);
    await upd.plan(clue.handle, ['administrative_penalty'], [t + DAY], 3);
    await upd.review(clue.handle);
    const again = await upd.milestone(clue.handle, 'm3');
    expect(again.stage).toBe('monitoring');
    expect(again.clocks.filter((c) => c.task === 'follow_up' && c.status === 'open')).toHaveLength(3);
  });
});

describe('transitions the stage does not allow', () => {
  test('given a clue in verifying, when a plan is submitted, then it is rejected as InvalidTransition listing what is allowed, and the history holds no event for it', async () => {
    const clue = await startClue(h, P);
    const before = await acceptedUpdates(clue.handle);
    const t = await now();
    const f = await rejected(
      upd.plan(clue.handle, ['warning_interview'], [t + DAY]),
      FailureType.InvalidTransition,
    );
    expect(f.details?.[0]).toEqual({
      stage: 'verifying',
      allowed: expect.arrayContaining(['verification', 'deadline-extensions']) as unknown,
    });
    expect((f.details?.[0] as { allowed: string[] }).allowed).not.toContain('plan');
    await rejected(upd.decideClosure(clue.handle), FailureType.InvalidTransition);
    await rejected(upd.reopen(clue.handle), FailureType.InvalidTransition);
    // Nothing about the rejected updates reached the history.
    const after = await acceptedUpdates(clue.handle);
    expect(after).toEqual(before);
    expect(after.filter((n) => /plan|closure|reopening/.test(n))).toEqual([]);
    // A legal one does.
    await upd.verify(clue.handle);
    expect(await acceptedUpdates(clue.handle)).toEqual([...before, 'verification']);
  });

  test('given a closed clue, when anything but reopening is attempted, then it is an InvalidTransition', async () => {
    const clue = await startClue(h, P);
    await driveTo(h, clue.handle, 'closed');
    const f = await rejected(upd.action(clue.handle), FailureType.InvalidTransition);
    expect(f.details?.[0]).toEqual({ stage: 'closed', allowed: ['reopening'] });
    await rejected(
      clue.handle.executeUpdate(m.requestExtensionUpdate, {
        args: [
          {
            actor: actor.tushan,
            clockId: 'verification-1',
            newDueAt: new Date((await now()) + 30 * DAY).toISOString(),
            reason: 'x',
          },
        ],
      }),
      FailureType.InvalidTransition,
    );
  });

  test('given a clue in planning, when a plan has no milestone or a milestone in the past, then it is rejected as InvalidInput and nothing is recorded', async () => {
    const clue = await startClue(h, P);
    await driveTo(h, clue.handle, 'planning');
    const before = await acceptedUpdates(clue.handle);
    const f = await rejected(upd.plan(clue.handle, ['warning_interview'], []), FailureType.InvalidInput);
    expect(f.details?.[0]).toEqual({ path: ['milestones'] });
    await rejected(
      upd.plan(clue.handle, ['warning_interview'], [(await now()) - DAY]),
      FailureType.InvalidInput,
    );
    await rejected(upd.milestone(clue.handle, 'm9'), FailureType.InvalidTransition);
    expect(await acceptedUpdates(clue.handle)).toEqual(before);
    expect((await clue.handle.query(m.stateQuery)).stage).toBe('planning');
  });
});

describe('continue-as-new', () => {
  test('given a long history, when the workflow continues as new, then state, open clocks and pending reminders carry over and nothing is sent twice', async () => {
    const clue = await startClue(h, P, { continueAsNewAfterEvents: 60 });
    const hd = clue.handle;
    const firstRun = (await hd.describe()).runId;
    await upd.verify(hd);
    await upd.classify(hd);
    const t = await now();
    await upd.plan(hd, ['warning_interview'], [t + 3 * DAY, t + 9 * DAY]);
    await upd.review(hd);
    for (let i = 0; i < 12; i++) await upd.action(hd, `visit ${i + 1}`);
    await eventually(async () => expect((await hd.describe()).runId).not.toBe(firstRun), 30_000);
    const s = await hd.query(m.stateQuery);
    expect(s.stage).toBe('disposing');
    expect(s.actions).toHaveLength(12);
    expect(s.clocks.filter((c) => c.status === 'open').map((c) => c.label)).toEqual(['m1', 'm2']);

    // The open milestone clocks keep working in the new run: m1 reminds and escalates on time.
    await sleepUntil(h, t + 3 * DAY + MINUTE);
    await eventually(async () => {
      const esc = await h.db.q<{ clock_id: string; level: number }[]>(
        'select clock_id, level from escalations where owner_id = ?',
        [clue.id],
      );
      expect(esc).toEqual([{ clock_id: s.clocks.find((c) => c.label === 'm1')!.id, level: 1 }]);
    });
    const reminders = await notifications(h, clue.id, 'reminder');
    expect(reminders.filter((n) => n.key.includes(':milestone-')).length).toBeGreaterThan(0);
    expect(new Set(reminders.map((n) => `${n.key}|${n.user_id}`)).size).toBe(reminders.length);
    // Timeline keys are one sequence across runs: no gap, no repeat.
    const seqs = (await timeline(h, clue.id))
      .map((e) => Number(/:e(\d+)$/.exec(e.key)![1]))
      .sort((a, b) => a - b);
    expect(seqs).toEqual(seqs.map((_, i) => i + 1));
    // More work after the hand-over is recorded normally.
    const done = await upd.milestone(hd, 'm1');
    expect(done.clocks.find((c) => c.label === 'm1')?.late).toBe(true);
    expect(done.overdueLevel).toBe(0);
    expectNoDuplicateMail(h);
  });
});
