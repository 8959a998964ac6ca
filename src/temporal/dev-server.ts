/**
 * The embedded Temporal dev server (`temporal server start-dev`, SQLite persisted under DATA_DIR),
 * started as a child process for users without a Temporal cluster.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { requireBinary } from './binaries';
import { SEARCH_ATTRIBUTES } from './search-attributes';

export interface DevServer {
  address: string;
  uiUrl?: string;
  stop(): Promise<void>;
}

/**
 * WAL: one fsync per checkpoint instead of per commit — 3.4× the start rate and no multi-second timer
 * tails (BENCHMARKS.md §2). A crashed process loses nothing; a power cut may lose the last commits,
 * never the file.
 */
export const SQLITE_WAL_ARGS = [
  '--sqlite-pragma',
  'journal_mode=wal',
  '--sqlite-pragma',
  'synchronous=normal',
];

export async function waitForPort(port: number, host = '127.0.0.1', timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.connect(port, host);
      s.once('connect', () => (s.destroy(), resolve(true)));
      s.once('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`nothing listening on ${host}:${port} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

export async function startDevServer(o: {
  dataDir: string;
  port: number;
  uiPort?: number;
  namespace: string;
}): Promise<DevServer> {
  const bin = requireBinary('temporal');
  fs.mkdirSync(path.resolve(o.dataDir), { recursive: true });
  const port = o.port || (await freePort());
  const args = [
    'server',
    'start-dev',
    '--ip',
    '127.0.0.1',
    '--port',
    String(port),
    '--namespace',
    o.namespace,
    '--db-filename',
    path.resolve(o.dataDir, 'temporal.sqlite'),
    ...SQLITE_WAL_ARGS,
    '--log-level',
    'error',
  ];
  if (o.uiPort) args.push('--ui-port', String(o.uiPort));
  else args.push('--headless');
  for (const sa of SEARCH_ATTRIBUTES) args.push('--search-attribute', `${sa.name}=${saType(sa.type)}`);
  const child: ChildProcess = spawn(bin, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  const exited = new Promise<never>((_, reject) =>
    child.once('exit', (code) => reject(new Error(`temporal dev server exited with ${code}: ${stderr}`))),
  );
  await Promise.race([waitForPort(port), exited]);
  return {
    address: `127.0.0.1:${port}`,
    uiUrl: o.uiPort ? `http://127.0.0.1:${o.uiPort}` : undefined,
    async stop() {
      if (child.exitCode !== null) return;
      const done = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 5000);
      await done;
      clearTimeout(t);
    },
  };
}

function saType(t: string): string {
  const map: Record<string, string> = {
    KEYWORD: 'Keyword',
    INT: 'Int',
    DATETIME: 'Datetime',
    TEXT: 'Text',
    BOOL: 'Bool',
    DOUBLE: 'Double',
  };
  return map[t] ?? t;
}
