/**
 * GET /api/v1/audit on real services: the security-relevant events (reporter unmask with its reason,
 * tokens issued and revoked, role changes, ledger exports, refused bearer tokens) are written by the
 * code that does them and listed with filters, cursor pages and a CSV export (itself audited). Every
 * response is checked against the OpenAPI document.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { parse } from 'csv-parse/sync';
import { auditTokenFailure, resetTokenFailureThrottle, TOKEN_FAILURE_ROWS_PER_MINUTE } from '../../src/audit';
import { createToken, revoke, setUserRole } from '../../src/auth/admin';
import { eventually } from '../helpers/services';
import { expectStatus, registerClue, startApiSuite, type ApiSuite } from './support';

let s: ApiSuite;
let clue: { id: string; ref: string };
const em = () => s.db.orm.em.fork() as EntityManager;

interface Entry {
  id: number;
  at: string;
  action: string;
  actorId: string | null;
  actorName: string | null;
  role: string | null;
  target: string | null;
  clueRef: string | null;
  reason: string | null;
  details: Record<string, unknown>;
}

const list = async (query: string, user = 'u-admin'): Promise<Entry[]> =>
  expectStatus(await s.call(user, 'GET', `/api/v1/audit${query}`), 200, query).body.items as Entry[];

beforeAll(async () => {
  s = await startApiSuite({ taskQueue: 'api-audit' });
  clue = await registerClue(s, { reporter: { name: 'Zhang San', contact: '13800138000' } });
});

afterAll(async () => {
  await s?.close();
});

describe('the audit list', () => {
  test('given a coordinator unmasks a reporter with a reason, then the audit list shows who, which clue (ref) and the reason, and never the identity', async () => {
    const reason = 'Witness interview requested by the public security bureau';
    const r = expectStatus(
      await s.call('u-coordinator', 'POST', `/api/v1/clues/${clue.id}/reporter/unmask`, { reason }),
      200,
    );
    expect(r.body.reporter).toEqual({ name: 'Zhang San', contact: '13800138000' });

    for (const user of ['u-admin', 'u-coordinator']) {
      const [row] = await list('?action=reporter.unmask', user);
      expect(row).toMatchObject({
        action: 'reporter.unmask',
        actorId: 'u-coordinator',
        role: 'coordinator',
        target: `clue:${clue.id}`,
        clueRef: clue.ref,
        reason,
      });
      expect(row!.actorName).toEqual(expect.any(String));
      expect(JSON.stringify(row)).not.toMatch(/Zhang San|13800138000/);
    }
  });

  test('a unit officer, a leader and a police liaison get 403', async () => {
    for (const user of ['u-tushan', 'u-leader', 'u-police'])
      expectStatus(await s.call(user, 'GET', '/api/v1/audit'), 403, user);
  });

  test('given tokens issued and revoked and a role changed on the admin command line, then each is listed with its target', async () => {
    const t = await createToken(em(), { userId: 'u-market', label: 'audit test' });
    await revoke(em(), t.id);
    const change = await setUserRole(em(), { userId: 'u-leader', role: 'coordinator' });
    expect(change).toMatchObject({ changed: true, from: { role: 'leader' }, to: { role: 'coordinator' } });
    await setUserRole(em(), { userId: 'u-leader', role: 'leader' });

    const issued = await list(`?action=token.issue&target=token:${t.id}`);
    expect(issued).toHaveLength(1);
    expect(issued[0]).toMatchObject({ actorId: 'cli', details: { userId: 'u-market', label: 'audit test' } });
    expect(JSON.stringify(issued)).not.toContain(t.token);
    const revoked = await list(`?action=token.revoke&target=token:${t.id}`);
    expect(revoked[0]).toMatchObject({ details: { userId: 'u-market' } });
    const roles = await list('?action=user.role_change&target=user:u-leader');
    expect(roles.map((x) => [x.details.from, x.details.to])).toEqual([
      [
        { role: 'coordinator', unitId: null },
        { role: 'leader', unitId: null },
      ],
      [
        { role: 'leader', unitId: null },
        { role: 'coordinator', unitId: null },
      ],
    ]);
  });

  test('given a ledger export with filters, then the audit list says who exported which list, with which filters and how many rows', async () => {
    const r = await s.call('u-leader', 'GET', '/api/v1/ledger/risks?format=csv&keyArea=elderly_care');
    expect(r.status).toBe(200);
    const [row] = await list('?action=ledger.export&actor=u-leader');
    expect(row).toMatchObject({
      actorId: 'u-leader',
      target: 'ledger:risks',
      details: { list: 'risks', format: 'csv', filters: { keyArea: 'elderly_care' }, rows: 1 },
    });
  });

  test('given a district summary downloaded as a document, then it is audited as an export of that campaign; its JSON figures are not', async () => {
    const c = expectStatus(
      await s.call('u-coordinator', 'POST', '/api/v1/campaigns', {
        year: new Date().getUTCFullYear() + 1,
        unitIds: ['tushan-scenic-area', 'changhuai-town'],
      }),
      201,
      'campaign',
    );
    const id = (c.body as { id: string }).id;
    expectStatus(
      await s.call('u-leader', 'GET', `/api/v1/campaigns/${id}/district-summary?format=json`),
      200,
    );
    expectStatus(
      await s.call('u-leader', 'GET', `/api/v1/campaigns/${id}/district-summary?format=docx`),
      200,
    );
    const rows = await list(`?action=ledger.export&target=campaign:${id}`);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      actorId: 'u-leader',
      details: { list: 'district-summary', format: 'docx', lang: 'zh-CN' },
    });
  });

  test('given a flood of refused bearer tokens from one address, then one row per minute is written, naming a revoked token but storing no token', async () => {
    resetTokenFailureThrottle();
    const before = (await list('?action=auth.token_failed&limit=200')).length;
    for (let i = 0; i < 40; i++) {
      const r = await s.raw('GET', '/api/v1/me', {
        headers: { authorization: `Bearer dso_bogus${i}xxxxxxxx` },
      });
      expect(r.status).toBe(401);
    }
    const rows = await eventually(async () => {
      const x = await list('?action=auth.token_failed&limit=200');
      expect(x.length).toBe(before + 1);
      return x;
    });
    expect(rows[0]).toMatchObject({
      actorId: null,
      target: null,
      details: { reason: 'unknown', ip: expect.any(String) },
    });
    expect(JSON.stringify(rows)).not.toContain('dso_bogus');

    // A revoked token (another minute, as far as the throttle knows): the row names the token and its user.
    resetTokenFailureThrottle();
    const t = await createToken(em(), { userId: 'u-market', label: 'soon revoked' });
    await revoke(em(), t.id);
    expect(
      (await s.raw('GET', '/api/v1/me', { headers: { authorization: `Bearer ${t.token}` } })).status,
    ).toBe(401);
    const [revoked] = await eventually(async () => {
      const x = await list(`?action=auth.token_failed&target=token:${t.id}`);
      expect(x).toHaveLength(1);
      return x;
    });
    expect(revoked).toMatchObject({ actorId: 'u-market', details: { reason: 'revoked' } });
    expect(JSON.stringify(revoked)).not.toContain(t.token);
  });

  test('the throttle counts what it held back into the next row, and caps rows per minute across addresses', async () => {
    resetTokenFailureThrottle();
    const t0 = Date.now();
    const path = '/throttle-test';
    await auditTokenFailure(em, { ip: '10.0.0.1', path, token: 'dso_x' }, t0);
    for (let i = 1; i <= 9; i++)
      await auditTokenFailure(em, { ip: '10.0.0.1', path, token: 'dso_x' }, t0 + i);
    await auditTokenFailure(em, { ip: '10.0.0.1', path, token: 'dso_x' }, t0 + 61_000);
    // Many addresses at once: at most TOKEN_FAILURE_ROWS_PER_MINUTE rows in that minute.
    for (let i = 0; i < TOKEN_FAILURE_ROWS_PER_MINUTE + 20; i++)
      await auditTokenFailure(em, { ip: `10.1.0.${i}`, path, token: 'dso_x' }, t0 + 62_000);
    const rows = await s.db.q<{ details: { ip: string; heldBackFromThisAddress: number } }[]>(
      `select details from audit_log where action = 'auth.token_failed' and details->>'path' = ? order by id`,
      [path],
    );
    expect(rows.slice(0, 2).map((r) => [r.details.ip, r.details.heldBackFromThisAddress])).toEqual([
      ['10.0.0.1', 0],
      ['10.0.0.1', 9],
    ]);
    // The second row opened the minute at t0+61 s; the many addresses fill it up to the cap.
    expect(rows.length).toBe(1 + TOKEN_FAILURE_ROWS_PER_MINUTE);
  });

  test('filters by time and actor, and cursor pages walk every row once, newest first', async () => {
    const all = await list('?limit=200');
    expect(all.length).toBeGreaterThan(5);
    expect(all.map((x) => x.id)).toEqual([...all.map((x) => x.id)].sort((a, b) => b - a));
    const seen: number[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: Entry[]; nextCursor: string | null } = expectStatus(
        await s.call('u-admin', 'GET', `/api/v1/audit?limit=2${cursor ? `&cursor=${cursor}` : ''}`),
        200,
      ).body;
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((x) => x.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(all.map((x) => x.id));

    const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
    expect((await list(`?from=${today}&to=${today}&limit=200`)).length).toBe(all.length);
    expect(await list('?to=2000-01-01')).toEqual([]);
    const future = new Date(Date.now() + 3_600_000).toISOString();
    expect(await list(`?from=${encodeURIComponent(future)}`)).toEqual([]);
    expect((await list('?actor=u-coordinator&limit=200')).every((x) => x.actorId === 'u-coordinator')).toBe(
      true,
    );

    expectStatus(await s.call('u-admin', 'GET', '/api/v1/audit?action=GET%20/clues'), 422);
    expectStatus(await s.call('u-admin', 'GET', '/api/v1/audit?cursor=bm90LWEtbnVtYmVy'), 422);
    expectStatus(await s.call('u-admin', 'GET', `/api/v1/audit?from=${today}&to=2000-01-01`), 422);
  });

  test('the generic per-request write log is not on the list', async () => {
    const n = await s.db.q<{ n: number }[]>(
      `select count(*)::int as n from audit_log where action like 'POST %'`,
    );
    expect(n[0]!.n).toBeGreaterThan(0);
    expect((await list('?limit=200')).some((x) => x.action.startsWith('POST '))).toBe(false);
  });

  test('the CSV export opens with Chinese headers, a BOM and the unmask reason, has a readable file name, and is itself audited', async () => {
    const r = expectStatus(
      await s.call('u-coordinator', 'GET', '/api/v1/audit?format=csv&action=reporter.unmask'),
      200,
    );
    expect(r.headers.get('content-type')).toContain('text/csv');
    expect([...r.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const disposition = r.headers.get('content-disposition')!;
    expect(disposition).toMatch(/filename="security-audit-log-\d{4}-\d\d-\d\d\.csv"/);
    const star = /filename\*=UTF-8''([^;]+)/.exec(disposition)![1]!;
    expect(decodeURIComponent(star)).toMatch(/^安全审计记录-\d{4}-\d\d-\d\d\.csv$/);
    const rows = parse(r.bytes, { bom: true }) as string[][];
    expect(rows[0]).toEqual([
      '时间（北京时间）',
      '事件',
      '用户编号',
      '姓名',
      '角色',
      '单位',
      '对象',
      '线索编号',
      '事由',
      '请求编号',
      '详情',
    ]);
    expect(rows.slice(1).map((x) => [x[1], x[2], x[7], x[8]])).toEqual([
      [
        '查看举报人身份',
        'u-coordinator',
        clue.ref,
        'Witness interview requested by the public security bureau',
      ],
    ]);
    expect(rows[1]![0]).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d$/);

    const [exported] = await list('?action=ledger.export&target=audit');
    expect(exported).toMatchObject({
      actorId: 'u-coordinator',
      details: { list: 'audit', format: 'csv', filters: { action: 'reporter.unmask' }, rows: 1 },
    });
    const en = expectStatus(
      await s.call('u-admin', 'GET', '/api/v1/audit?format=csv&action=reporter.unmask&lang=en'),
      200,
    );
    expect((parse(en.bytes, { bom: true }) as string[][])[1]![1]).toBe("Reporter's identity revealed");
  });
});
