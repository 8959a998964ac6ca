/**
 * Real services for tests: PostgreSQL (a fresh database per suite on TEST_PG_URL's server), an
 * in-process SMTP server capturing what it receives, and the Temporal servers from .tools/.
 * A missing service fails the suite loudly; nothing is skipped.
 */
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import type { EntityManager } from '@mikro-orm/postgresql';
import { tsToMs } from '@temporalio/common/lib/time';
import type { temporal } from '@temporalio/proto';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { ensureDatabase, initORM, type Orm } from '../../src/db/orm';
import { sql } from '../../src/db/sql';
import { seedDemoDistrict } from '../../src/seed';
import { requireBinary } from '../../src/temporal/binaries';
import { SEARCH_ATTRIBUTES } from '../../src/temporal/search-attributes';
import { INDEXED_VALUE_TYPE } from '../../src/temporal/client';
import { LOCAL_PG_URL, redact } from '../../scripts/test-postgres';

/** Set by the jest global setup (test-postgres.ts: TEST_PG_URL, a usable local server, or embedded). */
export const PG_SERVER = process.env.TEST_PG_URL ?? LOCAL_PG_URL;

export interface TestDb {
  url: string;
  orm: Orm;
  em(): EntityManager;
  q<T = Record<string, unknown>[]>(query: string, params?: unknown[]): Promise<T>;
  tokens: Record<string, string>;
  close(): Promise<void>;
}

/** A new, migrated, seeded database; its name is unique per call so suites never share state. */
/** The workflow bundle global-setup.ts built for this jest run; without it a worker bundles its own. */
export function testWorkflowBundle(): string | undefined {
  return process.env.TEST_WORKFLOW_BUNDLE;
}

export async function freshDatabase(prefix = 'disposal_test'): Promise<TestDb> {
  const name = `${prefix}_${process.pid}_${Date.now().toString(36)}_${Math.floor(Math.random() * 1e6)}`;
  const url = `${PG_SERVER}/${name}`;
  try {
    await ensureDatabase(url);
  } catch (err) {
    throw new Error(
      `PostgreSQL is required for the tests at ${redact(PG_SERVER)} (set TEST_PG_URL): ${(err as Error).message}`,
    );
  }
  const orm = await initORM({ url, poolMax: 10, migrate: true });
  const em = () => orm.em.fork() as EntityManager;
  const tokens = (await seedDemoDistrict(em())) ?? {};
  return {
    url,
    orm,
    em,
    q: (query, params = []) => sql(em(), query, params),
    tokens,
    async close() {
      await orm.close();
      const { Client } = await import('pg');
      const c = new Client({ connectionString: `${PG_SERVER}/postgres` });
      await c.connect();
      await c.query(`drop database if exists "${name}" with (force)`).catch(() => undefined);
      await c.end();
    },
  };
}

export interface CapturedMail {
  from: string;
  to: string[];
  raw: string;
  subject: string;
  messageId: string;
}

export interface TestSmtp {
  url: string;
  mails: CapturedMail[];
  /** Make the next n DATA commands fail with 421 (a transient error), to exercise retries. */
  failNext(n: number): void;
  close(): Promise<void>;
}

export async function startSmtp(): Promise<TestSmtp> {
  const mails: CapturedMail[] = [];
  let failures = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    // Senders keep pooled sessions open: closing ends them after 1 s instead of waiting 30 s.
    closeTimeout: 1000,
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        if (failures > 0) {
          failures -= 1;
          const err = new Error('try again later') as Error & { responseCode: number };
          err.responseCode = 421;
          return cb(err);
        }
        const raw = Buffer.concat(chunks).toString('utf8');
        const head = raw.split(/\r?\n\r?\n/)[0]!.replace(/\r?\n[ \t]+/g, ' ');
        const header = (n: string) => new RegExp(`^${n}:\\s*(.*?)\\s*$`, 'mi').exec(head)?.[1] ?? '';
        mails.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw,
          subject: decodeHeader(header('Subject')),
          messageId: header('Message-ID'),
        });
        cb();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return {
    url: `smtp://127.0.0.1:${port}?ignoreTLS=true`,
    mails,
    failNext(n) {
      failures = n;
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

function decodeHeader(v: string): string {
  // =?UTF-8?B?...?= / =?UTF-8?Q?...?= encoded words, possibly folded
  return v.replace(/=\?utf-8\?([BQ])\?([^?]*)\?=\s*/gi, (_m, enc: string, text: string) =>
    enc.toUpperCase() === 'B'
      ? Buffer.from(text, 'base64').toString('utf8')
      : Buffer.from(
          text
            .replace(/_/g, ' ')
            .replace(/=([0-9A-F]{2})/gi, (_x, h: string) => String.fromCharCode(parseInt(h, 16))),
          'latin1',
        ).toString('utf8'),
  );
}

/**
 * The SDK gives a test server 5 s to answer before it gives up ("did not start within 5s"); on a loaded
 * 2-core machine a start can take longer. A slow start is retried; any other error is not.
 */
async function startWithRetry(
  start: () => Promise<TestWorkflowEnvironment>,
): Promise<TestWorkflowEnvironment> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await start();
    } catch (err) {
      if (attempt >= 4 || !/did not start within/.test((err as Error).message)) throw err;
    }
  }
}

export async function timeSkippingEnv(): Promise<TestWorkflowEnvironment> {
  const env = await startWithRetry(() =>
    TestWorkflowEnvironment.createTimeSkipping({
      server: { executable: { type: 'existing-path', path: requireBinary('temporal-test-server') } },
    }),
  );
  // The same types a real cluster gets (src/temporal/client.ts), not all of them as Keyword.
  await env.connection.operatorService.addSearchAttributes({
    namespace: 'default',
    searchAttributes: Object.fromEntries(
      SEARCH_ATTRIBUTES.map((sa) => [sa.name, INDEXED_VALUE_TYPE[sa.type]!]),
    ),
  });
  return env;
}

export async function devServerEnv(): Promise<TestWorkflowEnvironment> {
  return startWithRetry(() =>
    TestWorkflowEnvironment.createLocal({
      server: {
        executable: { type: 'existing-path', path: requireBinary('temporal') },
        searchAttributes: SEARCH_ATTRIBUTES,
        ip: '127.0.0.1',
      },
    }),
  );
}

/** Polls an assertion until it passes (for asynchronous projections), failing with its last error. */
export async function eventually<T>(fn: () => Promise<T> | T, timeoutMs = 20_000, everyMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await fn();
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, everyMs));
    }
  }
}

/**
 * The time-skipping server strands a run whose workflow task cancels a timer that fired while the task
 * was with the worker: it refuses the completion ("invalid history builder state for action",
 * temporalio/sdk-java#3088) and never sends the task again. A skip that lands just before a timer (a
 * ladder's next rung is due a few ms after the instant the skip passed) and an update that cancels it
 * race exactly so. This moves on past any timer of `workflows` due within `guardMs` of the clock,
 * after their workflow tasks and activities have settled, so what the test sends next races none.
 */
export async function clearOfTimers(
  env: TestWorkflowEnvironment,
  workflows: { workflowId: string; fetchHistory(): Promise<temporal.api.history.v1.IHistory> }[],
  guardMs = 5 * 60_000,
): Promise<void> {
  for (let round = 0; round < 10; round += 1) {
    for (const w of workflows) await untilIdle(w);
    const histories = await Promise.all(workflows.map((w) => w.fetchHistory()));
    const now = await env.currentTimeMs();
    const due = histories
      .flatMap((h) => pendingTimers(h))
      .filter((at) => at >= now - 1000 && at <= now + guardMs);
    if (due.length === 0) return;
    await env.sleep(Math.max(...due) - now + 1000);
  }
  throw new Error('timers kept falling due within the guard after 10 skips');
}

/** Whether a workflow task or an activity of the run is scheduled or running. */
export function pendingWork(h: temporal.api.history.v1.IHistory): boolean {
  let open = 0;
  for (const e of h.events ?? []) {
    if (e.workflowTaskScheduledEventAttributes || e.activityTaskScheduledEventAttributes) open += 1;
    if (
      e.workflowTaskCompletedEventAttributes ||
      e.workflowTaskFailedEventAttributes ||
      e.workflowTaskTimedOutEventAttributes ||
      e.activityTaskCompletedEventAttributes ||
      e.activityTaskFailedEventAttributes ||
      e.activityTaskTimedOutEventAttributes ||
      e.activityTaskCanceledEventAttributes
    )
      open -= 1;
  }
  return open > 0;
}

/** Waits (real time, up to 30 s) until no workflow task or activity of the latest run is outstanding. */
export async function untilIdle(hd: {
  workflowId: string;
  fetchHistory(): Promise<temporal.api.history.v1.IHistory>;
}): Promise<void> {
  for (let i = 0; i < 300; i++) {
    if (!pendingWork(await hd.fetchHistory())) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`workflow ${hd.workflowId} did not become idle`);
}

/** Fire times (epoch ms) of the timers started and neither fired nor cancelled. */
function pendingTimers(h: temporal.api.history.v1.IHistory): number[] {
  const started = new Map<string, number>();
  for (const e of h.events ?? []) {
    const s = e.timerStartedEventAttributes;
    if (s?.timerId) started.set(s.timerId, tsToMs(e.eventTime) + tsToMs(s.startToFireTimeout));
    const ended = e.timerFiredEventAttributes?.timerId ?? e.timerCanceledEventAttributes?.timerId;
    if (ended) started.delete(ended);
  }
  return [...started.values()];
}
