/**
 * Workflows that end (issue 13): a closed clue's workflow completes after the retention window with its
 * carried state; a reopening inside the window keeps the run; a reopening after it starts a new run under
 * the same workflow id through the service the reopening route calls (update-with-start), carrying the
 * clue on without a second registration or a duplicated effect; a second closure starts the window over.
 */
import { reopenClue, wakeExpiredClosedClues } from '../../src/services/clues';
import type { AppContext } from '../../src/context';
import * as m from '../../workflows/clue.messages';
import type { CarriedClue, ClueState } from '../../workflows/clue.messages';
import { actor, policy } from '../helpers/fixtures';
import { eventually } from '../helpers/services';
import {
  DAY,
  MINUTE,
  driveTo,
  expectNoDuplicateMail,
  ms,
  serviceContext,
  sleepUntil,
  startClue,
  startHarness,
  timeline,
  upd,
  type ClueHandle,
  type Harness,
} from './harness';

/** Calendar time, every task 5 days, follow-ups 30/60/90 days, closed clues kept open 10 days. */
const P = policy({
  mode: 'calendar',
  calendar: 'weekdays',
  tiers: {
    verification: 'P5D',
    classification: 'P5D',
    plan: 'P5D',
    plan_review: 'P5D',
    closure_review: 'P5D',
  },
  reminders: ['P3D', 'P1D'],
  escalation: ['PT0S', 'P2D', 'P5D'],
  retention: 'P10D',
});

let h: Harness;
let ctx: AppContext;
beforeAll(async () => {
  h = await startHarness('clue-retention');
  ctx = serviceContext(h, P);
});
afterEach(async () => {
  await h?.terminateAll();
});
afterAll(async () => {
  await h?.close();
});

const now = () => h.env.currentTimeMs();
const latest = (hd: ClueHandle): ClueHandle => h.env.client.workflow.getHandle(hd.workflowId);
const status = async (hd: ClueHandle) => (await latest(hd).describe()).status.name;
const runId = async (hd: ClueHandle) => (await latest(hd).describe()).runId;
const reopen = (clueId: string, reason = 'new victims came forward'): Promise<ClueState> =>
  reopenClue(ctx, clueId, { actor: actor.coordinator, reason });

async function ledger(clueId: string) {
  const [row] = await h.db.q<
    { stage: string; workflow_ended_at: Date | string | null; workflow_carried: CarriedClue | null }[]
  >('select stage, workflow_ended_at, workflow_carried from clues where id = ?', [clueId]);
  return row!;
}

/** Every timeline key of the clue's event sequence, as numbers (`clue:<id>:e<n>`). */
async function eventSeqs(clueId: string): Promise<number[]> {
  return (await timeline(h, clueId))
    .map((e) => /:e(\d+)$/.exec(e.key)?.[1])
    .filter((x): x is string => x !== undefined)
    .map(Number)
    .sort((a, b) => a - b);
}

const outboxKeys = async (clueId: string) =>
  (
    await h.db.q<{ key: string }[]>(`select key from mail_outbox where key like ? order by key`, [
      `%${clueId}%`,
    ])
  ).map((r) => r.key);
const notificationKeys = async (clueId: string) =>
  (
    await h.db.q<{ key: string; user_id: string }[]>(
      `select key, user_id from notifications where owner_id = ? order by key, user_id`,
      [clueId],
    )
  ).map((r) => `${r.key}|${r.user_id}`);

type HistoryEvent = NonNullable<Awaited<ReturnType<ClueHandle['fetchHistory']>>['events']>[number];
const decode = (data: Uint8Array | null | undefined): unknown =>
  data ? JSON.parse(new TextDecoder().decode(data)) : undefined;
/** Ids of the patches whose markers the history holds. */
const patchesOf = (events: HistoryEvent[]): string[] =>
  events.flatMap((e) =>
    Object.values(e.markerRecordedEventAttributes?.details ?? {}).flatMap((d) =>
      (d.payloads ?? []).map((x) => String((decode(x.data) as { id?: unknown } | undefined)?.id)),
    ),
  );

/** Closed through the main path; resolves with the state and the instant the window runs out. */
async function closedClue() {
  const clue = await startClue(h, P);
  const s = await driveTo(h, clue.handle, 'closed');
  return { clue, closed: s, windowEnd: s.closedAt! + 10 * DAY };
}

/** After a reopening: verified, classified, planned (milestones m3, m4: m1, m2 are the first plan's), disposed and closed again. */
async function closeAgain(hd: ClueHandle): Promise<ClueState> {
  await upd.verify(hd);
  await upd.classify(hd, 'irregular');
  const t = await now();
  await upd.plan(hd, ['warning_interview'], [t + 10 * DAY, t + 20 * DAY], 3);
  await upd.review(hd);
  await upd.milestone(hd, 'm3');
  await upd.milestone(hd, 'm4');
  await upd.requestClosure(hd);
  const s = await upd.decideClosure(hd);
  expect(s.stage).toBe('closed');
  return s;
}

/** Waits until the run has completed, the ledger says so, and returns the run's result. */
async function endedRun(clueId: string, hd: ClueHandle): Promise<CarriedClue> {
  await eventually(async () => expect(await status(hd)).toBe('COMPLETED'));
  await eventually(async () => expect((await ledger(clueId)).workflow_ended_at).not.toBeNull());
  return (await h.env.client.workflow.getHandle(hd.workflowId, await runId(hd)).result()) as CarriedClue;
}

describe('retention window', () => {
  test('given a closed clue, when the retention window passes, then the workflow has completed and its result carries the state', async () => {
    const { clue, closed, windowEnd } = await closedClue();
    await sleepUntil(h, windowEnd - MINUTE);
    expect(await status(clue.handle)).toBe('RUNNING');

    await sleepUntil(h, windowEnd + MINUTE);
    const result = await endedRun(clue.id, clue.handle);
    expect(result.state).toMatchObject({ clueId: clue.id, stage: 'closed', closedAt: closed.closedAt });
    expect(result.state.clocks).toEqual(closed.clocks);
    const seqs = await eventSeqs(clue.id);
    expect(result.eventSeq).toBe(Math.max(...seqs));
    // The ledger keeps the carried state and the timeline says the workflow ended, once.
    const row = await ledger(clue.id);
    expect(row.stage).toBe('closed');
    expect(row.workflow_carried).toEqual(result);
    const ended = await timeline(h, clue.id, 'clue.workflow_ended');
    expect(ended).toHaveLength(1);
    expect(ended[0]!.data).toMatchObject({ retention: 'P10D' });
    expect(ms(ended[0]!.at)).toBeGreaterThanOrEqual(windowEnd);
    // The history ends with the run completing: no timer, activity or update left open.
    const events = (await clue.handle.fetchHistory()).events ?? [];
    expect(events[events.length - 1]?.workflowExecutionCompletedEventAttributes).toBeTruthy();
    expect(patchesOf(events)).toContain('end-after-retention');
  });

  test('given a closed clue, when it is reopened inside the window, then the same run continues and does not end when the window would have passed', async () => {
    const { clue, windowEnd } = await closedClue();
    const run = await runId(clue.handle);
    await sleepUntil(h, windowEnd - 5 * DAY);
    const s = await reopen(clue.id);
    expect(s).toMatchObject({ stage: 'verifying', reopenCount: 1 });
    expect(await runId(clue.handle)).toBe(run);

    await sleepUntil(h, windowEnd + DAY);
    expect(await status(clue.handle)).toBe('RUNNING');
    expect(await runId(clue.handle)).toBe(run);
    expect(await timeline(h, clue.id, 'clue.workflow_ended')).toEqual([]);
    expect((await ledger(clue.id)).workflow_ended_at).toBeNull();
  });

  test('given a clue reopened inside the window and closed again, when the first window would have passed, then the run goes on until a full window after the second closure', async () => {
    const { clue, windowEnd } = await closedClue();
    await sleepUntil(h, windowEnd - 2 * DAY);
    await reopen(clue.id);
    const closedAgain = await closeAgain(clue.handle);
    const secondEnd = closedAgain.closedAt! + 10 * DAY;

    await sleepUntil(h, windowEnd + DAY);
    expect(await status(clue.handle)).toBe('RUNNING');
    await sleepUntil(h, secondEnd - MINUTE);
    expect(await status(clue.handle)).toBe('RUNNING');
    await sleepUntil(h, secondEnd + MINUTE);
    const result = await endedRun(clue.id, clue.handle);
    expect(result.state).toMatchObject({ stage: 'closed', reopenCount: 1, closedAt: closedAgain.closedAt });
  });

  test('given a clue that is not closed, when it is reopened through the service, then it is an InvalidTransition and nothing changes', async () => {
    const clue = await startClue(h, P);
    const err = await reopen(clue.id).then(
      () => undefined,
      (e: unknown) => e as { cause?: { type?: string; details?: unknown[] } },
    );
    expect(err?.cause?.type).toBe('InvalidTransition');
    expect(err?.cause?.details?.[0]).toMatchObject({ stage: 'verifying' });
    expect((await clue.handle.query(m.stateQuery)).reopenCount).toBe(0);
  });
});

describe('reopening after the workflow ended', () => {
  test('given an ended workflow, when the clue is reopened through the service, then a new run under the same id starts at verifying with the history carried and no effect repeated; closed again, it ends again', async () => {
    const { clue, closed, windowEnd } = await closedClue();
    const firstRun = await runId(clue.handle);
    await sleepUntil(h, windowEnd + MINUTE);
    const ended = await endedRun(clue.id, clue.handle);
    await eventually(async () => expect(h.smtp.mails.length).toBeGreaterThan(0));
    const seqsBefore = await eventSeqs(clue.id);
    const outboxBefore = await outboxKeys(clue.id);
    const notesBefore = await notificationKeys(clue.id);
    const timelineBefore = await timeline(h, clue.id);

    const s = await reopen(clue.id);

    // A new run under the same workflow id, at verifying, with the history carried.
    expect(await runId(clue.handle)).not.toBe(firstRun);
    expect(await status(clue.handle)).toBe('RUNNING');
    expect(clue.handle.workflowId).toBe(`clue-${clue.id}`);
    expect(s).toMatchObject({ stage: 'verifying', reopenCount: 1, clueId: clue.id, ref: clue.ref });
    expect(s.verification).toEqual(closed.verification);
    expect(s.classification).toEqual(closed.classification);
    expect(s.plan).toEqual(closed.plan);
    expect(s.milestones).toEqual(closed.milestones);
    // The clocks' history is carried, and the new verification clock follows it.
    expect(s.clocks.slice(0, closed.clocks.length)).toEqual(closed.clocks);
    const fresh = s.clocks.slice(closed.clocks.length);
    expect(fresh.map((c) => [c.id, c.task, c.status])).toEqual([
      [`verification-${closed.clocks.length + 1}`, 'verification', 'open'],
    ]);
    // The new run started from the carried state: no second registration in its history.
    const history = (await latest(clue.handle).fetchHistory()).events ?? [];
    const input = decode(history[0]?.workflowExecutionStartedEventAttributes?.input?.payloads?.[0]?.data) as {
      carried?: CarriedClue;
    };
    expect(input.carried?.eventSeq).toBe(ended.eventSeq);
    expect(input.carried?.state.stage).toBe('closed');
    expect(
      history.some(
        (e) => e.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.input?.name === 'reopening',
      ),
    ).toBe(true);

    await eventually(async () => {
      const row = await ledger(clue.id);
      expect(row.stage).toBe('verifying');
      // The new run projected: the end recorded by the first run no longer holds.
      expect(row.workflow_ended_at).toBeNull();
      expect(row.workflow_carried).toBeNull();
    });
    // The timeline sequence continues where the first run stopped, without a gap or a repeat.
    const seqsAfter = await eventSeqs(clue.id);
    expect(seqsAfter.slice(0, seqsBefore.length)).toEqual(seqsBefore);
    expect(seqsAfter).toEqual(Array.from({ length: seqsAfter.length }, (_, i) => i + 1));
    expect(seqsBefore[seqsBefore.length - 1]).toBe(ended.eventSeq);
    const timelineAfter = await timeline(h, clue.id);
    expect(timelineAfter.slice(0, timelineBefore.length).map((e) => e.key)).toEqual(
      timelineBefore.map((e) => e.key),
    );
    const kinds = timelineAfter.map((e) => e.kind);
    expect(kinds.filter((k) => k === 'clue.registered')).toHaveLength(1);
    expect(kinds.filter((k) => k === 'clue.reopened')).toHaveLength(1);
    expect(timelineAfter.filter((e) => e.kind === 'stage.changed' && e.data.to === 'closed')).toHaveLength(1);
    // Counted in PostgreSQL: what was sent before is neither sent again nor replaced; only the
    // reopening's own stage change and clock were added.
    const outboxAfter = await outboxKeys(clue.id);
    const notesAfter = await notificationKeys(clue.id);
    expect(outboxAfter).toEqual(expect.arrayContaining(outboxBefore));
    expect(notesAfter).toEqual(expect.arrayContaining(notesBefore));
    const newNotes = notesAfter.filter((k) => !notesBefore.includes(k));
    expect(newNotes.length).toBeGreaterThan(0);
    for (const k of newNotes) {
      const seq = Number(/:e(\d+)\|/.exec(k)?.[1]);
      expect(seq).toBeGreaterThan(ended.eventSeq);
    }
    const [dup] = await h.db.q<{ n: number }[]>(
      `select count(*)::int as n from (select key from timeline_events where owner_id = ? group by key having count(*) > 1) d`,
      [clue.id],
    );
    expect(dup?.n).toBe(0);
    await eventually(async () => expect(h.smtp.mails.length).toBeGreaterThanOrEqual(outboxAfter.length));
    expectNoDuplicateMail(h);

    // Reopened a second time while the new run is open: refused (verifying), same run.
    const again = await reopen(clue.id).then(
      () => undefined,
      (e: unknown) => e as { cause?: { type?: string } },
    );
    expect(again?.cause?.type).toBe('InvalidTransition');

    // Closed again, the new run ends after a full window of its own, carrying the reopening.
    const closedAgain = await closeAgain(latest(clue.handle));
    await sleepUntil(h, closedAgain.closedAt! + 10 * DAY + MINUTE);
    const second = await endedRun(clue.id, clue.handle);
    expect(second.state).toMatchObject({ stage: 'closed', reopenCount: 1 });
    expect(second.eventSeq).toBeGreaterThan(ended.eventSeq);
    expect(await timeline(h, clue.id, 'clue.workflow_ended')).toHaveLength(2);
  });
});

describe('moving closed clues over', () => {
  test("given closed clues, when those past the deployment's window are woken, then only the un-ended ones are signalled and each run re-reads its own window", async () => {
    const { clue: ended, windowEnd } = await closedClue();
    await sleepUntil(h, windowEnd + MINUTE);
    await endedRun(ended.id, ended.handle);
    const { clue: waiting, windowEnd: waitingEnd } = await closedClue();
    const run = await runId(waiting.handle);
    const before = (await waiting.handle.fetchHistory()).events?.length ?? 0;

    // The deployment now keeps closed clues one day; the waiting run snapshotted ten.
    const woken = await wakeExpiredClosedClues(serviceContext(h, { ...P, retention: 'P1D' }), {
      now: (await now()) + 2 * DAY,
    });
    expect(woken).toBe(1);
    await eventually(async () => {
      const events = (await waiting.handle.fetchHistory()).events ?? [];
      expect(events.length).toBeGreaterThan(before);
      expect(
        events.some((e) => e.workflowExecutionSignaledEventAttributes?.signalName === 'retention-check'),
      ).toBe(true);
      expect(
        events[events.length - 1]?.workflowTaskCompletedEventAttributes ??
          events[events.length - 1]?.timerStartedEventAttributes,
      ).toBeTruthy();
    });
    expect(await status(waiting.handle)).toBe('RUNNING');
    expect(await runId(waiting.handle)).toBe(run);
    expect(await timeline(h, waiting.id, 'clue.workflow_ended')).toEqual([]);

    // Its own window still ends it.
    await sleepUntil(h, waitingEnd + MINUTE);
    await endedRun(waiting.id, waiting.handle);
  });
});
