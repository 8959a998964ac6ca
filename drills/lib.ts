/**
 * Pieces of the fault drills: a whole deployment on loopback whose parts can be cut one at a time —
 * the worker as its own process (`workers/main.ts`, killable), a Temporal dev server on a file
 * (restartable), PostgreSQL behind an in-process TCP proxy (cuttable; the machine's server is never
 * touched), and an SMTP server behind a proxy whose behaviour can be switched (down, 421, drop after
 * DATA). Plus the clue load and the one end-state check every drill reports: lost and duplicate
 * counts per business key.
 */
import net from 'node:net';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { SMTPServer } from 'smtp-server';
import { Client, Connection } from '@temporalio/client';
import { loadConfig, type Config } from '../src/config';
import type { AppContext } from '../src/context';
import { registerClue, type ClueIntake } from '../src/services/clues';
import fs from 'node:fs';
import path from 'node:path';
import {
  freshDb,
  openDb,
  parseHead,
  pgServer,
  sleep,
  spawnChild,
  startTemporal,
  tempDir,
  topologyArg,
  type BenchDb,
  type Child,
  type TemporalServer,
  type Topology,
} from '../bench/lib';
import {
  appEnvFor,
  down as clusterDown,
  restartTemporal,
  stopTemporal,
  up as clusterUp,
} from '../scripts/cluster/cluster';

export { sleep };

/** Seconds-scale policy of the drills: reminder 15 s after registration, level-1 escalation at 30 s. */
export const DRILL_POLICY = {
  preset: 'seconds',
  tiers: { verification: 'PT30S' },
  reminders: ['PT15S'],
  escalation: ['PT0S', 'PT1H', 'PT2H'],
};
/** Emails under DRILL_POLICY with the demo seed: stage change (2), reminder (2), level-1 escalation (3). */
export const MAIL = { stage: 2, reminder: 2, escalation: 3 };
export const MAILS_PER_CLUE = MAIL.stage + MAIL.reminder + MAIL.escalation;

export function log(msg: string): void {
  process.stderr.write(`  ${new Date().toISOString().slice(11, 23)} ${msg}\n`);
}

// ---- TCP proxy ----------------------------------------------------------------------------------

export interface TcpProxy {
  port: number;
  /** Refuse new connections and reset the open ones. */
  cut(): Promise<void>;
  restore(): Promise<void>;
  isUp(): boolean;
  close(): Promise<void>;
}

/**
 * Forwards 127.0.0.1:<port> to 127.0.0.1:<target>. `cut()` closes the listener (connection refused)
 * and destroys every open connection, like a server or network that went away.
 * `onPair` may watch or interfere with a connection pair (used to drop SMTP after DATA).
 */
export async function tcpProxy(
  target: number,
  o: { port?: number; onPair?: (client: net.Socket, server: net.Socket) => void } = {},
): Promise<TcpProxy> {
  const sockets = new Set<net.Socket>();
  let server: net.Server | undefined;
  let port = o.port ?? 0;
  const listen = async () => {
    server = net.createServer((client) => {
      const upstream = net.connect(target, '127.0.0.1');
      sockets.add(client);
      sockets.add(upstream);
      const done = () => {
        client.destroy();
        upstream.destroy();
        sockets.delete(client);
        sockets.delete(upstream);
      };
      client.on('error', done).on('close', done);
      upstream.on('error', done).on('close', done);
      if (o.onPair) o.onPair(client, upstream);
      else {
        client.pipe(upstream);
        upstream.pipe(client);
      }
    });
    await new Promise<void>((resolve, reject) => {
      server!.once('error', reject);
      server!.listen(port, '127.0.0.1', () => resolve());
    });
    port = (server.address() as AddressInfo).port;
  };
  await listen();
  const cut = async () => {
    const s = server;
    server = undefined;
    for (const x of sockets) x.destroy();
    sockets.clear();
    if (s) await new Promise<void>((r) => s.close(() => r()));
  };
  return {
    get port() {
      return port;
    },
    cut,
    async restore() {
      if (!server) await listen();
    },
    isUp: () => server !== undefined,
    close: cut,
  };
}

// ---- SMTP with switchable behaviour -----------------------------------------------------------------

export type SmtpMode = 'ok' | 'down' | '421' | 'drop-after-data';

export interface Received {
  messageId: string;
  subject: string;
  to: string[];
  at: number;
  /** The mode the front was in: 'drop-after-data' copies were stored but the client never got the 250. */
  mode: SmtpMode;
}

export interface DrillSmtp {
  url: string;
  port: number;
  received: Received[];
  mode(): SmtpMode;
  setMode(m: SmtpMode): Promise<void>;
  /** Attempts refused or cut per mode (what the senders ran into). */
  refused: Record<SmtpMode, number>;
  close(): Promise<void>;
}

/**
 * An SMTP server (smtp-server) that stores what it accepts, behind a proxy on a fixed port:
 * 'down' = nothing listening; '421' = the greeting (every other connection) or the end of DATA answers
 * 421; 'drop-after-data' = the server stores the message and answers 250, but the proxy cuts the
 * connection before that reply reaches the sender (the ambiguous case); 'ok' = normal.
 */
export async function drillSmtp(): Promise<DrillSmtp> {
  const received: Received[] = [];
  const refused: Record<SmtpMode, number> = { ok: 0, down: 0, '421': 0, 'drop-after-data': 0 };
  let mode: SmtpMode = 'ok';
  let conn = 0;
  const backend = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    // Senders keep pooled sessions open: closing ends them after 1 s instead of waiting 30 s.
    closeTimeout: 1000,
    maxClients: 1000,
    onConnect(_session, cb) {
      if (mode === '421' && conn++ % 2 === 0) {
        refused['421'] += 1;
        const err = new Error('Service not available, try again later') as Error & { responseCode: number };
        err.responseCode = 421;
        return cb(err);
      }
      cb();
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        if (mode === '421') {
          refused['421'] += 1;
          const err = new Error('Service not available, try again later') as Error & { responseCode: number };
          err.responseCode = 421;
          return cb(err);
        }
        received.push({
          ...parseHead(Buffer.concat(chunks).toString('utf8')),
          to: session.envelope.rcptTo.map((r) => r.address),
          at: Date.now(),
          mode,
        });
        cb();
      });
    },
  });
  await new Promise<void>((r) => backend.listen(0, '127.0.0.1', r));
  const backendPort = (backend.server.address() as AddressInfo).port;
  const proxy = await tcpProxy(backendPort, {
    onPair(client, server) {
      let tail = '';
      let dataDone = false;
      client.on('data', (d: Buffer) => {
        if (mode === 'drop-after-data') {
          tail = (tail + d.toString('latin1')).slice(-5);
          if (tail.endsWith('\r\n.\r\n')) dataDone = true;
        }
        server.write(d);
      });
      server.on('data', (d: Buffer) => {
        if (dataDone && mode === 'drop-after-data') {
          // The server has the message and said 250; the sender never hears it.
          refused['drop-after-data'] += 1;
          client.destroy();
          server.destroy();
          return;
        }
        client.write(d);
      });
    },
  });
  return {
    url: `smtp://127.0.0.1:${proxy.port}?ignoreTLS=true`,
    port: proxy.port,
    received,
    refused,
    mode: () => mode,
    async setMode(m) {
      mode = m;
      if (m === 'down') {
        refused.down += 1;
        await proxy.cut();
      } else await proxy.restore();
    },
    async close() {
      await proxy.close();
      await new Promise<void>((r) => backend.close(() => r()));
    },
  };
}

// ---- the deployment -----------------------------------------------------------------------------

/**
 * 'dev': the Temporal dev server on a SQLite file (`npm start`'s runtime). 'cluster': the production
 * topology of scripts/cluster — temporal-server built from source, its persistence and SQL visibility on
 * PostgreSQL, the API as its own process — where every PostgreSQL connection, temporal-server's too,
 * goes through the drills' proxy, so cutting it cuts Temporal's store as well as the ledger.
 */
export { topologyArg, type Topology };

export interface Stack {
  topology: Topology;
  temporal: { address: string };
  /** Crash (SIGKILL) or stop the Temporal server; `startTemporal` brings it back on the same store and port. */
  stopTemporal(signal?: NodeJS.Signals): Promise<void>;
  startTemporal(): Promise<void>;
  /** The API as its own process (cluster), else undefined: a drill runs the app in-process. */
  apiBase?: string;
  db: BenchDb;
  smtp: DrillSmtp;
  pgProxy: TcpProxy;
  /** DATABASE_URL through the proxy. */
  proxiedDbUrl: string;
  client: Client;
  connection: Connection;
  ctx: AppContext;
  config: Config;
  taskQueue: string;
  worker?: Child;
  startWorker(): Promise<Child>;
  close(): Promise<void>;
}

/** The client and the in-process app context a drill registers clues with, on either topology. */
async function drillContext(
  db: BenchDb,
  o: { databaseUrl: string; temporalAddress: string; namespace: string; taskQueue: string; smtpUrl: string },
): Promise<{ connection: Connection; client: Client; config: Config; ctx: AppContext }> {
  const connection = await Connection.connect({ address: o.temporalAddress });
  const client = new Client({ connection, namespace: o.namespace });
  const config = loadConfig({
    DATABASE_URL: o.databaseUrl,
    TEMPORAL_ADDRESS: o.temporalAddress,
    TEMPORAL_TASK_QUEUE: o.taskQueue,
    SMTP_URL: o.smtpUrl,
    DEADLINE_POLICY: JSON.stringify(DRILL_POLICY),
    RATE_LIMIT_PER_MINUTE: '1000000',
    LOG_LEVEL: 'silent',
  });
  const ctx: AppContext = {
    config,
    orm: db.orm,
    temporal: client,
    reporterKey: randomBytes(32).toString('hex'),
    log: pino({ level: 'silent' }),
  };
  return { connection, client, config, ctx };
}

export async function startStack(
  name: string,
  o: {
    temporalPort?: number;
    temporalDir?: string;
    workerEnv?: Record<string, string>;
    topology?: Topology;
  } = {},
): Promise<Stack> {
  if (o.topology === 'cluster') return startClusterStack(name, o);
  let temporal: TemporalServer = await startTemporal(
    o.temporalDir ?? tempDir(`drill-${name}`),
    o.temporalPort,
  );
  const db = await freshDb(`drill_${name.replace(/\W/g, '_')}`);
  const smtp = await drillSmtp();
  const u = new URL(db.url);
  const pgProxy = await tcpProxy(Number(u.port || 5432));
  u.port = String(pgProxy.port);
  const proxiedDbUrl = u.toString();
  const taskQueue = `drill-${name}`;
  const { connection, client, config, ctx } = await drillContext(db, {
    databaseUrl: proxiedDbUrl,
    temporalAddress: temporal.address,
    namespace: 'default',
    taskQueue,
    smtpUrl: smtp.url,
  });
  const stack: Stack = {
    topology: 'dev',
    get temporal() {
      return temporal;
    },
    stopTemporal: (signal) => temporal.stop(signal),
    async startTemporal() {
      temporal = await startTemporal(temporal.dir, temporal.port);
    },
    db,
    smtp,
    pgProxy,
    proxiedDbUrl,
    client,
    connection,
    ctx,
    config,
    taskQueue,
    async startWorker() {
      const w = spawnChild('workers/main.ts', {
        TEMPORAL_ADDRESS: temporal.address,
        DATABASE_URL: proxiedDbUrl,
        SMTP_URL: smtp.url,
        TEMPORAL_TASK_QUEUE: taskQueue,
        LOG_LEVEL: 'info',
        ...o.workerEnv,
      });
      stack.worker = w;
      await w.waitFor(/worker running/, 180_000);
      return w;
    },
    async close() {
      await stack.worker?.kill('SIGKILL');
      await connection.close().catch(() => undefined);
      await smtp.close();
      await pgProxy.close();
      // DRILL_KEEP_DB=1 keeps the database for a post-mortem.
      await db.close(process.env.DRILL_KEEP_DB !== '1');
      if (process.env.DRILL_KEEP_DB === '1') log(`kept database ${db.name}`);
      await temporal.stop();
    },
  };
  return stack;
}

/**
 * The same deployment on the cluster topology: scripts/cluster `up` (temporal-server on PostgreSQL with
 * SQL visibility, the API process, the schema and the seed) with the PostgreSQL URL of the drills'
 * proxy, so temporal-server, the API and the worker all reach PostgreSQL through it. The worker is
 * started by the drill (killable), with the environment `up` gives its own workers. The drill's own
 * reads and registrations use a direct connection, as on the dev stack.
 */
async function startClusterStack(name: string, o: { workerEnv?: Record<string, string> }): Promise<Stack> {
  const serverUrl = (await pgServer()).replace(/\/$/, '');
  const direct = new URL(serverUrl);
  const pgProxy = await tcpProxy(Number(direct.port || 5432));
  const proxied = new URL(serverUrl);
  proxied.port = String(pgProxy.port);
  const smtp = await drillSmtp();
  const dir = tempDir(`drill-cluster-${name}`);
  const taskQueue = `drill-${name}`;
  const state = await clusterUp({
    dir,
    shards: 4,
    workers: 0,
    pgUrl: proxied.toString().replace(/\/$/, ''),
    dbPrefix: `drill_${name.replace(/\W/g, '_')}_${process.pid}_`,
    smtpUrl: smtp.url,
    env: {
      DEADLINE_POLICY: JSON.stringify(DRILL_POLICY),
      TEMPORAL_TASK_QUEUE: taskQueue,
      RATE_LIMIT_PER_MINUTE: '1000000',
      LOG_LEVEL: 'info',
    },
    seed: true,
    log: (l) => log(`cluster: ${l}`),
  });
  let db: BenchDb;
  try {
    const tokens = JSON.parse(fs.readFileSync(path.join(dir, 'tokens.json'), 'utf8')) as Record<
      string,
      string
    >;
    db = await openDb(serverUrl, state.databases.app, tokens);
  } catch (err) {
    await clusterDown({ dir, drop: true, log: () => undefined }).catch(() => undefined);
    await smtp.close();
    await pgProxy.close();
    throw err;
  }
  const { connection, client, config, ctx } = await drillContext(db, {
    databaseUrl: state.databaseUrl,
    temporalAddress: state.temporalAddress,
    namespace: state.namespace,
    taskQueue,
    smtpUrl: smtp.url,
  });
  const quiet = () => undefined;
  const stack: Stack = {
    topology: 'cluster',
    temporal: { address: state.temporalAddress },
    stopTemporal: (signal) => stopTemporal({ dir, signal, log: quiet }),
    async startTemporal() {
      await restartTemporal({ dir });
    },
    apiBase: state.apiUrl.replace(/\/api\/v1$/, ''),
    db,
    smtp,
    pgProxy,
    proxiedDbUrl: state.databaseUrl,
    client,
    connection,
    ctx,
    config,
    taskQueue,
    async startWorker() {
      const env = appEnvFor(state, { LOG_LEVEL: 'info', ...o.workerEnv });
      const w = spawnChild('workers/main.ts', env);
      stack.worker = w;
      await w.waitFor(/worker running/, 180_000);
      return w;
    },
    async close() {
      await stack.worker?.kill('SIGKILL');
      await connection.close().catch(() => undefined);
      await db.close(false);
      // The databases are dropped through the proxy: it must be up.
      await pgProxy.restore();
      const keep = process.env.DRILL_KEEP_DB === '1';
      await clusterDown({ dir, drop: !keep, log: quiet });
      if (keep) log(`kept the cluster's databases and its state in ${dir}`);
      await smtp.close();
      await pgProxy.close();
    },
  };
  return stack;
}

export function drillIntake(i: number, tag: string): ClueIntake {
  return {
    sourceChannel: 'mass_report',
    description: `Drill clue ${i}`,
    subject: { name: `Drill Subject ${tag}-${i}`, kind: 'enterprise' },
    keyArea: 'elderly_care',
    keyBehaviours: ['targets_elderly'],
    online: false,
    amountCny: 500_000,
    participants: 30,
    publicOpinion: 'local',
    stabilityRisk: 'medium',
    leadUnitId: 'tushan-scenic-area',
  };
}

/** Registers n clues (numbered from `from`) through the one intake path, `concurrency` at a time; idempotency key `<tag>-<i>`. Retries on failure. */
export async function registerMany(
  stack: Stack,
  n: number,
  tag: string,
  concurrency = 10,
  from = 0,
): Promise<void> {
  let next = from;
  const lane = async () => {
    for (;;) {
      const i = next++;
      if (i >= from + n) return;
      for (let attempt = 0; ; attempt++) {
        try {
          await registerClue(stack.ctx, drillIntake(i, tag), {
            createdBy: 'u-coordinator',
            idempotencyKey: `${tag}-${i}`,
          });
          break;
        } catch (err) {
          if (attempt > 60) throw err;
          await sleep(1000);
        }
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, lane));
}

// ---- the end state ------------------------------------------------------------------------------

export interface Tally {
  clues: number;
  expectedClues: number;
  /** Idempotency keys without a row, or with more than one. */
  lostRows: number;
  duplicateRows: number;
  /** Clues not in their expected end state (stage verifying, level-1 escalation projected), or missing. */
  notInExpectedState: number;
  /** Timeline/escalation/notification facts recorded more than once for one business key. */
  duplicateFacts: number;
  expectedMails: number;
  /** Reminders retired unsent because the clock was already overdue when the workflow got to them. */
  supersededReminders: number;
  /** Expected (key, recipient) emails never accepted by the SMTP server. */
  lostMails: number;
  /** Copies beyond the first per Message-ID, and how many of those are explained by an ambiguous send. */
  repeatedCopies: number;
  unexplainedRepeats: number;
  outboxNotSent: number;
  /** How long after its due time each level-1 escalation was recorded (escalations.escalated_at − due_at). */
  escalationLateMs: { p50: number; max: number };
}

/**
 * Counts against the expected end state of n clues whose idempotency keys start with `keyPrefix`
 * (`<tag>-` through registerClue, `u-coordinator:<tag>-` through the API).
 *
 * Expected per clue: the stage-change email (2 recipients), the level-1 escalation (3) and the
 * reminder (2) — unless the reminder was superseded: the clock rule (workflows/clock.ts
 * `dueEventsAt`) acts only on the latest due event, so a reminder whose moment passed while the
 * workflow was held up (by a retrying activity) is retired once the clock is overdue. Those are
 * counted apart, never as lost.
 *
 * `ambiguous` = how many times each Message-ID's send was in doubt (accepted by the server while
 * the sender could not record it: a killed worker, a connection dropped after DATA). A further copy
 * for each is the at-least-once resend the design accepts (same Message-ID, so the mailbox keeps one).
 */
export async function tally(
  stack: Stack,
  n: number,
  keyPrefix: string,
  ambiguous: Map<string, number> = new Map(),
  keyColumn: 'idempotency_key' | 'import_key' = 'idempotency_key',
): Promise<Tally> {
  const q = stack.db.q;
  const like = `${keyPrefix.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
  const ids = await q<{ id: string; stage: string; overdue_level: number; key: string }[]>(
    `select id, stage, overdue_level, ${keyColumn} as key from clues where ${keyColumn} like ?`,
    [like],
  );
  const keys = new Set(ids.map((r) => r.key));
  const idList = `{${ids.map((r) => r.id).join(',')}}`;
  const notInState = ids.filter((r) => r.stage !== 'verifying' || r.overdue_level !== 1).length;
  const [facts] = await q<{ dup_timeline: number; dup_esc: number; reminded: number }[]>(
    `select
       (select count(*)::int from (select owner_id, kind from timeline_events where owner_id = any(?::text[])
           and kind in ('clue.registered','stage.changed','clock.reminder','clock.escalated') group by 1, 2 having count(*) > 1) d) as dup_timeline,
       (select count(*)::int from (select owner_id, level from escalations where owner_id = any(?::text[]) group by 1, 2 having count(*) > 1) d) as dup_esc,
       (select count(distinct owner_id)::int from timeline_events where owner_id = any(?::text[]) and kind = 'clock.reminder') as reminded`,
    [idList, idList, idList],
  );
  const late = (
    await q<{ ms: number }[]>(
      `select (extract(epoch from escalated_at - due_at) * 1000)::int as ms from escalations where owner_id = any(?::text[]) and level = 1 order by 1`,
      [idList],
    )
  ).map((r) => r.ms);
  const decided = await q<{ message_id: string; status: string }[]>(
    `select o.message_id, o.status from mail_outbox o join notifications n on o.key = n.key || '|' || n.user_id where n.owner_id = any(?::text[])`,
    [idList],
  );
  const copies = new Map<string, number>();
  for (const r of stack.smtp.received) copies.set(r.messageId, (copies.get(r.messageId) ?? 0) + 1);
  let repeated = 0;
  let unexplained = 0;
  for (const [id, c] of copies) {
    repeated += c - 1;
    unexplained += Math.max(0, c - 1 - (ambiguous.get(id) ?? 0));
  }
  const reminded = facts?.reminded ?? 0;
  const expectedMails = n * (MAIL.stage + MAIL.escalation) + reminded * MAIL.reminder;
  const delivered = decided.filter((e) => copies.has(e.message_id)).length;
  return {
    clues: ids.length,
    expectedClues: n,
    lostRows: n - keys.size,
    duplicateRows: ids.length - keys.size,
    notInExpectedState: notInState + (n - ids.length),
    duplicateFacts: (facts?.dup_timeline ?? 0) + (facts?.dup_esc ?? 0),
    expectedMails,
    supersededReminders: ids.length - reminded,
    lostMails: expectedMails - delivered,
    repeatedCopies: repeated,
    unexplainedRepeats: unexplained,
    outboxNotSent: decided.filter((e) => e.status !== 'sent').length,
    escalationLateMs: { p50: late[Math.floor(late.length / 2)] ?? NaN, max: late[late.length - 1] ?? NaN },
  };
}

/** Polls the tally until it is clean or the time is up (projections and retries trail the faults). */
export async function settle(
  stack: Stack,
  n: number,
  keyPrefix: string,
  ambiguous: Map<string, number>,
  timeoutMs: number,
  keyColumn: 'idempotency_key' | 'import_key' = 'idempotency_key',
): Promise<Tally> {
  const end = Date.now() + timeoutMs;
  let lastPrint = 0;
  for (;;) {
    const t = await tally(stack, n, keyPrefix, ambiguous, keyColumn);
    if (clean(t) || Date.now() > end) return t;
    if (Date.now() - lastPrint > 10_000) {
      log(
        `emails ${t.expectedMails - t.lostMails}/${t.expectedMails}, clues not yet in end state ${t.notInExpectedState}`,
      );
      lastPrint = Date.now();
    }
    await sleep(2000);
  }
}

export function clean(t: Tally): boolean {
  return (
    t.lostRows === 0 &&
    t.duplicateRows === 0 &&
    t.notInExpectedState === 0 &&
    t.duplicateFacts === 0 &&
    t.lostMails === 0 &&
    t.unexplainedRepeats === 0
  );
}

export function printTally(t: Tally): void {
  const p = (k: string, v: string | number) => process.stdout.write(`${k.padEnd(40)} ${v}\n`);
  p('clues (rows / expected)', `${t.clues} / ${t.expectedClues}`);
  p('lost rows / duplicate rows per key', `${t.lostRows} / ${t.duplicateRows}`);
  p('not in expected end state', t.notInExpectedState);
  p('duplicate facts (timeline, escalations)', t.duplicateFacts);
  p('emails lost (of expected)', `${t.lostMails} (of ${t.expectedMails})`);
  p('reminders superseded (clock was overdue)', t.supersededReminders);
  p(
    'repeated copies (same Message-ID)',
    `${t.repeatedCopies}, of which unexplained by an ambiguous send: ${t.unexplainedRepeats}`,
  );
  p('outbox rows not sent', t.outboxNotSent);
  p(
    'level-1 escalation recorded after due',
    `p50 ${(t.escalationLateMs.p50 / 1000).toFixed(1)} s, max ${(t.escalationLateMs.max / 1000).toFixed(1)} s`,
  );
  p('verdict', clean(t) ? 'PASS (0 lost, 0 duplicate)' : 'FAIL');
}
