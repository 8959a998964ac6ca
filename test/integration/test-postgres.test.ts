/**
 * The PostgreSQL the tests, the contract run, benchmarks and drills use (scripts/test-postgres.ts):
 * an explicit URL is taken as given, a server that wants a password from `postgres` is not usable,
 * and an embedded server is real, lets the suites create databases, and leaves nothing behind.
 */
import fs from 'node:fs';
import net from 'node:net';
import { Client } from 'pg';
import { findOrStartPostgres, probe, startEmbedded } from '../../scripts/test-postgres';

const listening = (port: number) =>
  new Promise<boolean>((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });

describe('the test PostgreSQL server', () => {
  test('an explicit URL is used as given (trailing slash dropped), and stopping it does nothing', async () => {
    const s = await findOrStartPostgres({ explicitUrl: 'postgresql://u:p@db.invalid:5432/' });
    expect(s).toMatchObject({ url: 'postgresql://u:p@db.invalid:5432', source: 'env' });
    expect(s.describe).not.toContain(':p@');
    await s.stop();
  });

  test('an embedded server takes its URL with the password, refuses postgres without it, creates databases, and after stop its port is closed and its directory gone', async () => {
    const s = await startEmbedded();
    try {
      expect(s.source).toBe('embedded');
      expect(await probe(s.url)).toBe(true);
      const u = new URL(s.url);
      u.password = '';
      expect(await probe(u.toString().replace(/\/$/, ''))).not.toBe(true);
      const c = new Client({ connectionString: `${s.url}/postgres` });
      await c.connect();
      await c.query('create database probe_db');
      const r = await c.query<{ v: string }>("select current_setting('server_version') as v");
      await c.end();
      expect(r.rows[0]!.v).toMatch(/^16\./);
    } finally {
      await s.stop();
    }
    expect(await listening(Number(new URL(s.url).port))).toBe(false);
    expect(s.dir && fs.existsSync(s.dir)).toBe(false);
  }, 180_000);
});
