/**
 * The API's outer defences, on the real stack: bearer tokens (401 for every kind of bad token, expiry
 * and revocation at once), property-level rules (server-owned and unknown fields refused), resource
 * limits (body size, page size, rate limit with Retry-After, request timeout), Idempotency-Key,
 * problem+json types, 405 with Allow, security headers and closed CORS, audit log, request logs
 * without tokens, and 503 with Retry-After when PostgreSQL or Temporal is down.
 */
import net, { type AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Client, Connection } from '@temporalio/client';
import { createApp } from '../../api/app';
import { fullApiExtras } from '../../api/extras';
import { PROBLEM_BASE } from '../../api/problem';
import type { RouteDef } from '../../api/registry';
import { createToken, deactivateUser, revoke } from '../../src/auth/admin';
import { issueToken } from '../../src/auth/tokens';
import type { AppContext } from '../../src/context';
import { initORM } from '../../src/db/orm';
import { createLogger } from '../../src/log';
import { PG_SERVER, eventually } from '../helpers/services';
import {
  captureLogger,
  expectStatus,
  intakeBody,
  registerClue,
  startApiSuite,
  type ApiSuite,
} from './support';

const capture = captureLogger();
let s: ApiSuite;
let clue: { id: string; ref: string };
const extraServers: Server[] = [];

beforeAll(async () => {
  s = await startApiSuite({ taskQueue: 'api-hardening', log: capture.log, configEnv: { LOG_LEVEL: 'info' } });
  clue = await registerClue(s, { subject: { name: 'Hardening Test Holdings', kind: 'enterprise' } });
}, 120_000);

afterAll(async () => {
  for (const l of capture.lines) if (l.includes('unhandled error')) process.stdout.write(`${l}\n`);
  for (const srv of extraServers) {
    srv.closeAllConnections();
    await new Promise<void>((r) => srv.close(() => r()));
  }
  await s?.close();
});

/** Another app instance over the same services with a changed context (limits, broken dependencies). */
async function variant(change: (ctx: AppContext) => AppContext): Promise<string> {
  const srv = createApp(change(s.app.ctx), fullApiExtras).listen(0, '127.0.0.1');
  await new Promise<void>((r) => srv.once('listening', () => r()));
  extraServers.push(srv);
  return `http://127.0.0.1:${(srv.address() as AddressInfo).port}`;
}
const withHttp = (ctx: AppContext, http: Partial<AppContext['config']['http']>): AppContext => ({
  ...ctx,
  config: { ...ctx.config, http: { ...ctx.config.http, ...http } },
});
const bearer = (user: string) => ({ authorization: `Bearer ${s.db.tokens[user]}` });
const em = () => s.db.orm.em.fork() as EntityManager;

describe('authentication', () => {
  test.each([
    ['no Authorization header', undefined, 'Bearer realm="api"'],
    ['a Basic header', 'Basic dXNlcjpwYXNz', 'invalid_request'],
    ['Bearer without a token', 'Bearer ', 'invalid_request'],
    ['a token with illegal characters', 'Bearer dso_abc$def!ghi', 'invalid_request'],
    ['an unknown token', 'Bearer dso_unknownUnknownUnknownUnknownUnknown12345', 'invalid_token'],
    ['a token without the prefix', 'Bearer abcdefghijklmnopqrstuvwxyz', 'invalid_token'],
  ])('%s → 401 problem+json with WWW-Authenticate', async (_what, auth, challenge) => {
    const r = await s.raw('GET', '/api/v1/me', {
      headers: auth === undefined ? {} : { authorization: auth },
    });
    expect(r.status).toBe(401);
    expect(r.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(r.body.type).toBe(`${PROBLEM_BASE}unauthorized`);
    expect(r.headers.get('www-authenticate')).toContain(challenge);
  });

  test('an expired token is 401', async () => {
    const t = await issueToken(em(), 'u-tushan', 'expired', new Date(Date.now() - 1000));
    const r = await s.raw('GET', '/api/v1/me', { headers: { authorization: `Bearer ${t.token}` } });
    expect(r.status).toBe(401);
  });

  test('revocation and user deactivation take effect on the very next request', async () => {
    const t = await createToken(em(), { userId: 'u-market', label: 'to revoke', expiresInDays: 1 });
    const h = { authorization: `Bearer ${t.token}` };
    expect((await s.raw('GET', '/api/v1/me', { headers: h })).status).toBe(200);
    await revoke(em(), t.id);
    expect((await s.raw('GET', '/api/v1/me', { headers: h })).status).toBe(401);

    await s.db.q(
      `insert into users (id, name, email, role, unit_id, locale, active) values ('u-temp','Temp','temp@district.local','unit_officer','yanshan-town','en',true)`,
    );
    const t2 = await createToken(em(), { userId: 'u-temp' });
    const h2 = { authorization: `Bearer ${t2.token}` };
    expect((await s.raw('GET', '/api/v1/me', { headers: h2 })).body).toMatchObject({
      userId: 'u-temp',
      role: 'unit_officer',
      unitId: 'yanshan-town',
    });
    await deactivateUser(em(), 'u-temp');
    expect((await s.raw('GET', '/api/v1/me', { headers: h2 })).status).toBe(401);
  });

  test('tokens are stored as hashes only', async () => {
    const rows = await s.db.q<{ token_hash: string; prefix: string }[]>(
      `select token_hash, prefix from api_tokens`,
    );
    for (const token of Object.values(s.db.tokens)) {
      expect(rows.some((r) => r.token_hash === token)).toBe(false);
      expect(rows.some((r) => r.token_hash.length === 64)).toBe(true);
    }
  });
});

describe('property-level rules: a client body cannot set server-owned fields, and unknown fields are refused', () => {
  test.each([
    ['stage', 'closed'],
    ['grade', 'I'],
    ['id', '00000000-0000-4000-8000-000000000000'],
    ['ref', 'XS-2026-000001'],
    ['riskScore', 0],
    ['createdAt', '2020-01-01T00:00:00Z'],
    ['createdBy', 'u-leader'],
    ['keyClue', true],
    ['whatever', 1],
  ])('intake with %s', async (field, value) => {
    const r = await s.call('u-coordinator', 'POST', '/api/v1/clues', intakeBody({ [field]: value }));
    expect(r.status).toBe(422);
    expect(r.body.type).toBe(`${PROBLEM_BASE}validation-error`);
    expect(
      r.body.errors.some(
        (e: { code?: string; message: string }) =>
          e.code === 'unrecognized_keys' && e.message.includes(field),
      ),
    ).toBe(true);
  });

  test.each([
    ['verification', { findings: 'x', factsConfirmed: true, stage: 'planning' }],
    [
      'verification',
      { findings: 'x', factsConfirmed: true, actor: { userId: 'u-coordinator', role: 'coordinator' } },
    ],
    ['regrade', { grade: 'I', keyClue: true, reason: 'r', leadUnitId: 'changhuai-town' }],
    ['actions', { description: 'x', by: 'u-leader', at: 0 }],
  ])('transition %s with a server-owned field', async (path, body) => {
    const r = await s.call('u-coordinator', 'POST', `/api/v1/clues/${clue.id}/${path}`, body);
    expect(r.status).toBe(422);
  });

  test('the lead unit of a clue cannot be changed by any route (no route accepts leadUnitId after intake)', () => {
    const offenders = s.routes.filter(
      (r: RouteDef) =>
        r.body &&
        r.path !== '/clues' &&
        r.path !== '/clues/import' &&
        JSON.stringify(schemaKeys(r.body)).includes('leadUnitId'),
    );
    expect(offenders.map((r) => r.path)).toEqual([]);
  });

  test('every body schema in the route table refuses unknown fields', () => {
    const lax = s.routes
      .filter((r) => r.body)
      .filter((r) => {
        const res = r.body!.safeParse({ __unknown_field__: 1 });
        return res.success || !res.error.issues.some((i) => i.code === 'unrecognized_keys');
      })
      .map((r) => `${r.method.toUpperCase()} ${r.path}`);
    expect(lax).toEqual([]);
  });
});

function schemaKeys(z: unknown): string[] {
  const shape = (z as { shape?: Record<string, unknown> }).shape;
  return shape ? Object.keys(shape) : [];
}

describe('resource limits', () => {
  test('a body over the limit is 413 on every write route', async () => {
    const big = JSON.stringify({ findings: 'x'.repeat(300_000), factsConfirmed: true });
    const r = await s.call('u-tushan', 'POST', `/api/v1/clues/${clue.id}/verification`, big);
    expect(r.status).toBe(413);
    expect(r.body.type).toBe(`${PROBLEM_BASE}payload-too-large`);
  });

  test('page sizes are capped (422 above the cap) and lists page with a cursor', async () => {
    expect((await s.call('u-coordinator', 'GET', '/api/v1/clues?limit=201')).status).toBe(422);
    expect((await s.call('u-coordinator', 'GET', '/api/v1/clues?limit=0')).status).toBe(422);
    expect((await s.call('u-coordinator', 'GET', '/api/v1/me/notifications?limit=1000')).status).toBe(422);
    await registerClue(s, { subject: { name: 'Paging Two Ltd', kind: 'enterprise' } });
    await registerClue(s, { subject: { name: 'Paging Three Ltd', kind: 'enterprise' } });
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const r: { body: { items: { id: string }[]; nextCursor: string | null } } = await s.call(
        'u-coordinator',
        'GET',
        `/api/v1/clues?limit=1${cursor ? `&cursor=${cursor}` : ''}`,
      );
      expect(r.body.items.length).toBeLessThanOrEqual(1);
      seen.push(...r.body.items.map((i) => i.id));
      cursor = r.body.nextCursor;
    } while (cursor);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.length).toBeGreaterThanOrEqual(3);
    expect((await s.call('u-coordinator', 'GET', '/api/v1/clues?cursor=not-a-cursor')).status).toBe(422);
  });

  test('filters: stage, grade, unit, key area, behaviour, overdue, text', async () => {
    const q = async (qs: string) =>
      (await s.call('u-coordinator', 'GET', `/api/v1/clues?${qs}`)).body.items.map(
        (i: { id: string }) => i.id,
      ) as string[];
    expect(await q('stage=verifying')).toContain(clue.id);
    expect(await q('stage=closed')).not.toContain(clue.id);
    expect(await q('unit=tushan-scenic-area')).toContain(clue.id);
    expect(await q('unit=market-regulation')).not.toContain(clue.id);
    expect(await q('keyArea=elderly_care')).toContain(clue.id);
    expect(await q('behaviour=targets_elderly')).toContain(clue.id);
    expect(await q('behaviour=virtual_assets')).not.toContain(clue.id);
    expect(await q('overdue=false')).toContain(clue.id);
    expect(await q(`q=${encodeURIComponent('hardening test')}`)).toEqual([clue.id]);
    expect(await q(`q=${encodeURIComponent('100%_')}`)).toEqual([]);
    const [row] = await s.db.q<{ grade: string }[]>('select grade from clues where id = ?', [clue.id]);
    expect(await q(`grade=${row!.grade}`)).toContain(clue.id);
    expect((await s.call('u-coordinator', 'GET', '/api/v1/clues?stage=nonsense')).status).toBe(422);
    expect((await s.call('u-coordinator', 'GET', '/api/v1/clues?stage=a&stage=b')).status).toBe(422);
    expect((await s.call('u-coordinator', 'GET', '/api/v1/clues?sort=evil')).status).toBe(422);
  });

  test('the rate limit is per token: 429 with Retry-After, another token unaffected', async () => {
    const url = await variant((ctx) => withHttp(ctx, { rateLimitPerMinute: 3 }));
    const statuses: number[] = [];
    let last: Response | undefined;
    for (let i = 0; i < 5; i++) {
      last = await fetch(`${url}/api/v1/me`, { headers: bearer('u-leader') });
      statuses.push(last.status);
    }
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    expect(Number(last!.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await last!.json()) as { type: string }).type).toBe(`${PROBLEM_BASE}rate-limited`);
    expect((await fetch(`${url}/api/v1/me`, { headers: bearer('u-market') })).status).toBe(200);
  });

  test('repeated failed authentication from one address is throttled', async () => {
    const url = await variant((ctx) => withHttp(ctx, { rateLimitPerMinute: 3 }));
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++)
      statuses.push(
        (await fetch(`${url}/api/v1/me`, { headers: { authorization: 'Bearer dso_wrongwrongwrongwrong' } }))
          .status,
      );
    expect(statuses).toEqual([401, 401, 401, 429, 429]);
  });

  test('a request that takes too long is answered 503 with Retry-After', async () => {
    // PostgreSQL stops answering (the proxy swallows everything): the request must not hang.
    const pg = await pgProxy();
    const orm = await initORM({ url: pg.url, poolMax: 2, migrate: false });
    try {
      const url = await variant((ctx) => withHttp({ ...ctx, orm }, { requestTimeoutMs: 300 }));
      expect((await fetch(`${url}/api/v1/me`, { headers: bearer('u-tushan') })).status).toBe(200);
      pg.freeze();
      const t0 = Date.now();
      const r = await fetch(`${url}/api/v1/clues`, { headers: bearer('u-coordinator') });
      expect(r.status).toBe(503);
      expect(r.headers.get('retry-after')).toBeTruthy();
      expect(((await r.json()) as { type: string }).type).toBe(`${PROBLEM_BASE}service-unavailable`);
      expect(Date.now() - t0).toBeLessThan(5000);
    } finally {
      pg.cut();
      await orm.close().catch(() => undefined);
    }
  });
});

/** A TCP proxy to the test PostgreSQL server that can be frozen (stops forwarding) or cut (drops everything). */
async function pgProxy(): Promise<{ url: string; freeze(): void; cut(): void }> {
  const sockets = new Set<net.Socket>();
  let frozen = false;
  const target = new URL(PG_SERVER);
  const server = net.createServer((c) => {
    const u = net.connect(Number(target.port || 5432), target.hostname);
    sockets.add(c).add(u);
    c.on('error', () => undefined);
    u.on('error', () => undefined);
    c.on('data', (d) => {
      if (!frozen) u.write(d);
    });
    u.on('data', (d) => {
      if (!frozen) c.write(d);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  // The database's URL (credentials included) pointed at the proxy.
  const url = new URL(s.db.url);
  url.hostname = '127.0.0.1';
  url.port = String((server.address() as AddressInfo).port);
  return {
    url: url.toString(),
    freeze() {
      frozen = true;
    },
    cut() {
      server.close();
      for (const so of sockets) so.destroy();
    },
  };
}

describe('backing services down → 503 with Retry-After, never 500', () => {
  test('PostgreSQL unreachable', async () => {
    const pg = await pgProxy();
    const orm = await initORM({ url: pg.url, poolMax: 2, migrate: false });
    try {
      const url = await variant((ctx) => ({ ...ctx, orm }));
      expect((await fetch(`${url}/api/v1/me`, { headers: bearer('u-tushan') })).status).toBe(200);
      pg.cut();
      for (const path of ['/api/v1/me', '/api/v1/clues', `/api/v1/clues/${clue.id}`]) {
        const r = await fetch(`${url}${path}`, { headers: bearer('u-coordinator') });
        expect(`${path} ${r.status}`).toBe(`${path} 503`);
        expect(r.headers.get('retry-after')).toBeTruthy();
        expect(((await r.json()) as { type: string }).type).toBe(`${PROBLEM_BASE}service-unavailable`);
      }
      const ready = await fetch(`${url}/readyz`);
      expect(ready.status).toBe(503);
    } finally {
      await orm.close().catch(() => undefined);
    }
  });

  test('Temporal unreachable', async () => {
    // No retry interceptor, so every call fails at once (the app's real client retries until the request timeout).
    const connection = Connection.lazy({ address: '127.0.0.1:1', connectTimeout: 500, interceptors: [] });
    const client = new Client({ connection });
    const url = await variant((ctx) => withHttp({ ...ctx, temporal: client }, { requestTimeoutMs: 3000 }));
    const detail = await fetch(`${url}/api/v1/clues/${clue.id}`, { headers: bearer('u-coordinator') });
    expect(detail.status).toBe(503);
    expect(detail.headers.get('retry-after')).toBeTruthy();
    const t = await fetch(`${url}/api/v1/clues/${clue.id}/actions`, {
      method: 'POST',
      headers: { ...bearer('u-tushan'), 'content-type': 'application/json' },
      body: JSON.stringify({ description: 'x' }),
    });
    expect(t.status).toBe(503);
    const intake = await fetch(`${url}/api/v1/clues`, {
      method: 'POST',
      headers: { ...bearer('u-coordinator'), 'content-type': 'application/json' },
      body: JSON.stringify(intakeBody({ subject: { name: 'Temporal Down Ltd', kind: 'enterprise' } })),
    });
    expect(intake.status).toBe(503);
    expect(intake.headers.get('retry-after')).toBeTruthy();
    await connection.close();
  });
});

describe('Idempotency-Key on creating POSTs', () => {
  test('same key and body → the same result; another body → 422; keys are per user', async () => {
    const body = intakeBody({ subject: { name: 'Idem Unit Test Ltd', kind: 'enterprise' } });
    const a = expectStatus(
      await s.call('u-coordinator', 'POST', '/api/v1/clues', body, { 'Idempotency-Key': 'hard-1' }),
      201,
    );
    const b = expectStatus(
      await s.call('u-coordinator', 'POST', '/api/v1/clues', { ...body }, { 'Idempotency-Key': 'hard-1' }),
      200,
    );
    expect(b.body).toEqual(a.body);
    expect(b.headers.get('idempotent-replayed')).toBe('true');
    expect(b.headers.get('location')).toBe(a.headers.get('location'));
    // Key order does not make it another body.
    const reordered = Object.fromEntries(Object.entries(body).reverse());
    expect(
      (await s.call('u-coordinator', 'POST', '/api/v1/clues', reordered, { 'Idempotency-Key': 'hard-1' }))
        .status,
    ).toBe(200);
    const c = await s.call(
      'u-coordinator',
      'POST',
      '/api/v1/clues',
      { ...body, participants: 1 },
      { 'Idempotency-Key': 'hard-1' },
    );
    expect(c.status).toBe(422);
    expect(c.body.type).toBe(`${PROBLEM_BASE}idempotency-key-reused`);
    expect(
      (
        await s.call('u-coordinator', 'POST', '/api/v1/clues', body, {
          'Idempotency-Key': 'bad key with spaces',
        })
      ).status,
    ).toBe(422);
    // The same key on another creating route is another key.
    const u = await s.call(
      'u-admin',
      'POST',
      '/api/v1/units',
      { id: 'idem-unit', nameZh: '幂等', nameEn: 'Idem', kind: 'community' },
      { 'Idempotency-Key': 'hard-1' },
    );
    expect(u.status).toBe(201);
    const u2 = await s.call(
      'u-admin',
      'POST',
      '/api/v1/units',
      { id: 'idem-unit', nameZh: '幂等', nameEn: 'Idem', kind: 'community' },
      { 'Idempotency-Key': 'hard-1' },
    );
    expect(u2.status).toBe(200);
    expect(u2.body).toEqual(u.body);
    const n = await s.db.q<{ n: number }[]>(
      `select count(*)::int as n from clues where subject_name = 'Idem Unit Test Ltd'`,
    );
    expect(n[0]!.n).toBe(1);
  });

  test('concurrent requests with one key register one clue', async () => {
    const body = intakeBody({ subject: { name: 'Concurrent Idem Ltd', kind: 'enterprise' } });
    const replies = await Promise.all(
      Array.from({ length: 6 }, () =>
        s.call('u-coordinator', 'POST', '/api/v1/clues', body, { 'Idempotency-Key': 'hard-concurrent' }),
      ),
    );
    const statuses = replies.map((r) => r.status);
    expect(statuses.filter((x) => x === 201)).toHaveLength(1);
    expect(statuses.every((x) => [200, 201, 409].includes(x))).toBe(true);
    const ids = new Set(replies.filter((r) => r.status < 300).map((r) => r.body.id));
    expect(ids.size).toBe(1);
    const n = await s.db.q<{ n: number }[]>(
      `select count(*)::int as n from clues where subject_name = 'Concurrent Idem Ltd'`,
    );
    expect(n[0]!.n).toBe(1);
  });

  test('a failed request frees its key for a retry', async () => {
    const body = intakeBody({
      leadUnitId: 'atlantis',
      subject: { name: 'Retry Idem Ltd', kind: 'enterprise' },
    });
    expect(
      (await s.call('u-coordinator', 'POST', '/api/v1/clues', body, { 'Idempotency-Key': 'hard-retry' }))
        .status,
    ).toBe(422);
    const ok = await s.call(
      'u-coordinator',
      'POST',
      '/api/v1/clues',
      { ...body, leadUnitId: 'tushan-scenic-area' },
      { 'Idempotency-Key': 'hard-retry' },
    );
    expect(ok.status).toBe(201);
  });
});

describe('protocol', () => {
  test('a known path with another method is 405 with Allow; an unknown path 404', async () => {
    const r = await s.call('u-coordinator', 'DELETE', '/api/v1/clues');
    expect(r.status).toBe(405);
    expect(r.headers.get('allow')).toBe('POST, GET, HEAD');
    expect(r.body.type).toBe(`${PROBLEM_BASE}method-not-allowed`);
    const p = await s.call('u-coordinator', 'PATCH', `/api/v1/clues/${clue.id}`);
    expect(p.status).toBe(405);
    expect(p.headers.get('allow')).toBe('GET, HEAD');
    expect((await s.call('u-coordinator', 'GET', '/api/v1/nothing-here')).status).toBe(404);
    // The literal route owns its path: GET /clues/import is not a clue called "import".
    const imp = await s.call('u-coordinator', 'GET', '/api/v1/clues/import');
    expect(imp.status).toBe(405);
    expect(imp.headers.get('allow')).toBe('POST');
    const opt = await s.raw('OPTIONS', `/api/v1/clues/${clue.id}/timeline`, { headers: bearer('u-tushan') });
    expect(opt.status).toBe(204);
    expect(opt.headers.get('allow')).toBe('GET, HEAD, OPTIONS');
  });

  test('security headers are set and CORS is closed', async () => {
    const r = await s.raw('GET', '/api/v1/me', {
      headers: { ...bearer('u-tushan'), origin: 'https://evil.example' },
    });
    expect(r.headers.get('x-content-type-options')).toBe('nosniff');
    expect(r.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(r.headers.get('strict-transport-security')).toBeTruthy();
    expect(r.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(r.headers.get('x-powered-by')).toBeNull();
    expect(r.headers.get('access-control-allow-origin')).toBeNull();
    const pre = await s.raw('OPTIONS', '/api/v1/clues', {
      headers: {
        origin: 'https://evil.example',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization',
      },
    });
    expect(pre.headers.get('access-control-allow-origin')).toBeNull();
    expect(pre.headers.get('access-control-allow-headers')).toBeNull();
  });

  test('every error kind has one stable problem type', async () => {
    const kinds: Record<string, number> = {};
    const note = (r: { status: number; body: { type: string } }) => {
      kinds[r.body.type.replace(PROBLEM_BASE, '')] = r.status;
    };
    note(await s.call(null, 'GET', '/api/v1/me'));
    note(await s.call('u-leader', 'POST', '/api/v1/clues', intakeBody()));
    note(await s.call('u-tushan', 'GET', '/api/v1/clues/00000000-0000-4000-8000-000000000000'));
    note(await s.call('u-coordinator', 'POST', '/api/v1/clues', '{"a":'));
    note(await s.call('u-coordinator', 'POST', '/api/v1/clues', { a: 1 }));
    note(await s.call('u-coordinator', 'POST', '/api/v1/clues', 'x=1', { 'content-type': 'text/plain' }));
    note(
      await s.call('u-coordinator', 'POST', `/api/v1/clues/${clue.id}/closure/decision`, {
        decision: 'approve',
      }),
    );
    note(await s.call('u-coordinator', 'PUT', '/api/v1/clues'));
    expect(kinds).toEqual({
      unauthorized: 401,
      forbidden: 403,
      'not-found': 404,
      'malformed-json': 400,
      'validation-error': 422,
      'unsupported-media-type': 415,
      'invalid-transition': 409,
      'method-not-allowed': 405,
    });
  });

  test('validation errors list the field paths; NUL characters and blank text are refused', async () => {
    const r = await s.call('u-tushan', 'POST', `/api/v1/clues/${clue.id}/verification`, {
      findings: '   ',
      factsConfirmed: 'yes',
    });
    expect(r.status).toBe(422);
    expect([...new Set(r.body.errors.map((e: { path: string[] }) => e.path.join('.')))].sort()).toEqual([
      'factsConfirmed',
      'findings',
    ]);
    const nul = await s.call(
      'u-coordinator',
      'POST',
      '/api/v1/clues',
      intakeBody({ description: 'a\u0000b' }),
    );
    expect(nul.status).toBe(422);
    expect(nul.body.errors[0].path).toEqual(['description']);
    const q = await s.call('u-coordinator', 'GET', `/api/v1/clues?q=${encodeURIComponent('a\u0000b')}`);
    expect(q.status).toBe(422);
    // Half a surrogate pair: valid JSON, but PostgreSQL cannot store it (it would wedge a workflow's projection).
    const half = await s.call(
      'u-tushan',
      'POST',
      `/api/v1/clues/${clue.id}/actions`,
      '{"description":"bad \\ud800 text"}',
    );
    expect(half.status).toBe(422);
    expect(half.body.errors[0].path).toEqual(['description']);
    const key = await s.call(
      'u-coordinator',
      'POST',
      '/api/v1/clues',
      JSON.stringify(intakeBody()).replace('"online"', '"\\udc00online"'),
    );
    expect(key.status).toBe(422);
    // A path parameter outside its shape names nothing.
    expect((await s.call('u-coordinator', 'GET', '/api/v1/clues/not-a-uuid')).status).toBe(404);
  });

  test('the OpenAPI 3.1 document lists every route, and the docs page is browsable', async () => {
    const doc = s.checker.doc as unknown as {
      openapi: string;
      paths: Record<string, Record<string, unknown>>;
    };
    expect(doc.openapi).toBe('3.1.0');
    for (const r of s.routes) {
      const p = `/api/v1${r.path.replace(/:([A-Za-z]+)/g, '{$1}')}`;
      expect(`${r.method} ${p} ${Boolean(doc.paths[p]?.[r.method])}`).toBe(`${r.method} ${p} true`);
    }
    const docs = await s.raw('GET', '/api/v1/docs');
    expect(docs.status).toBe(200);
    expect(docs.headers.get('content-type')).toMatch(/text\/html/);
    expect(docs.text).toContain('/api/v1/clues/{id}/verification');
    expect(docs.text).toContain('openapi.json');
  });

  test('every route documents the schema of its success response', () => {
    // Known gaps, owned by the ledger and campaign work; remove a line when its route gets a schema.
    const KNOWN_UNDESCRIBED = ['GET /campaigns/:id/timeline'];
    // A 204 answers with no body: nothing to describe.
    const undocumented = s.routes
      .filter((r) => !r.response && r.responseStatus !== 204)
      .map((r) => `${r.method.toUpperCase()} ${r.path}`);
    expect(undocumented.filter((k) => !KNOWN_UNDESCRIBED.includes(k))).toEqual([]);
    expect(KNOWN_UNDESCRIBED.filter((k) => !undocumented.includes(k))).toEqual([]);
  });
});

describe('audit and logs', () => {
  test('the logger redacts credentials and reporter identity wherever a caller puts them', () => {
    const lines: string[] = [];
    const log = createLogger('info', { write: (l: string) => void lines.push(l) });
    log.info(
      {
        authorization: 'Bearer dso_secret1',
        req: { headers: { authorization: 'Bearer dso_secret2', cookie: 'sid=dso_secret3' } },
      },
      'a',
    );
    log.info(
      {
        token: 'dso_secret4',
        reporter: { name: 'Hidden Name', contact: '13700000000' },
        clue: { reporter_enc: 'v1.x', reporterEnc: 'v1.y' },
      },
      'b',
    );
    const text = lines.join('');
    expect(lines).toHaveLength(2);
    for (const secret of [
      'dso_secret1',
      'dso_secret2',
      'dso_secret3',
      'dso_secret4',
      'Hidden Name',
      '13700000000',
      'v1.x',
      'v1.y',
    ])
      expect(text).not.toContain(secret);
    expect(text).toContain('[redacted]');
  });

  test('every write is audited with actor, role, unit and request id; refused attempts too', async () => {
    const rid = 'audit-check-0001';
    const r = await s.call(
      'u-tushan',
      'POST',
      `/api/v1/clues/${clue.id}/actions`,
      { description: 'not yet' },
      { 'x-request-id': rid },
    );
    expect(r.headers.get('x-request-id')).toBe(rid);
    const denied = await s.call(
      'u-leader',
      'POST',
      `/api/v1/clues/${clue.id}/regrade`,
      { grade: 'I', keyClue: true, reason: 'r' },
      { 'x-request-id': 'audit-check-0002' },
    );
    expect(denied.status).toBe(403);
    const rows = await eventually(async () => {
      const x = await s.db.q<
        {
          actor_id: string;
          role: string;
          unit_id: string | null;
          action: string;
          target: string;
          request_id: string;
          details: { status: number; outcome: string };
        }[]
      >(
        `select actor_id, role, unit_id, action, target, request_id, details from audit_log where request_id in ('audit-check-0001','audit-check-0002') order by request_id`,
      );
      expect(x).toHaveLength(2);
      return x;
    });
    expect(rows[0]).toMatchObject({
      actor_id: 'u-tushan',
      role: 'unit_officer',
      unit_id: 'tushan-scenic-area',
      action: 'POST /clues/:id/actions',
      target: `/api/v1/clues/${clue.id}/actions`,
    });
    expect(rows[0]!.details.status).toBe(r.status);
    expect(rows[1]).toMatchObject({
      actor_id: 'u-leader',
      role: 'leader',
      details: { status: 403, outcome: 'refused' },
    });
  });

  test('request logs are structured and never hold a token, a query string or a body', async () => {
    await s.call('u-coordinator', 'GET', `/api/v1/clues?q=${encodeURIComponent('SecretSearchTerm')}`);
    await s.call(
      'u-coordinator',
      'POST',
      '/api/v1/clues',
      intakeBody({
        reporter: { name: 'Log Leak Reporter', contact: '13900001111' },
        subject: { name: 'Logged Ltd', kind: 'enterprise' },
      }),
    );
    const text = capture.lines.join('\n');
    expect(capture.lines.length).toBeGreaterThan(2);
    for (const token of Object.values(s.db.tokens)) expect(text).not.toContain(token);
    expect(text).not.toMatch(/authorization/i);
    expect(text).not.toContain('SecretSearchTerm');
    expect(text).not.toContain('Log Leak Reporter');
    expect(text).not.toContain('13900001111');
    const lines = capture.lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toContainEqual(
      expect.objectContaining({
        req: { id: expect.any(String), method: 'GET', path: '/api/v1/clues' },
        res: { statusCode: 200 },
        role: 'coordinator',
      }),
    );
  });
});
