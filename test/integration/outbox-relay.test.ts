/**
 * The mail outbox relay (src/mail/outbox.ts) on real PostgreSQL and a real SMTP server: emails the
 * server did not take at once are sent later, each exactly once, however many senders compete.
 */
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { messageIdFor, createSmtpMailer } from '../../src/mail/mailer';
import { backoffSeconds, createOutboxSender, startOutboxRelay } from '../../src/mail/outbox';
import { eventually, freshDatabase, startSmtp, type TestDb, type TestSmtp } from '../helpers/services';

let db: TestDb;
let smtp: TestSmtp;
const FROM = 'District Office <noreply@district.local>';

beforeAll(async () => {
  [db, smtp] = await Promise.all([freshDatabase(), startSmtp()]);
});
afterAll(async () => {
  await Promise.all([db?.close(), smtp?.close()]);
});

async function pendingRows(prefix: string, n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    const key = `${prefix}:${i}|u-${i}`;
    await db.q(
      `insert into mail_outbox (key, to_addr, subject, body, message_id, status) values (?,?,?,?,?,'pending')`,
      [
        key,
        `u${i}@district.local`,
        `subject ${i}`,
        'body',
        messageIdFor(`${prefix}:${i}`, `u${i}@district.local`),
      ],
    );
  }
}

describe('mail outbox relay', () => {
  test('backoff grows from 1 s and is capped at one minute', () => {
    expect([1, 2, 3, 4, 7, 20].map(backoffSeconds)).toEqual([1, 2, 4, 8, 60, 60]);
  });

  test('the notifying sender, two relays and a second worker racing over the same 40 rows send each email exactly once', async () => {
    await pendingRows('race', 40);
    const sender = () => createOutboxSender({ orm: db.orm, mailer: createSmtpMailer(smtp.url, FROM) });
    const before = smtp.mails.length;
    const results = await Promise.all([
      sender().deliverKey('race:'),
      sender().relayOnce(25),
      sender().relayOnce(25),
      sender().deliverKey('race:'),
    ]);
    expect(results.reduce((s, r) => s + r.sent, 0)).toBe(40);
    const ids = smtp.mails.slice(before).map((m) => m.messageId);
    expect(ids).toHaveLength(40);
    expect(new Set(ids).size).toBe(40);
    const [left] = await db.q<{ n: number }[]>(
      `select count(*)::int as n from mail_outbox where key like 'race:%' and status <> 'sent'`,
    );
    expect(left!.n).toBe(0);
  });

  test('given the SMTP server is unreachable, when a pass runs, then the rows are deferred with a backoff and a later pass delivers them', async () => {
    await pendingRows('down', 3);
    const unreachable = createOutboxSender({
      orm: db.orm,
      mailer: createSmtpMailer('smtp://127.0.0.1:1?ignoreTLS=true', FROM),
    });
    const r = await unreachable.deliverKey('down:');
    expect(r).toMatchObject({ sent: 0, deferred: 3 });
    const rows = await db.q<{ attempts: number; waits: boolean; last_error: string | null }[]>(
      `select attempts, not_before > now() as waits, last_error from mail_outbox where key like 'down:%' order by id`,
    );
    // One connection attempt failed; the batch waits behind it instead of hammering a dead server.
    expect(rows.map((x) => x.attempts)).toEqual([1, 0, 0]);
    expect(rows.every((x) => x.waits)).toBe(true);
    expect(rows[0]!.last_error).toMatch(/ECONNREFUSED/);

    const healthy = createOutboxSender({ orm: db.orm, mailer: createSmtpMailer(smtp.url, FROM) });
    // Inside the backoff nothing is due.
    expect(await healthy.relayOnce()).toMatchObject({ sent: 0, deferred: 0 });
    await db.q(`update mail_outbox set not_before = now() - interval '1 second' where key like 'down:%'`);
    expect(await healthy.relayOnce()).toMatchObject({ sent: 3, deferred: 0 });
    const ids = smtp.mails.map((m) => m.messageId);
    for (let i = 0; i < 3; i++)
      expect(ids.filter((id) => id === messageIdFor(`down:${i}`, `u${i}@district.local`))).toHaveLength(1);
  });

  test('given an SMTP server that hangs, when one notice waited out the greeting timeout, then the next one in the process does not contact it and leaves its email to the relay at once', async () => {
    // Accepts connections and never greets, like a stuck server.
    const sockets = new Set<net.Socket>();
    let connections = 0;
    const hung = net.createServer((s) => {
      connections += 1;
      sockets.add(s);
    });
    await new Promise<void>((r) => hung.listen(0, '127.0.0.1', r));
    const mailer = createSmtpMailer(
      `smtp://127.0.0.1:${(hung.address() as AddressInfo).port}?ignoreTLS=true`,
      FROM,
    );
    const sender = createOutboxSender({ orm: db.orm, mailer });
    try {
      await pendingRows('hang-a', 1);
      expect(await sender.deliverKey('hang-a:')).toMatchObject({ sent: 0, deferred: 1 });
      expect(connections).toBe(1);
      await pendingRows('hang-b', 2);
      expect(await sender.deliverKey('hang-b:')).toMatchObject({ sent: 0, deferred: 2 });
      expect(connections).toBe(1);
      const rows = await db.q<{ attempts: number; due: boolean; status: string }[]>(
        `select attempts, not_before <= now() as due, status from mail_outbox where key like 'hang-b:%'`,
      );
      // Not an attempt, and due for the relay now rather than after the minute's lease.
      expect(rows).toEqual([
        { attempts: 0, due: true, status: 'pending' },
        { attempts: 0, due: true, status: 'pending' },
      ]);
    } finally {
      mailer.close();
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => hung.close(() => r()));
      await db.q(`delete from mail_outbox where key like 'hang-%'`);
    }
  }, 60_000);

  test('a running relay picks up a row that became due and stops cleanly', async () => {
    await pendingRows('tick', 1);
    const before = smtp.mails.length;
    const relay = startOutboxRelay(
      createOutboxSender({ orm: db.orm, mailer: createSmtpMailer(smtp.url, FROM) }),
      {
        intervalMs: 100,
      },
    );
    try {
      await eventually(() => expect(smtp.mails.length - before).toBe(1), 10_000);
    } finally {
      await relay.stop();
    }
    const [row] = await db.q<{ status: string; not_before: string | null }[]>(
      `select status, not_before from mail_outbox where key like 'tick:%'`,
    );
    expect(row).toMatchObject({ status: 'sent', not_before: null });
  });
});
