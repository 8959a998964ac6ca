/**
 * Smoke test of the embedded default (`npm start` with no configuration): embedded Temporal dev
 * server, PGlite and the local mail outbox come up, the API answers, a clue flows, SIGTERM stops it
 * cleanly, and a second start keeps the data without printing tokens again.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net, { type AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../../src/temporal/dev-server';
import { eventually } from '../helpers/services';
import { intakeBody } from '../helpers/app';

const ROOT = path.resolve(__dirname, '..', '..');

interface Started {
  child: ChildProcess;
  out: () => string;
  url: string;
}

async function start(env: Record<string, string>): Promise<Started> {
  const child = spawn(
    process.execPath,
    // As `npm start` runs it: tsx as node's loader, so SIGTERM reaches the product itself (tsx's CLI
    // relays it and SIGKILLs a child that does not confirm within 30 ms on a loaded machine).
    ['--import', 'tsx', 'src/main.ts'],
    {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', LOG_LEVEL: 'warn', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`not READY after 90 s:\n${out.slice(-3000)}`)), 90_000);
    const check = () => {
      const m = /READY (http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    };
    child.stdout!.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code} before READY:\n${out.slice(-3000)}`));
    });
  });
  return { child, out: () => out, url };
}

async function stop(s: Started): Promise<number | null> {
  const exited = new Promise<number | null>((r) => s.child.once('exit', (code) => r(code)));
  s.child.kill('SIGTERM');
  return exited;
}

describe('embedded default', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'disposal-smoke-'));
  let env: Record<string, string>;

  beforeAll(async () => {
    env = {
      DATA_DIR: path.join(dir, 'data'),
      OUTBOX_DIR: path.join(dir, 'outbox'),
      PORT: String(await freePort()),
      TEMPORAL_DEV_PORT: String(await freePort()),
      TEMPORAL_DEV_UI_PORT: '0',
      DEADLINE_POLICY: 'seconds',
    };
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('npm start with no configuration comes up ready, takes a clue, writes mail to the outbox and stops on SIGTERM', async () => {
    const s = await start(env);
    try {
      const ready = await fetch(`${s.url}/readyz`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toMatchObject({ checks: { database: 'ok', temporal: 'ok' } });
      const token = /u-coordinator\s+(dso_\S+)/.exec(s.out())?.[1];
      expect(token).toBeDefined();
      const r = await fetch(`${s.url}/api/v1/clues`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(intakeBody()),
      });
      expect(r.status).toBe(201);
      const emls = () => fs.readdirSync(env.OUTBOX_DIR!).filter((f) => f.endsWith('.eml'));
      await eventually(() => expect(emls().length).toBeGreaterThan(0), 30_000);
      // Read as soon as it shows: a file that appears is already whole (written aside, then renamed).
      const eml = fs.readFileSync(path.join(env.OUTBOX_DIR!, emls()[0]!), 'utf8');
      expect(eml).toMatch(/^To: .+@district\.local/m);
    } finally {
      expect(await stop(s)).toBe(0);
    }
  });

  test('a second start keeps the data and does not print tokens again', async () => {
    const s = await start(env);
    try {
      expect(s.out()).not.toMatch(/dso_/);
      const r = await fetch(`${s.url}/readyz`);
      expect(r.status).toBe(200);
    } finally {
      expect(await stop(s)).toBe(0);
    }
  });

  test('a port in use stops the start at once, naming the port, and leaves no process behind', async () => {
    const taken = net.createServer().listen(0, '127.0.0.1');
    await new Promise<void>((r) => taken.once('listening', () => r()));
    const port = (taken.address() as AddressInfo).port;
    try {
      const err = await start({ ...env, PORT: String(port) }).then(
        () => new Error('started on a port in use'),
        (e: unknown) => e as Error,
      );
      expect(err.message).toContain(`exited with 1 before READY`);
      expect(err.message).toContain(`cannot listen on 127.0.0.1:${port} (HOST, PORT)`);
      // Nothing else was started: the embedded Temporal dev server's port is still free.
      const probe = net.createServer().listen(Number(env.TEMPORAL_DEV_PORT), '127.0.0.1');
      await new Promise<void>((resolve, reject) => {
        probe.once('listening', () => resolve());
        probe.once('error', reject);
      });
      await new Promise((r) => probe.close(r));
    } finally {
      await new Promise((r) => taken.close(r));
    }
  });
});
