/**
 * `npm run admin`: units, users and tokens on a real PostgreSQL database, run as the operator runs it
 * (a child process). Bad input exits 2 with a message; a new token is printed once and never again;
 * revocation, expiry and deactivation take effect on the next authentication.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import type { EntityManager } from '@mikro-orm/postgresql';
import { authenticate } from '../../src/auth/tokens';
import { freshDatabase, type TestDb } from '../helpers/services';

const ROOT = path.resolve(__dirname, '..', '..');
let db: TestDb;

beforeAll(async () => {
  db = await freshDatabase('disposal_admin');
});
afterAll(async () => {
  await db?.close();
});

function admin(...args: string[]): { code: number; out: string; err: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/admin.ts', ...args], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: db.url, LOG_LEVEL: 'silent' },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}
const em = () => db.orm.em.fork() as EntityManager;

describe('admin CLI', () => {
  test('units: create and list; bad input exits 2 and says why', () => {
    const ok = admin(
      'units',
      'create',
      '--id',
      'bengbu-new-town',
      '--name-zh',
      '新城镇',
      '--name-en',
      'New Town',
      '--kind',
      'town',
    );
    expect(ok).toMatchObject({ code: 0, out: 'unit bengbu-new-town created\n' });
    const list = admin('units', 'list', '--json');
    expect(list.code).toBe(0);
    expect((JSON.parse(list.out) as { id: string }[]).map((u) => u.id)).toEqual(
      expect.arrayContaining(['bengbu-new-town', 'tushan-scenic-area']),
    );
    const again = admin(
      'units',
      'create',
      '--id',
      'bengbu-new-town',
      '--name-zh',
      'x',
      '--name-en',
      'x',
      '--kind',
      'town',
    );
    expect(again.code).toBe(2);
    expect(again.err).toContain('already exists');
    const badKind = admin(
      'units',
      'create',
      '--id',
      'x-town',
      '--name-zh',
      'x',
      '--name-en',
      'x',
      '--kind',
      'village',
    );
    expect(badKind.code).toBe(2);
    expect(badKind.err).toMatch(/kind/);
    const missing = admin('units', 'create', '--id', 'y-town');
    expect(missing.code).toBe(2);
    expect(missing.err).toContain('--name-zh is required');
  });

  test('users: create with role, unit, head and locale; list; refuse what cannot work', () => {
    const u = admin(
      'users',
      'create',
      '--id',
      'u-newtown',
      '--name',
      'Liu Yang',
      '--email',
      'liu@district.local',
      '--role',
      'unit_officer',
      '--unit',
      'bengbu-new-town',
      '--head',
      '--locale',
      'en',
    );
    expect(u).toMatchObject({ code: 0 });
    expect(u.out).toContain('unit head');
    const rows = JSON.parse(admin('users', 'list', '--json').out) as {
      id: string;
      role: string;
      unit_id: string;
      is_unit_head: boolean;
      locale: string;
      active: boolean;
    }[];
    expect(rows.find((r) => r.id === 'u-newtown')).toEqual({
      id: 'u-newtown',
      name: 'Liu Yang',
      email: 'liu@district.local',
      role: 'unit_officer',
      unit_id: 'bengbu-new-town',
      is_unit_head: true,
      locale: 'en',
      active: true,
    });
    for (const [args, message] of [
      [
        ['--id', 'u-a', '--name', 'A', '--email', 'a@district.local', '--role', 'unit_officer'],
        'needs a unit',
      ],
      [
        [
          '--id',
          'u-b',
          '--name',
          'B',
          '--email',
          'b@district.local',
          '--role',
          'police_liaison',
          '--unit',
          'atlantis',
        ],
        'unknown unit',
      ],
      [['--id', 'u-c', '--name', 'C', '--email', 'not-an-email', '--role', 'leader'], 'email'],
      [['--id', 'u-d', '--name', 'D', '--email', 'd@district.local', '--role', 'superuser'], 'role'],
      [
        ['--id', 'u-newtown', '--name', 'E', '--email', 'e@district.local', '--role', 'leader'],
        'already exists',
      ],
      [['--id', 'u-f', '--name', 'F', '--email', 'LIU@district.local', '--role', 'leader'], 'already in use'],
      [
        ['--id', 'u-g', '--name', 'G', '--email', 'g@district.local', '--role', 'leader', '--locale', 'fr'],
        'locale',
      ],
    ] as const) {
      const r = admin('users', 'create', ...args);
      expect(`${r.code} ${r.err}`).toMatch(new RegExp(`^2 .*${message}`, 's'));
    }
  });

  test('tokens: shown once at creation, listed without secrets, expiring and revocable at once', async () => {
    const created = admin(
      'tokens',
      'create',
      '--user',
      'u-newtown',
      '--label',
      'laptop',
      '--expires-in',
      '30',
      '--json',
    );
    expect(created.code).toBe(0);
    const t = JSON.parse(created.out) as { id: string; token: string; expiresAt: string };
    expect(t.token).toMatch(/^dso_[A-Za-z0-9_-]{43}$/);
    expect(Date.parse(t.expiresAt) - Date.now()).toBeGreaterThan(29 * 86_400_000);
    expect(await authenticate(em(), t.token)).toMatchObject({
      userId: 'u-newtown',
      role: 'unit_officer',
      unitId: 'bengbu-new-town',
    });

    const human = admin('tokens', 'create', '--user', 'u-newtown');
    const secret = human.out.split('\n')[1]!;
    expect(secret).toMatch(/^dso_/);
    expect(human.out).toContain('shown once');

    const list = admin('tokens', 'list', '--user', 'u-newtown');
    expect(list.code).toBe(0);
    expect(list.out).toContain(t.id);
    expect(list.out).toContain('laptop');
    expect(list.out).not.toContain(t.token);
    expect(list.out).not.toContain(secret);
    const [hash] = await db.q<{ token_hash: string }[]>('select token_hash from api_tokens where id = ?', [
      t.id,
    ]);
    expect(list.out).not.toContain(hash!.token_hash);

    expect(admin('tokens', 'revoke', '--id', t.id)).toMatchObject({ code: 0 });
    expect(await authenticate(em(), t.token)).toBeUndefined();
    const twice = admin('tokens', 'revoke', '--id', t.id);
    expect(twice.code).toBe(2);
    expect(twice.err).toContain('already revoked');
    expect(admin('tokens', 'revoke', '--id', 'no-such-token').code).toBe(2);
    for (const bad of ['0', '-3', 'soon', '99999'])
      expect(admin('tokens', 'create', '--user', 'u-newtown', `--expires-in=${bad}`).code).toBe(2);
    expect(admin('tokens', 'create', '--user', 'u-ghost').code).toBe(2);

    // Deactivating the user stops every token of theirs, and no new one can be made.
    expect(await authenticate(em(), secret)).toBeDefined();
    expect(admin('users', 'deactivate', '--id', 'u-newtown').code).toBe(0);
    expect(await authenticate(em(), secret)).toBeUndefined();
    expect(admin('tokens', 'create', '--user', 'u-newtown').code).toBe(2);
    expect(admin('users', 'deactivate', '--id', 'u-ghost').code).toBe(2);
  });

  test('usage errors exit 2 and print the usage; --help exits 0', () => {
    for (const args of [
      [],
      ['units'],
      ['units', 'explode'],
      ['users', 'list', '--bogus'],
      ['units', 'list', 'extra'],
    ]) {
      const r = admin(...args);
      expect(r.code).toBe(2);
      expect(r.err).toContain('usage: npm run admin');
    }
    const help = admin('--help');
    expect(help.code).toBe(0);
    expect(help.out).toContain('tokens create --user USER_ID');
  });
});
