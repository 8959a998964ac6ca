/**
 * Users, passwords and API tokens through the API (the admin's workbench pages call these): every
 * change is audited with the admin who made it; a new password or token is in one answer only
 * (no-store), stored hashed and never written to a log or the audit list; bad input is 422 naming the
 * field, an unknown user or token 404, a clash 409. Whole deployment, real PostgreSQL.
 */
import { hashToken } from '../../src/auth/tokens';
import { captureLogger, expectStatus, startApiSuite, type ApiSuite } from './support';

let s: ApiSuite;
const captured = captureLogger();
const secrets: string[] = [];

beforeAll(async () => {
  s = await startApiSuite({ taskQueue: 'api-admin', log: captured.log, configEnv: { LOG_LEVEL: 'debug' } });
}, 120_000);
afterAll(async () => {
  await s?.close();
});

const paths = (r: { body: { errors: { path: (string | number)[] }[] } }) =>
  r.body.errors.map((e) => e.path.join('.'));

async function auditRows(action: string, target: string) {
  return s.db.q<{ actor_id: string; role: string; details: Record<string, unknown> }[]>(
    `select actor_id, role, details from audit_log where action = ? and target = ? order by id`,
    [action, target],
  );
}

describe('users', () => {
  test('the admin creates a unit officer; it is listed; the same id or email again is 409, and the creation is audited with the admin', async () => {
    const body = {
      id: 'u-xu',
      name: 'Xu Ming',
      email: 'xu.ming@district.local',
      role: 'unit_officer',
      unitId: 'yanshan-town',
    };
    const r = expectStatus(await s.call('u-admin', 'POST', '/api/v1/users', body), 201, 'create');
    expect(r.body).toEqual({
      id: 'u-xu',
      name: 'Xu Ming',
      email: 'xu.ming@district.local',
      role: 'unit_officer',
      unitId: 'yanshan-town',
      isUnitHead: false,
      locale: 'zh-CN',
      active: true,
    });
    const list = expectStatus(await s.call('u-admin', 'GET', '/api/v1/users'), 200, 'list');
    expect(list.body.items).toContainEqual(r.body);
    expect(list.text).not.toMatch(/password/i);
    const again = expectStatus(await s.call('u-admin', 'POST', '/api/v1/users', body), 409, 'same id');
    expect(again.body.detail).toContain('already exists');
    expectStatus(
      await s.call('u-admin', 'POST', '/api/v1/users', {
        ...body,
        id: 'u-xu-2',
        email: 'XU.MING@district.local',
      }),
      409,
      'same email',
    );
    expect(await auditRows('user.create', 'user:u-xu')).toEqual([
      expect.objectContaining({ actor_id: 'u-admin', role: 'admin' }),
    ]);
  });

  test('bad input is 422 naming the field: an officer without a unit, an unknown unit, a bad email, an id with capitals, an unknown field', async () => {
    const base = { id: 'u-new', name: 'New Person', email: 'new@district.local', role: 'unit_officer' };
    const cases: [Record<string, unknown>, string][] = [
      [base, 'unitId'],
      [{ ...base, unitId: 'no-such-unit' }, 'unitId'],
      [{ ...base, unitId: 'yanshan-town', email: 'not-an-email' }, 'email'],
      [{ ...base, unitId: 'yanshan-town', id: 'U New' }, 'id'],
      [{ ...base, unitId: 'yanshan-town', password: 'x' }, ''],
    ];
    for (const [body, field] of cases) {
      const r = expectStatus(await s.call('u-admin', 'POST', '/api/v1/users', body), 422, field);
      expect(r.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      if (field) expect(paths(r)).toContain(field);
    }
  });

  test('when the admin changes a role, then it takes effect on the user’s next request and is audited with the old and new role; its own role it cannot change', async () => {
    expectStatus(
      await s.call('u-admin', 'POST', '/api/v1/users', {
        id: 'u-wu',
        name: 'Wu Lei',
        email: 'wu.lei@district.local',
        role: 'leader',
      }),
      201,
      'create',
    );
    const t = expectStatus(
      await s.call('u-admin', 'POST', '/api/v1/tokens', { userId: 'u-wu' }),
      201,
      'token',
    );
    secrets.push(t.body.token);
    const me = async () =>
      (await s.raw('GET', '/api/v1/me', { headers: { authorization: `Bearer ${t.body.token}` } })).body;
    expect((await me()).role).toBe('leader');
    const r = expectStatus(
      await s.call('u-admin', 'PATCH', '/api/v1/users/u-wu', {
        role: 'unit_officer',
        unitId: 'changhuai-town',
      }),
      200,
      'role',
    );
    expect(r.body).toMatchObject({ id: 'u-wu', role: 'unit_officer', unitId: 'changhuai-town' });
    expect(await me()).toMatchObject({ role: 'unit_officer', unitId: 'changhuai-town' });
    expect(await auditRows('user.role_change', 'user:u-wu')).toEqual([
      expect.objectContaining({
        actor_id: 'u-admin',
        details: {
          from: { role: 'leader', unitId: null },
          to: { role: 'unit_officer', unitId: 'changhuai-town' },
        },
      }),
    ]);
    // A unit-bound role needs a unit; nothing to change is 422; unknown user 404; its own role 409.
    expect(
      paths(expectStatus(await s.call('u-admin', 'PATCH', '/api/v1/users/u-admin', {}), 422, 'empty')),
    ).toEqual(['role']);
    expectStatus(
      await s.call('u-admin', 'PATCH', '/api/v1/users/u-nobody', { role: 'leader' }),
      404,
      'unknown',
    );
    expectStatus(await s.call('u-admin', 'PATCH', '/api/v1/users/u-admin', { role: 'leader' }), 409, 'self');
    expectStatus(await s.call('u-admin', 'PATCH', '/api/v1/users/u-admin', { active: false }), 409, 'self');
  });

  test('when the admin resets a password, then the new one is in that answer only (no-store), works for sign-in, is stored hashed, and the audit row has no secret', async () => {
    const r = expectStatus(
      await s.call('u-admin', 'POST', '/api/v1/users/u-xu/password-reset'),
      200,
      'reset',
    );
    const password: string = r.body.password;
    secrets.push(password);
    expect(r.body.userId).toBe('u-xu');
    expect(password.length).toBeGreaterThanOrEqual(12);
    expect(r.headers.get('cache-control')).toBe('no-store');
    const signIn = await s.raw('POST', '/api/v1/session', {
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'u-xu', password }),
    });
    expect(signIn.status).toBe(200);
    const [row] = await s.db.q<{ password_hash: string }[]>(
      `select password_hash from users where id = 'u-xu'`,
    );
    expect(row!.password_hash).toMatch(/^\$scrypt\$/);
    expect(row!.password_hash).not.toContain(password);
    const audit = await auditRows('password.set', 'user:u-xu');
    expect(audit).toEqual([expect.objectContaining({ actor_id: 'u-admin', details: { how: 'reset' } })]);
    // A second reset gives another password; the first no longer works.
    const again = expectStatus(
      await s.call('u-admin', 'POST', '/api/v1/users/u-xu/password-reset'),
      200,
      'reset',
    );
    secrets.push(again.body.password);
    expect(again.body.password).not.toBe(password);
    expectStatus(await s.call('u-admin', 'POST', '/api/v1/users/u-nobody/password-reset'), 404, 'unknown');
  });
});

describe('tokens', () => {
  let tokenId: string;
  let token: string;

  test('when the admin issues a token, then the secret is in that answer only, works at once, is stored as its SHA-256 hash, and the list shows its prefix but never the secret', async () => {
    const r = expectStatus(
      await s.call('u-admin', 'POST', '/api/v1/tokens', {
        userId: 'u-xu',
        label: 'ledger sync',
        expiresInDays: 30,
      }),
      201,
      'issue',
    );
    ({ id: tokenId, token } = r.body);
    secrets.push(token);
    expect(r.headers.get('cache-control')).toBe('no-store');
    expect(r.body).toMatchObject({ userId: 'u-xu', label: 'ledger sync', expiresAt: expect.any(String) });
    const me = await s.raw('GET', '/api/v1/me', { headers: { authorization: `Bearer ${token}` } });
    expect(me.body.userId).toBe('u-xu');
    const [stored] = await s.db.q<{ token_hash: string }[]>(
      `select token_hash from api_tokens where id = ?`,
      [tokenId],
    );
    expect(stored!.token_hash).toBe(hashToken(token));
    const list = expectStatus(await s.call('u-admin', 'GET', '/api/v1/tokens?userId=u-xu'), 200, 'list');
    expect(list.body.items).toEqual([
      expect.objectContaining({
        id: tokenId,
        label: 'ledger sync',
        prefix: token.slice(0, 10),
        revokedAt: null,
      }),
    ]);
    expect(list.text).not.toContain(token);
    expect(await auditRows('token.issue', `token:${tokenId}`)).toEqual([
      expect.objectContaining({ actor_id: 'u-admin' }),
    ]);
    // An unknown or deactivated user, or a bad expiry, is 422/409 naming the field.
    expect(
      paths(
        expectStatus(await s.call('u-admin', 'POST', '/api/v1/tokens', { userId: 'u-nobody' }), 422, 'x'),
      ),
    ).toEqual(['userId']);
    expect(
      paths(
        expectStatus(
          await s.call('u-admin', 'POST', '/api/v1/tokens', { userId: 'u-xu', expiresInDays: 0 }),
          422,
          'expiry',
        ),
      ),
    ).toEqual(['expiresInDays']);
  });

  test('when the admin revokes it, then it stops working at once; revoking again is 409, an unknown token 404; audited', async () => {
    expectStatus(await s.call('u-admin', 'DELETE', `/api/v1/tokens/${tokenId}`), 204, 'revoke');
    const me = await s.raw('GET', '/api/v1/me', { headers: { authorization: `Bearer ${token}` } });
    expect(me.status).toBe(401);
    expectStatus(await s.call('u-admin', 'DELETE', `/api/v1/tokens/${tokenId}`), 409, 'again');
    expectStatus(await s.call('u-admin', 'DELETE', '/api/v1/tokens/no-such-token'), 404, 'unknown');
    expect(await auditRows('token.revoke', `token:${tokenId}`)).toEqual([
      expect.objectContaining({ actor_id: 'u-admin', details: { userId: 'u-xu' } }),
    ]);
  });

  test('when the admin deactivates a user, then their tokens stop working and no token can be issued for them', async () => {
    const t = expectStatus(
      await s.call('u-admin', 'POST', '/api/v1/tokens', { userId: 'u-xu' }),
      201,
      'issue',
    );
    secrets.push(t.body.token);
    const r = expectStatus(
      await s.call('u-admin', 'PATCH', '/api/v1/users/u-xu', { active: false }),
      200,
      'off',
    );
    expect(r.body.active).toBe(false);
    const me = await s.raw('GET', '/api/v1/me', { headers: { authorization: `Bearer ${t.body.token}` } });
    expect(me.status).toBe(401);
    expectStatus(await s.call('u-admin', 'POST', '/api/v1/tokens', { userId: 'u-xu' }), 409, 'deactivated');
    expect(await auditRows('user.deactivate', 'user:u-xu')).toHaveLength(1);
  });

  test('no password or token issued here is in any log line or audit row', async () => {
    expect(secrets.length).toBeGreaterThanOrEqual(5);
    const audit = JSON.stringify(await s.db.q(`select * from audit_log`));
    for (const secret of secrets) {
      expect(captured.lines.filter((l) => l.includes(secret))).toEqual([]);
      expect(audit).not.toContain(secret);
    }
    expect(captured.lines.length).toBeGreaterThan(10);
  });
});
