/** Deadline clock of the first stage on the time-skipping server, with the real database and SMTP server. */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { createSmtpMailer } from '../../src/mail/mailer';
import { createWorker } from '../../workers/worker';
import { stateQuery, verifyUpdate } from '../../workflows/clue.messages';
import { clueWorkflow } from '../../workflows/clue.workflow';
import { FIVE_DAY_CALENDAR_POLICY, actor, clueInput, insertClue } from '../helpers/fixtures';
import {
  eventually,
  freshDatabase,
  startSmtp,
  testWorkflowBundle,
  timeSkippingEnv,
  type TestDb,
  type TestSmtp,
} from '../helpers/services';

const TQ = 'clue-deadlines';
/** A worker that caches no workflow: every workflow task replays the whole history from the start. */
const TQ_NO_CACHE = 'clue-deadlines-no-cache';
let env: TestWorkflowEnvironment;
let db: TestDb;
let smtp: TestSmtp;
let workers: Worker[] = [];
let running: Promise<void>[] = [];

beforeAll(async () => {
  [env, db, smtp] = await Promise.all([timeSkippingEnv(), freshDatabase(), startSmtp()]);
  const deps = {
    orm: db.orm,
    mailer: createSmtpMailer(smtp.url, 'District Office <noreply@district.local>'),
  };
  workers = [
    await createWorker({
      connection: env.nativeConnection,
      namespace: 'default',
      workflowBundlePath: testWorkflowBundle(),
      taskQueue: TQ,
      deps,
    }),
    await createWorker({
      connection: env.nativeConnection,
      namespace: 'default',
      workflowBundlePath: testWorkflowBundle(),
      taskQueue: TQ_NO_CACHE,
      deps,
      tuning: { maxCachedWorkflows: 0 },
    }),
  ];
  running = workers.map((w) => w.run());
});

afterAll(async () => {
  for (const w of workers) w.shutdown();
  await Promise.all(running);
  await Promise.all([env?.teardown(), db?.close(), smtp?.close()]);
});

const reminderRows = (clueId: string) =>
  db.q<{ key: string; user_id: string }[]>(
    `select key, user_id from notifications where kind = 'reminder' and owner_id = ? order by key, user_id`,
    [clueId],
  );
const escalationRows = (clueId: string) =>
  db.q<{ level: number; status: string }[]>(
    `select level, status from escalations where owner_id = ? order by level`,
    [clueId],
  );

describe('clue verification clock', () => {
  test('given a clue with a 5-day verification clock, when 2 days pass, then the first reminder went out to the lead unit', async () => {
    const clue = await insertClue(db.em());
    const handle = await env.client.workflow.start(clueWorkflow, {
      taskQueue: TQ,
      workflowId: `clue-${clue.id}`,
      args: [clueInput(clue, FIVE_DAY_CALENDAR_POLICY)],
    });
    await handle.query(stateQuery);
    expect(await reminderRows(clue.id)).toHaveLength(0);

    await env.sleep('2 days');
    const rows = await eventually(async () => {
      const r = await reminderRows(clue.id);
      expect(r.length).toBeGreaterThan(0);
      return r;
    });
    // Both Tushan officers (staff and head) get it, once each, for reminder r0 of the verification clock.
    expect(rows.map((r) => r.user_id).sort()).toEqual(['u-tushan', 'u-tushan-head']);
    expect(new Set(rows.map((r) => r.key)).size).toBe(1);
    expect(rows[0]!.key).toMatch(/verification-1:g0:r0$/);
    await eventually(() =>
      expect(smtp.mails.map((m) => m.messageId)).toEqual(
        expect.arrayContaining([expect.stringContaining('verification-1-g0-r0')]),
      ),
    );
    await eventually(() =>
      expect(
        smtp.mails.filter((m) => m.messageId.includes(clue.id) && m.messageId.startsWith('<reminder')).length,
      ).toBe(2),
    );
    expect(await escalationRows(clue.id)).toEqual([]);
  });

  test('given a clue with a 5-day verification clock, when the due time passes, then a level-1 escalation is recorded and the District Office told', async () => {
    const clue = await insertClue(db.em());
    const handle = await env.client.workflow.start(clueWorkflow, {
      taskQueue: TQ,
      workflowId: `clue-${clue.id}`,
      args: [clueInput(clue, FIVE_DAY_CALENDAR_POLICY)],
    });
    await handle.query(stateQuery);
    await env.sleep('5 days');
    await eventually(async () =>
      expect(await escalationRows(clue.id)).toEqual([{ level: 1, status: 'open' }]),
    );
    // The escalation row is written before its notifications: wait for those too.
    const notified = await eventually(async () => {
      const rows = await db.q<{ user_id: string }[]>(
        `select user_id from notifications where kind = 'escalation' and owner_id = ? order by user_id`,
        [clue.id],
      );
      expect(rows.map((n) => n.user_id)).toEqual(expect.arrayContaining(['u-coordinator', 'u-tushan-head']));
      return rows;
    });
    expect(notified.map((n) => n.user_id)).not.toContain('u-leader');
    const state = await handle.query(stateQuery);
    expect(state.overdueLevel).toBe(1);
  });

  test('given a clue with a 5-day verification clock, when verification arrives first, then no escalation is ever recorded', async () => {
    const clue = await insertClue(db.em());
    const handle = await env.client.workflow.start(clueWorkflow, {
      taskQueue: TQ,
      workflowId: `clue-${clue.id}`,
      args: [clueInput(clue, FIVE_DAY_CALENDAR_POLICY)],
    });
    await env.sleep('1 day');
    const state = await handle.executeUpdate(verifyUpdate, {
      args: [{ actor: actor.tushan, findings: 'facts confirmed on site', factsConfirmed: true }],
    });
    expect(state.stage).toBe('classifying');
    expect(state.clocks.find((c) => c.task === 'verification')?.status).toBe('done');
    // Past the old due time and past the new classification clock's ladder only the classification clock may escalate.
    await env.sleep('108 hours');
    expect(await escalationRows(clue.id)).toEqual([]);
    const verificationEscalations = await db.q(
      `select 1 from escalations where owner_id = ? and clock_id like 'verification%'`,
      [clue.id],
    );
    expect(verificationEscalations).toHaveLength(0);
  });

  test('given a worker that caches no workflow (every task replays the whole history), when the clock runs through its reminders and its whole ladder, then each reminder and each escalation is sent exactly once', async () => {
    const clue = await insertClue(db.em());
    const handle = await env.client.workflow.start(clueWorkflow, {
      taskQueue: TQ_NO_CACHE,
      workflowId: `clue-${clue.id}`,
      args: [clueInput(clue, FIVE_DAY_CALENDAR_POLICY)],
    });
    await handle.query(stateQuery);
    // Reminders at day 2 and 4, ladder at day 5, 7 and 10: many workflow tasks, each a full replay.
    for (const days of [1, 2, 2, 1, 2, 3]) await env.sleep(`${days} days`);
    await eventually(async () =>
      expect((await escalationRows(clue.id)).map((e) => e.level)).toEqual([1, 2, 3]),
    );
    const rows = await eventually(async () => {
      const r = await db.q<{ key: string; user_id: string }[]>(
        `select key, user_id from notifications where owner_id = ? and kind in ('reminder', 'escalation') order by key, user_id`,
        [clue.id],
      );
      // Reminders to the unit's two officers (one is its head); level 1 adds the District Office;
      // levels 2 and 3 add a leader as well.
      expect(r).toHaveLength(2 * 2 + 3 + 4 + 4);
      return r;
    });
    expect(rows.map((r) => `${r.key.split(':').slice(-1)[0]} ${r.user_id}`)).toEqual([
      'L1 u-coordinator',
      'L1 u-tushan',
      'L1 u-tushan-head',
      'L2 u-coordinator',
      'L2 u-leader',
      'L2 u-tushan',
      'L2 u-tushan-head',
      'L3 u-coordinator',
      'L3 u-leader',
      'L3 u-tushan',
      'L3 u-tushan-head',
      'r0 u-tushan',
      'r0 u-tushan-head',
      'r1 u-tushan',
      'r1 u-tushan-head',
    ]);
    // Every email the outbox holds for the clue's reminders and rungs (users, and the unit's mailbox unless a user has its address)
    // arrives exactly once.
    const outbox = await db.q<{ n: number }[]>(
      `select count(*)::int as n from mail_outbox where channel = 'email' and key like ? and (key like 'reminder:%' or key like 'escalation:%')`,
      [`%${clue.id}%`],
    );
    expect(outbox[0]!.n).toBeGreaterThanOrEqual(rows.length);
    await eventually(() =>
      expect(
        smtp.mails.filter(
          (m) => m.messageId.includes(clue.id) && /^<(reminder|escalation)/.test(m.messageId),
        ),
      ).toHaveLength(outbox[0]!.n),
    );
    const ids = smtp.mails.map((m) => m.messageId);
    expect(new Set(ids).size).toBe(ids.length);
    expect((await handle.query(stateQuery)).overdueLevel).toBe(3);
  });
});
