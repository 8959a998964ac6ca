/** Each effect happens once per business key, however often the activity runs (real PostgreSQL and SMTP). */
import { MockActivityEnvironment } from '@temporalio/testing';
import { createActivities } from '../../activities';
import { createSmtpMailer } from '../../src/mail/mailer';
import { createOutboxSender, type OutboxSender } from '../../src/mail/outbox';
import { freshDatabase, startSmtp, type TestDb, type TestSmtp } from '../helpers/services';

let db: TestDb;
let smtp: TestSmtp;
let acts: ReturnType<typeof createActivities>;
let outbox: OutboxSender;

beforeAll(async () => {
  [db, smtp] = await Promise.all([freshDatabase(), startSmtp()]);
  const mailer = createSmtpMailer(smtp.url, 'District Office <noreply@district.local>');
  outbox = createOutboxSender({ orm: db.orm, mailer });
  acts = createActivities({ orm: db.orm, mailer, outbox });
});
afterAll(async () => {
  await Promise.all([db?.close(), smtp?.close()]);
});

const clock = (id: string) => ({
  clockId: id,
  task: 'verification' as const,
  unitId: 'changhuai-town',
  label: null,
  startedAt: Date.now(),
  dueAt: Date.now() + 86_400_000,
  status: 'open' as const,
  level: 0,
  completedAt: null,
  late: false,
  pendingExtensionId: null,
});

describe('reminder activity idempotency', () => {
  test('the reminder activity run twice with the same key writes one row and sends one email', async () => {
    const env = new MockActivityEnvironment();
    const input = {
      key: 'clue:c-1:verification-1:g0:r0',
      owner: { type: 'clue' as const, id: 'c-1', ref: 'XS-2026-000001' },
      clock: clock('verification-1'),
    };
    await env.run(acts.sendReminder, input);
    await env.run(acts.sendReminder, input);
    const rows = await db.q<{ user_id: string; subject: string }[]>(
      `select user_id, subject from notifications where key like 'reminder:clue:c-1:%'`,
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]!.user_id).toBe('u-changhuai');
    // u-changhuai prefers English.
    expect(rows[0]!.subject).toMatch(/^\[Reminder\] Clue XS-2026-000001/);
    expect(smtp.mails.filter((m) => m.to.includes('changhuai@district.local'))).toHaveLength(1);
  });

  test('a transient SMTP failure leaves the email pending without failing the activity; the relay then delivers exactly one and the row stays one', async () => {
    const env = new MockActivityEnvironment();
    const input = {
      key: 'clue:c-2:verification-1:g0:r1',
      owner: { type: 'clue' as const, id: 'c-2', ref: 'XS-2026-000002' },
      clock: clock('verification-1'),
    };
    const before = smtp.mails.length;
    smtp.failNext(1);
    await env.run(acts.sendReminder, input);
    const [pending] = await db.q<{ status: string; attempts: number; waits: boolean }[]>(
      `select status, attempts, not_before > now() as waits from mail_outbox where key like 'reminder:clue:c-2:%'`,
    );
    expect(pending).toMatchObject({ status: 'pending', attempts: 1, waits: true });
    // A retried activity inside the backoff sends nothing: the row is the relay's now.
    await env.run(acts.sendReminder, input);
    expect(smtp.mails.length - before).toBe(0);
    await db.q(
      `update mail_outbox set not_before = now() - interval '1 second' where key like 'reminder:clue:c-2:%'`,
    );
    expect(await outbox.relayOnce()).toMatchObject({ sent: 1, deferred: 0 });
    expect(await outbox.relayOnce()).toMatchObject({ sent: 0, deferred: 0 });
    expect(smtp.mails.length - before).toBe(1);
    expect(await db.q(`select 1 from notifications where key like 'reminder:clue:c-2:%'`)).toHaveLength(1);
    const [sent] = await db.q<{ status: string }[]>(
      `select status from mail_outbox where key like 'reminder:clue:c-2:%'`,
    );
    expect(sent!.status).toBe('sent');
  });

  test('a level-3 escalation run twice records one escalation, one accountability record, one email per recipient', async () => {
    const env = new MockActivityEnvironment();
    const input = {
      key: 'clue:c-3:verification-1:g0:L3',
      owner: { type: 'clue' as const, id: 'c-3', ref: 'XS-2026-000003' },
      clock: { ...clock('verification-1'), dueAt: Date.now() - 5 * 86_400_000 },
      level: 3,
      topLevel: 3,
    };
    const before = smtp.mails.length;
    await env.run(acts.recordEscalation, input);
    await env.run(acts.recordEscalation, input);
    expect(await db.q(`select 1 from escalations where owner_id = 'c-3'`)).toHaveLength(1);
    expect(await db.q(`select 1 from accountability_records where owner_id = 'c-3'`)).toHaveLength(1);
    const recipients = smtp.mails.slice(before).flatMap((m) => m.to);
    // changhuai@ is both the unit's mailbox (the order) and its head's account (the supervision notice).
    expect(recipients.sort()).toEqual([
      'changhuai@district.local',
      'changhuai@district.local',
      'coordinator@district.local',
      'leader@district.local',
    ]);
    const toUnit = smtp.mails.slice(before).filter((m) => m.to.includes('changhuai@district.local'));
    // Working days on the calendar from five days ago to now (how many depends on today's weekday).
    expect(toUnit.map((m) => m.subject).sort()).toEqual([
      expect.stringMatching(
        /^\[Level 3 supervision — accountability notice\] Changhuai Town: Clue XS-2026-000003: "Verification" is \d working days? overdue$/,
      ),
      expect.stringMatching(/^【三级督办】【问责提示】线索XS-2026-000003“线索核查”已逾期\d个工作日$/),
    ]);
  });

  test('a clue step run as one activity (escalation, projection, notice) and retried writes each row once and sends each email once, and the rung stays open', async () => {
    const env = new MockActivityEnvironment();
    const owner = { type: 'clue' as const, id: 'c-4', ref: 'XS-2026-000004' };
    const overdue = { ...clock('verification-1'), dueAt: Date.now() - 86_400_000, level: 1 };
    const step = {
      clockEffects: [
        {
          kind: 'escalation' as const,
          input: { key: 'clue:c-4:verification-1:g0:L1', owner, clock: overdue, level: 1, topLevel: 3 },
        },
      ],
      project: {
        owner,
        clocks: [overdue],
        events: [{ key: 'clue:c-4:1', kind: 'clock.escalated', data: { level: 1 }, at: Date.now() }],
      },
      notices: [
        {
          key: 'clue:c-4:reminder-again',
          kind: 'reminder',
          template: 'reminder' as const,
          audience: { unitIds: ['changhuai-town'] },
          params: { clueRef: owner.ref, task: 'verification', dueAt: overdue.dueAt, unit: 'changhuai-town' },
          owner,
        },
      ],
    };
    const before = smtp.mails.length;
    await env.run(acts.applyClueEffects, step);
    const once = smtp.mails.length - before;
    await env.run(acts.applyClueEffects, step);
    expect(smtp.mails.length - before).toBe(once);
    // The rung's three recipients (unit, head, coordinator) and the notice's one.
    expect(once).toBe(4);
    expect(await db.q(`select status from escalations where owner_id = 'c-4'`)).toEqual([{ status: 'open' }]);
    expect(await db.q(`select level from clocks where owner_id = 'c-4'`)).toEqual([{ level: 1 }]);
    expect(await db.q(`select 1 from timeline_events where owner_id = 'c-4'`)).toHaveLength(1);
    const [dup] = await db.q<{ n: number }[]>(
      `select count(*)::int as n from (select key from mail_outbox where key like '%c-4%' group by key having count(*) > 1) d`,
    );
    expect(dup!.n).toBe(0);
  });
});
