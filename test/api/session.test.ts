/**
 * Sign-in for people, on the real stack (API + worker on the Temporal dev server, real PostgreSQL and
 * SMTP): password sign-in, the session cookie and its flags, GET /me and sign-out, CSRF on every
 * cookie-authenticated write (bearer writes unaffected), back-off and lockout per account, idle and
 * absolute expiry, unknown usernames indistinguishable from wrong passwords, the same unit scoping as
 * bearer tokens, `npm run admin` password commands, and no secret in the logs. Every answer of the
 * main app is checked against the OpenAPI document it serves.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { createApp } from '../../api/app';
import { fullApiExtras } from '../../api/extras';
import { PROBLEM_BASE } from '../../api/problem';
import { setPassword } from '../../src/auth/passwords';
import type { AppContext } from '../../src/context';
import { seedDemoPasswords } from '../../src/seed';
import {
  captureLogger,
  expectStatus,
  registerClue,
  startApiSuite,
  type ApiSuite,
  type Reply,
} from './support';

const ROOT = path.resolve(__dirname, '..', '..');
const capture = captureLogger();
let s: ApiSuite;
const servers: Server[] = [];
/** Every secret handed out in this suite; none may appear in a log line. */
const secrets: string[] = [];

const PASSWORDS: Record<string, string> = {
  'u-tushan': 'tushan-correct-horse-1',
  'u-changhuai': 'changhuai-battery-staple-2',
  'u-admin': 'admin-purple-monkey-3',
  'u-market': 'market-green-tea-4',
  'u-leader': 'leader-blue-river-5',
  'u-coordinator': 'coordinator-red-lamp-6',
};

beforeAll(async () => {
  // No back-off in the main app, so lockout tests need no waiting; back-off has its own app below.
  s = await startApiSuite({
    taskQueue: 'api-session',
    log: capture.log,
    configEnv: { LOG_LEVEL: 'info', SIGN_IN_BACKOFF_MS: '0' },
  });
  for (const [user, pw] of Object.entries(PASSWORDS)) await setPassword(s.db.em(), user, pw);
  secrets.push(...Object.values(PASSWORDS));
}, 180_000);

afterAll(async () => {
  for (const srv of servers) {
    srv.closeAllConnections();
    await new Promise<void>((r) => srv.close(() => r()));
  }
  await s?.close();
});

const origin = () => s.app.url;

interface Cookie {
  name: string;
  value: string;
  attrs: string[];
}
function parseSetCookie(r: Reply): Cookie | undefined {
  const raw = r.headers.getSetCookie()[0];
  if (!raw) return undefined;
  const [pair, ...attrs] = raw.split(';').map((x) => x.trim());
  const eq = pair!.indexOf('=');
  return { name: pair!.slice(0, eq), value: pair!.slice(eq + 1), attrs };
}

interface Signed {
  cookie: string;
  csrf: string;
  reply: Reply;
}

async function signIn(
  username: string,
  password: string,
  headers: Record<string, string> = {},
): Promise<Reply> {
  return s.raw('POST', '/api/v1/session', {
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ username, password }),
  });
}

async function signedIn(user: string): Promise<Signed> {
  const reply = expectStatus(await signIn(user, PASSWORDS[user]!), 200, `sign in ${user}`);
  const c = parseSetCookie(reply)!;
  secrets.push(c.value, reply.body.csrfToken as string);
  return { cookie: `${c.name}=${c.value}`, csrf: reply.body.csrfToken as string, reply };
}

/** A request with the session cookie; writes from this site with the CSRF token unless told otherwise. */
function withCookie(
  who: Signed,
  method: string,
  p: string,
  body?: unknown,
  headers: Record<string, string> = { origin: origin(), 'x-csrf-token': who.csrf },
): Promise<Reply> {
  return s.raw(method, p, {
    headers: {
      cookie: who.cookie,
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...headers,
    },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
}

const problemType = (r: Reply) => (r.body as { type?: string }).type?.replace(PROBLEM_BASE, '');

/** Another app over the same services with other settings (cookie, proxy, back-off, rate limits). */
async function variant(
  env: Partial<AppContext['config']['auth']>,
  http: Partial<AppContext['config']['http']> = {},
) {
  const ctx = s.app.ctx;
  const srv = createApp(
    {
      ...ctx,
      config: {
        ...ctx.config,
        auth: { ...ctx.config.auth, ...env },
        http: { ...ctx.config.http, ...http },
      },
    },
    fullApiExtras,
  ).listen(0, '127.0.0.1');
  await new Promise<void>((r) => srv.once('listening', () => r()));
  servers.push(srv);
  const url = `http://127.0.0.1:${(srv.address() as AddressInfo).port}`;
  const call = async (
    method: string,
    p: string,
    init: { headers?: Record<string, string>; body?: string } = {},
  ) => {
    const res = await fetch(url + p, { method, headers: init.headers, body: init.body });
    const text = await res.text();
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      /* not JSON */
    }
    const reply: Reply = { status: res.status, body, text, bytes: Buffer.from(text), headers: res.headers };
    s.checker.check(method, p, reply);
    return reply;
  };
  return Object.assign(call, { url });
}

async function audit(action: string, target: string): Promise<number> {
  const [r] = await s.db.q<{ n: number }[]>(
    'select count(*)::int as n from audit_log where action = ? and target = ?',
    [action, target],
  );
  return r!.n;
}

describe('sign in, me, sign out', () => {
  test('the right password answers the user and a CSRF token and sets an HttpOnly, SameSite=Lax, Path=/ cookie (no Secure over http)', async () => {
    const r = expectStatus(await signIn('u-tushan', PASSWORDS['u-tushan']!), 200);
    expect(r.body.user).toEqual({
      id: 'u-tushan',
      name: 'Wang Fang',
      role: 'unit_officer',
      unitId: 'tushan-scenic-area',
      locale: 'zh-CN',
    });
    expect(r.body.csrfToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(r.body.idleTimeoutSeconds).toBe(1800);
    expect(new Date(r.body.expiresAt as string).getTime() - Date.now()).toBeGreaterThan(11.9 * 3600_000);
    expect(r.headers.get('cache-control')).toBe('no-store');
    const c = parseSetCookie(r)!;
    secrets.push(c.value, r.body.csrfToken as string);
    expect(c.name).toBe('dso_session');
    expect(c.value).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(c.attrs).toEqual(expect.arrayContaining(['Path=/', 'HttpOnly', 'SameSite=Lax']));
    expect(c.attrs.some((a) => /^(Secure|Domain|Max-Age|Expires)/i.test(a))).toBe(false);
    // Stored hashed: neither the cookie value nor the CSRF token is in the database.
    const rows = await s.db.q<Record<string, unknown>[]>('select * from sessions where user_id = ?', [
      'u-tushan',
    ]);
    expect(rows.length).toBeGreaterThan(0);
    expect(JSON.stringify(rows)).not.toContain(c.value);
    expect(JSON.stringify(rows)).not.toContain(r.body.csrfToken as string);
    expect(rows[0]!.user_agent).toBe('other on other');
  });

  test('GET /me works with the cookie as with a bearer token, and returns the CSRF token again', async () => {
    const who = await signedIn('u-tushan');
    const me = expectStatus(await withCookie(who, 'GET', '/api/v1/me'), 200);
    const bearer = expectStatus(await s.call('u-tushan', 'GET', '/api/v1/me'), 200);
    expect(me.body).toEqual({ ...bearer.body, csrfToken: who.csrf });
    expect(bearer.body.csrfToken).toBeUndefined();
  });

  test('the username is the user id or the email, in any case', async () => {
    expectStatus(await signIn('TUSHAN@district.local', PASSWORDS['u-tushan']!), 200);
    expectStatus(await signIn(' U-Tushan ', PASSWORDS['u-tushan']!), 200);
  });

  test('sign-out ends the session on the server: the same cookie is refused afterwards; both are audited', async () => {
    const before = await audit('auth.sign_out', 'user:u-tushan');
    const signInsBefore = await audit('auth.sign_in', 'user:u-tushan');
    const who = await signedIn('u-tushan');
    expect(await audit('auth.sign_in', 'user:u-tushan')).toBe(signInsBefore + 1);
    const out = expectStatus(await withCookie(who, 'DELETE', '/api/v1/session'), 204);
    const cleared = parseSetCookie(out)!;
    expect(cleared.name).toBe('dso_session');
    expect(cleared.value).toBe('');
    expect(cleared.attrs.some((a) => a.startsWith('Expires=Thu, 01 Jan 1970'))).toBe(true);
    const after = await withCookie(who, 'GET', '/api/v1/me');
    expect(after.status).toBe(401);
    expect(await audit('auth.sign_out', 'user:u-tushan')).toBe(before + 1);
  });

  test('signing in again from the same browser replaces the old session', async () => {
    const first = await signedIn('u-leader');
    const second = expectStatus(
      await signIn('u-leader', PASSWORDS['u-leader']!, { cookie: first.cookie }),
      200,
    );
    secrets.push(parseSetCookie(second)!.value);
    expect((await withCookie(first, 'GET', '/api/v1/me')).status).toBe(401);
  });

  test('the session routes are in the OpenAPI document, sign-in without security, and the cookie is a security scheme', () => {
    const doc = s.checker.doc as unknown as {
      paths: Record<string, Record<string, { security?: unknown[] }>>;
      components: { securitySchemes: Record<string, { type: string; in?: string; name?: string }> };
    };
    expect(doc.paths['/api/v1/session']?.post?.security).toEqual([]);
    expect(doc.paths['/api/v1/session']?.delete).toBeDefined();
    expect(doc.components.securitySchemes.session).toMatchObject({
      type: 'apiKey',
      in: 'cookie',
      name: 'dso_session',
    });
    expect(doc.paths['/api/v1/me']?.get?.security).toEqual([{ bearer: [] }, { session: [] }]);
  });

  test('methods other than POST and DELETE on /session answer 405 with Allow; a form body 415', async () => {
    const put = await s.raw('PUT', '/api/v1/session');
    expect(put.status).toBe(405);
    expect(put.headers.get('allow')).toBe('POST, DELETE');
    const form = await s.raw('POST', '/api/v1/session', {
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'username=u-tushan&password=x',
    });
    expect(form.status).toBe(415);
    const bad = await s.raw('POST', '/api/v1/session', {
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'u-tushan', password: 'x', role: 'admin' }),
    });
    expect(bad.status).toBe(422);
    const nul = await signIn('u-\u0000tushan', 'x');
    expect(nul.status).toBe(422);
  });
});

describe('CSRF: every cookie-authenticated write', () => {
  let admin: Signed;
  let n = 0;
  const unit = () => ({ id: `csrf-unit-${++n}`, nameZh: '测试单位', nameEn: 'Test Unit', kind: 'community' });
  beforeAll(async () => {
    admin = await signedIn('u-admin');
  });

  test.each([
    ['without the token', { origin: 'ORIGIN' }],
    ['with a wrong token', { origin: 'ORIGIN', 'x-csrf-token': 'A'.repeat(43) }],
    ['with the token but from a foreign Origin', { origin: 'https://evil.example', 'x-csrf-token': 'TOKEN' }],
    [
      'with the token but Sec-Fetch-Site cross-site',
      { 'sec-fetch-site': 'cross-site', 'x-csrf-token': 'TOKEN' },
    ],
    [
      'with the token but Sec-Fetch-Site same-site',
      { 'sec-fetch-site': 'same-site', 'x-csrf-token': 'TOKEN' },
    ],
    ['with the token but neither Origin nor Sec-Fetch-Site', { 'x-csrf-token': 'TOKEN' }],
    ['with the token but Origin null', { origin: 'null', 'x-csrf-token': 'TOKEN' }],
  ])('is refused %s: 403 csrf and nothing is written', async (_what, h) => {
    const headers = Object.fromEntries(
      Object.entries(h).map(([k, v]) => [k, v === 'ORIGIN' ? origin() : v === 'TOKEN' ? admin.csrf : v]),
    );
    const body = unit();
    const r = await withCookie(admin, 'POST', '/api/v1/units', body, headers);
    expect(r.status).toBe(403);
    expect(problemType(r)).toBe('csrf');
    expect(r.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(await s.db.q('select id from units where id = ?', [body.id])).toEqual([]);
  });

  test('a cross-site HTML form post with the cookie is refused (403 csrf, before anything reads the body)', async () => {
    const r = await s.raw('POST', '/api/v1/units', {
      headers: {
        cookie: admin.cookie,
        origin: 'https://evil.example',
        'sec-fetch-site': 'cross-site',
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: 'id=evil-unit&nameZh=x&nameEn=x&kind=town',
    });
    expect(r.status).toBe(403);
    expect(problemType(r)).toBe('csrf');
  });

  test('sign-out is a write too: refused cross-site, the session lives on', async () => {
    const who = await signedIn('u-coordinator');
    const r = await withCookie(who, 'DELETE', '/api/v1/session', undefined, {
      origin: 'https://evil.example',
    });
    expect(r.status).toBe(403);
    expectStatus(await withCookie(who, 'GET', '/api/v1/me'), 200);
  });

  test('a sign-in posted from another site is refused (login CSRF)', async () => {
    const r = await signIn('u-tushan', PASSWORDS['u-tushan']!, { origin: 'https://evil.example' });
    expect(r.status).toBe(403);
    expect(problemType(r)).toBe('csrf');
    expect(r.headers.getSetCookie()).toEqual([]);
  });

  test('the same write is accepted with the token from this site (Origin, or Sec-Fetch-Site same-origin)', async () => {
    expectStatus(await withCookie(admin, 'POST', '/api/v1/units', unit()), 201);
    expectStatus(
      await withCookie(admin, 'POST', '/api/v1/units', unit(), {
        'sec-fetch-site': 'same-origin',
        'x-csrf-token': admin.csrf,
      }),
      201,
    );
  });

  test('reads need no token', async () => {
    expectStatus(await withCookie(admin, 'GET', '/api/v1/units', undefined, {}), 200);
  });

  test('a bearer write is unaffected: no token, foreign Origin, cross-site; an Authorization header outranks a cookie', async () => {
    expectStatus(
      await s.call('u-admin', 'POST', '/api/v1/units', unit(), {
        origin: 'https://evil.example',
        'sec-fetch-site': 'cross-site',
      }),
      201,
    );
    // With both, the request is the bearer's: the coordinator's token, not the admin's cookie.
    const me = await s.call('u-coordinator', 'GET', '/api/v1/me', undefined, { cookie: admin.cookie });
    expect(me.body.userId).toBe('u-coordinator');
    expect(me.body.csrfToken).toBeUndefined();
  });
});

describe('back-off and lockout per account', () => {
  test('five wrong passwords lock the account: the right one is refused while locked, accepted once the lock expires', async () => {
    const before = await audit('auth.sign_in_failed', 'user:u-changhuai');
    for (let i = 1; i <= 4; i++) {
      const r = await signIn('u-changhuai', `wrong-password-${i}`);
      expect(r.status).toBe(401);
      expect(problemType(r)).toBe('sign-in-failed');
      expect(r.headers.getSetCookie()).toEqual([]);
    }
    const fifth = await signIn('u-changhuai', 'wrong-password-5');
    expect(fifth.status).toBe(429);
    expect(problemType(fifth)).toBe('account-locked');
    const until = new Date(fifth.body.lockedUntil as string).getTime();
    expect(until - Date.now()).toBeGreaterThan(14 * 60_000);
    expect(until - Date.now()).toBeLessThanOrEqual(15 * 60_000);
    expect(Number(fifth.headers.get('retry-after'))).toBeGreaterThan(14 * 60);
    expect(fifth.body.detail).toContain(fifth.body.lockedUntil);

    const right = await signIn('u-changhuai', PASSWORDS['u-changhuai']!);
    expect(right.status).toBe(429);
    expect(problemType(right)).toBe('account-locked');
    expect(right.headers.getSetCookie()).toEqual([]);
    expect(await audit('auth.sign_in_failed', 'user:u-changhuai')).toBe(before + 5);
    expect(await audit('auth.locked', 'user:u-changhuai')).toBe(1);

    // The lock runs out (the clock moved through the row, not by waiting 15 minutes).
    await s.db.q(`update users set locked_until = now() - interval '1 second' where id = 'u-changhuai'`);
    expectStatus(await signIn('u-changhuai', PASSWORDS['u-changhuai']!), 200);
    const [row] = await s.db.q<{ failed_sign_ins: number; locked_until: Date | null }[]>(
      `select failed_sign_ins, locked_until from users where id = 'u-changhuai'`,
    );
    expect(row).toEqual({ failed_sign_ins: 0, locked_until: null });
  });

  test('the lock duration is configurable; after each failure the wait grows (back-off), and an attempt during it is not checked', async () => {
    const call = await variant({ backoffMs: 60_000, lockMs: 300_000, maxFailures: 3 });
    const post = (password: string) =>
      call('POST', '/api/v1/session', {
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'u-market', password }),
      });
    const first = await post('wrong-1');
    expect(first.status).toBe(401);
    const wait1 = new Date(first.body.retryAt as string).getTime() - Date.now();
    expect(wait1).toBeGreaterThan(55_000);
    expect(wait1).toBeLessThanOrEqual(60_000);
    // Too soon: refused without checking, even with the right password.
    const soon = await post(PASSWORDS['u-market']!);
    expect(soon.status).toBe(429);
    expect(problemType(soon)).toBe('sign-in-backoff');
    expect(Number(soon.headers.get('retry-after'))).toBeGreaterThan(50);

    await s.db.q(`update users set locked_until = now() where id = 'u-market'`);
    const second = await post('wrong-2');
    expect(second.status).toBe(401);
    const wait2 = new Date(second.body.retryAt as string).getTime() - Date.now();
    expect(wait2).toBeGreaterThan(115_000);

    await s.db.q(`update users set locked_until = now() where id = 'u-market'`);
    const third = await post('wrong-3');
    expect(third.status).toBe(429);
    expect(problemType(third)).toBe('account-locked');
    const lock = new Date(third.body.lockedUntil as string).getTime() - Date.now();
    expect(lock).toBeGreaterThan(290_000);
    expect(lock).toBeLessThanOrEqual(300_000);
    await s.db.q(`update users set locked_until = now(), failed_sign_ins = 0 where id = 'u-market'`);
  });

  test('parallel guesses all count: ten at once cannot get past five', async () => {
    await setPassword(s.db.em(), 'u-police', 'police-parallel-guess-7');
    const replies = await Promise.all(
      Array.from({ length: 10 }, (_, i) => signIn('u-police', `parallel-wrong-${i}`)),
    );
    const [row] = await s.db.q<{ failed_sign_ins: number }[]>(
      `select failed_sign_ins from users where id = 'u-police'`,
    );
    expect(row!.failed_sign_ins).toBe(5);
    expect(replies.filter((r) => r.status === 401).length).toBe(4);
    expect(replies.filter((r) => r.status === 429).length).toBe(6);
    const right = await signIn('u-police', 'police-parallel-guess-7');
    expect(problemType(right)).toBe('account-locked');
  });
});

describe('no user enumeration', () => {
  const strip = (r: Reply) => {
    const { instance: _i, retryAt: _r, lockedUntil: _l, detail, ...rest } = r.body as Record<string, unknown>;
    return { status: r.status, ...rest, detail: String(detail).replace(/until \S+$/, 'until T') };
  };
  const headerNames = (r: Reply) =>
    [...r.headers.keys()]
      .filter((k) => !['date', 'x-request-id', 'content-length', 'etag'].includes(k))
      .sort();

  test('an unknown username gives the same answer, headers and timing as a wrong password, and locks the same way', async () => {
    await setPassword(s.db.em(), 'u-tushan-head', 'tushan-head-password-8');
    const time = async (username: string) => {
      const t0 = performance.now();
      const r = await signIn(username, 'not-the-password');
      return { r, ms: performance.now() - t0 };
    };
    const known: { r: Reply; ms: number }[] = [];
    const unknown: { r: Reply; ms: number }[] = [];
    for (let i = 0; i < 3; i++) {
      known.push(await time('u-tushan-head'));
      unknown.push(await time('nobody-at-all'));
    }
    for (let i = 0; i < 3; i++) {
      expect(strip(unknown[i]!.r)).toEqual(strip(known[i]!.r));
      expect(headerNames(unknown[i]!.r)).toEqual(headerNames(known[i]!.r));
    }
    expect(strip(known[0]!.r)).toMatchObject({ status: 401, title: 'Sign-in failed' });
    // Both check a password (scrypt, ~0.4 s or more); a missing user is not answered quicker. The
    // fastest of three is compared: the machine's load only ever adds time.
    const fastest = (xs: { ms: number }[]) => Math.min(...xs.map((x) => x.ms));
    const ratio = fastest(unknown) / fastest(known);
    process.stdout.write(
      `sign-in timing (fastest of 3): wrong password ${fastest(known).toFixed(0)} ms, unknown user ${fastest(unknown).toFixed(0)} ms\n`,
    );
    expect(ratio).toBeGreaterThan(0.5);
    expect(ratio).toBeLessThan(2);

    // Two more each: both lock, with the same answer (a lockout does not reveal that an account exists).
    await time('u-tushan-head');
    await time('nobody-at-all');
    const k = (await time('u-tushan-head')).r;
    const u = (await time('nobody-at-all')).r;
    expect(k.status).toBe(429);
    expect(strip(u)).toEqual(strip(k));
    expect(headerNames(u)).toEqual(headerNames(k));
    // What was typed as an unknown username is kept only as a hash.
    const rows = await s.db.q('select * from sign_in_unknown');
    expect(JSON.stringify(rows)).not.toContain('nobody');
  });
});

describe('expiry', () => {
  test('a session unused for longer than the idle timeout (30 minutes) is refused and its cookie cleared', async () => {
    const who = await signedIn('u-tushan');
    await s.db.q(
      `update sessions set last_seen_at = now() - interval '29 minutes' where secret_hash = encode(sha256(?::bytea), 'hex')`,
      [who.cookie.split('=')[1]],
    );
    expectStatus(await withCookie(who, 'GET', '/api/v1/me'), 200); // still within: and now seen again
    const [seen] = await s.db.q<{ age: number }[]>(
      `select extract(epoch from now() - last_seen_at)::int as age from sessions where secret_hash = encode(sha256(?::bytea), 'hex')`,
      [who.cookie.split('=')[1]],
    );
    expect(seen!.age).toBeLessThan(5);
    await s.db.q(
      `update sessions set last_seen_at = now() - interval '31 minutes' where secret_hash = encode(sha256(?::bytea), 'hex')`,
      [who.cookie.split('=')[1]],
    );
    const r = await withCookie(who, 'GET', '/api/v1/me');
    expect(r.status).toBe(401);
    expect(r.body.detail).toMatch(/session has ended/);
    expect(parseSetCookie(r)?.value).toBe('');
  });

  test('a session past its absolute expiry (12 h) is refused even while in use', async () => {
    const who = await signedIn('u-tushan');
    await s.db.q(
      `update sessions set expires_at = now() - interval '1 second' where secret_hash = encode(sha256(?::bytea), 'hex')`,
      [who.cookie.split('=')[1]],
    );
    expect((await withCookie(who, 'GET', '/api/v1/me')).status).toBe(401);
  });

  test('a deactivated user’s session stops working at once', async () => {
    await setPassword(s.db.em(), 'u-market', PASSWORDS['u-market']!);
    const who = await signedIn('u-market');
    await s.db.q(`update users set active = false where id = 'u-market'`);
    expect((await withCookie(who, 'GET', '/api/v1/me')).status).toBe(401);
    const again = await signIn('u-market', PASSWORDS['u-market']!);
    expect(again.status).toBe(401);
    await s.db.q(`update users set active = true where id = 'u-market'`);
  });
});

describe('one authorization matrix for cookie and bearer', () => {
  test('a signed-in officer sees its own unit’s clue; another unit’s clue is 404, as with a token', async () => {
    const clue = await registerClue(s, { subject: { name: 'Session Scoping Holdings', kind: 'enterprise' } });
    const tushan = await signedIn('u-tushan');
    const changhuai = await signedIn('u-changhuai');
    expectStatus(await withCookie(tushan, 'GET', `/api/v1/clues/${clue.id}`), 200);
    const other = await withCookie(changhuai, 'GET', `/api/v1/clues/${clue.id}`);
    expect(other.status).toBe(404);
    const bearer = await s.call('u-changhuai', 'GET', `/api/v1/clues/${clue.id}`);
    expect(other.body).toEqual({ ...bearer.body, instance: other.body.instance });
    const missing = await withCookie(changhuai, 'GET', '/api/v1/clues/00000000-0000-4000-8000-000000000000');
    expect(missing.status).toBe(404);
    expect(missing.body.detail).toBe(other.body.detail);
    // Role checks too: an officer may not create units, cookie or not.
    const forbidden = await withCookie(changhuai, 'POST', '/api/v1/units', {
      id: 'officer-unit',
      nameZh: 'x',
      nameEn: 'x',
      kind: 'town',
    });
    expect(forbidden.status).toBe(403);
    expect(problemType(forbidden)).toBe('forbidden');
  });

  test('rate limits still apply: failed sign-ins count against the address like failed tokens', async () => {
    const call = await variant({}, { rateLimitPerMinute: 3 });
    const post = (u: string) =>
      call('POST', '/api/v1/session', {
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: u, password: 'whatever-wrong' }),
      });
    for (let i = 0; i < 3; i++) expect((await post(`rate-limit-nobody-${i}`)).status).toBe(401);
    const r = await post('rate-limit-nobody-x');
    expect(r.status).toBe(429);
    expect(problemType(r)).toBe('rate-limited');
  });
});

describe('the cookie over https', () => {
  const post = (call: Awaited<ReturnType<typeof variant>>, headers: Record<string, string> = {}) =>
    call('POST', '/api/v1/session', {
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ username: 'u-leader', password: PASSWORDS['u-leader'] }),
    });

  test('behind a trusted proxy saying https: Secure and the __Host- prefix, and only that cookie is read', async () => {
    const call = await variant({}, { trustProxy: 'loopback' });
    const r = expectStatus(await post(call, { 'x-forwarded-proto': 'https' }), 200);
    const c = parseSetCookie(r)!;
    secrets.push(c.value);
    expect(c.name).toBe('__Host-dso_session');
    expect(c.attrs).toEqual(expect.arrayContaining(['Path=/', 'HttpOnly', 'Secure', 'SameSite=Lax']));
    expect(c.attrs.some((a) => /^Domain/i.test(a))).toBe(false);
    const cookie = `${c.name}=${c.value}`;
    expectStatus(await call('GET', '/api/v1/me', { headers: { cookie, 'x-forwarded-proto': 'https' } }), 200);
    // The Secure cookie is not accepted over plain http, nor a plain one over https.
    expect((await call('GET', '/api/v1/me', { headers: { cookie } })).status).toBe(401);
    expect(
      (
        await call('GET', '/api/v1/me', {
          headers: { cookie: `dso_session=${c.value}`, 'x-forwarded-proto': 'https' },
        })
      ).status,
    ).toBe(401);
    // CSRF over https: the request's own https origin counts as this site, its http origin does not.
    const csrf = { cookie, 'x-forwarded-proto': 'https', 'x-csrf-token': r.body.csrfToken as string };
    const host = new URL(call.url).host;
    const plain = await call('DELETE', '/api/v1/session', { headers: { ...csrf, origin: `http://${host}` } });
    expect(plain.status).toBe(403);
    expectStatus(
      await call('DELETE', '/api/v1/session', { headers: { ...csrf, origin: `https://${host}` } }),
      204,
    );
  });

  test('X-Forwarded-Proto from an untrusted client is ignored: no Secure (default TRUST_PROXY=false)', async () => {
    const r = expectStatus(
      await signIn('u-leader', PASSWORDS['u-leader']!, { 'x-forwarded-proto': 'https' }),
      200,
    );
    const c = parseSetCookie(r)!;
    secrets.push(c.value);
    expect(c.name).toBe('dso_session');
    expect(c.attrs).not.toContain('Secure');
  });

  test('COOKIE_SECURE=true always sets Secure; COOKIE_SECURE=false never does', async () => {
    const always = parseSetCookie(expectStatus(await post(await variant({ cookieSecure: 'true' })), 200))!;
    const never = parseSetCookie(
      expectStatus(
        await post(await variant({ cookieSecure: 'false' }, { trustProxy: 'loopback' }), {
          'x-forwarded-proto': 'https',
        }),
        200,
      ),
    )!;
    secrets.push(always.value, never.value);
    expect(always.name).toBe('__Host-dso_session');
    expect(always.attrs).toContain('Secure');
    expect(never.name).toBe('dso_session');
    expect(never.attrs).not.toContain('Secure');
  });
});

describe('passwords: npm run admin and the demo seed', () => {
  /** Runs the CLI as a child process without blocking the event loop (the app keeps serving). */
  function admin(args: string[], input = ''): Promise<{ code: number; out: string; err: string }> {
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/admin.ts', ...args], {
        cwd: ROOT,
        env: { ...process.env, DATABASE_URL: s.db.url, LOG_LEVEL: 'silent' },
        timeout: 60_000,
      });
      let out = '';
      let err = '';
      child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
      child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code: code ?? -1, out, err }));
      child.stdin.end(input);
    });
  }

  test('users reset-password prints a new password once; it signs in, and the user’s old sessions end', async () => {
    const old = await signedIn('u-coordinator');
    const r = await admin(['users', 'reset-password', 'u-coordinator']);
    expect(r.code).toBe(0);
    const lines = r.out.trim().split('\n');
    expect(lines[0]).toMatch(/new password for u-coordinator \(shown once/);
    const password = lines[1]!;
    secrets.push(password);
    expect(password).toMatch(/^[A-Za-z0-9]{5}(-[A-Za-z0-9]{5}){3}$/);
    expect((await withCookie(old, 'GET', '/api/v1/me')).status).toBe(401);
    expectStatus(await signIn('u-coordinator', password), 200);
    expect(await audit('password.set', 'user:u-coordinator')).toBe(1);
    const [row] = await s.db.q<{ password_hash: string }[]>(
      `select password_hash from users where id = 'u-coordinator'`,
    );
    expect(row!.password_hash).toMatch(/^\$scrypt\$ln=17,r=8,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
  });

  test('users set-password --password-stdin sets the piped password; a short one or an unknown user exits 2', async () => {
    const ok = await admin(
      ['users', 'set-password', 'u-coordinator', '--password-stdin'],
      'a-piped-password-9\n',
    );
    expect(ok).toMatchObject({ code: 0, out: 'password of u-coordinator set; their sessions ended\n' });
    expectStatus(await signIn('u-coordinator', 'a-piped-password-9'), 200);
    const short = await admin(['users', 'set-password', 'u-coordinator', '--password-stdin'], 'short\n');
    expect(short.code).toBe(2);
    expect(short.err).toMatch(/at least 12 characters/);
    const unknown = await admin(['users', 'reset-password', 'u-nobody']);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain('unknown user "u-nobody"');
    const noTty = await admin(['users', 'set-password', 'u-coordinator'], '');
    expect(noTty.code).toBe(2);
    expect(noTty.err).toMatch(/--password-stdin/);
    expect(ok.out + short.err + unknown.err).not.toContain('a-piped-password-9');
  });

  test('the demo seed gives each user a random initial password that signs in', async () => {
    const passwords = await seedDemoPasswords(s.db.em(), ['u-leader']);
    secrets.push(passwords['u-leader']!);
    expect(passwords['u-leader']).toMatch(/^[A-Za-z0-9]{5}(-[A-Za-z0-9]{5}){3}$/);
    expectStatus(await signIn('u-leader', passwords['u-leader']!), 200);
    PASSWORDS['u-leader'] = passwords['u-leader']!;
  });
});

describe('logs', () => {
  test('no password, session cookie or CSRF token appears in any log line', () => {
    expect(capture.lines.length).toBeGreaterThan(5);
    const leaks = secrets.filter((x) => capture.lines.some((l) => l.includes(x)));
    expect(leaks).toEqual([]);
  });
});
