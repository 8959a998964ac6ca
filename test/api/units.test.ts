/**
 * Unit contacts through the API (issue 12 "Every unit is reachable"): the admin edits a unit's contact
 * mailbox, head contact and group robots; the DingTalk secret is write-only and stored encrypted; the
 * webhooks' access tokens are never shown; every change is audited. Whole deployment, real PostgreSQL.
 */
import { decryptRobotSecret } from '../../src/notify/robots';
import { expectStatus, startApiSuite, type ApiSuite } from './support';

let s: ApiSuite;
const SECRET = 'SEC0f3a9c1d2e4b5a6978';
const WECOM = 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa';
const DING = 'https://oapi.dingtalk.com/robot/send?access_token=9f1c3e5d7b0a2c4e6f8091a3b5c7d9e1';

beforeAll(async () => {
  s = await startApiSuite({ taskQueue: 'api-units' });
}, 120_000);
afterAll(async () => {
  await s?.close();
});

const paths = (r: { body: { errors: { path: (string | number)[] }[] } }) =>
  r.body.errors.map((e) => e.path.join('.')).sort();

describe('PATCH /units/{unitId}', () => {
  test('the admin sets a unit’s contacts and robots; the secret is never returned, the webhooks are shown masked, and the change is audited without either', async () => {
    const r = expectStatus(
      await s.call('u-admin', 'PATCH', '/api/v1/units/yanshan-town', {
        email: 'yanshan-office@district.local',
        headName: '刘洋',
        headEmail: 'liu.yang@district.local',
        wecomWebhookUrl: WECOM,
        dingtalkWebhookUrl: DING,
        dingtalkSecret: SECRET,
      }),
      200,
      'patch',
    );
    expect(r.body).toEqual({
      id: 'yanshan-town',
      nameZh: '燕山乡',
      nameEn: 'Yanshan Town',
      kind: 'town',
      active: true,
      email: 'yanshan-office@district.local',
      headName: '刘洋',
      headEmail: 'liu.yang@district.local',
      wecomWebhookUrl: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=***',
      dingtalkWebhookUrl: 'https://oapi.dingtalk.com/robot/send?access_token=***',
      dingtalkSecretSet: true,
      robotChannels: ['wecom', 'dingtalk'],
    });
    const shown = expectStatus(await s.call('u-admin', 'GET', '/api/v1/units/yanshan-town'), 200, 'get');
    expect(shown.body).toEqual(r.body);
    for (const reply of [r, shown]) {
      expect(reply.text).not.toContain(SECRET);
      expect(reply.text).not.toContain('693a91f6');
      expect(reply.text).not.toContain('9f1c3e5d');
    }

    // At rest: ciphertext under the reporter key, bound to this unit.
    const [row] = await s.db.q<{ dingtalk_secret: string; wecom_webhook_url: string }[]>(
      `select dingtalk_secret, wecom_webhook_url from units where id = 'yanshan-town'`,
    );
    expect(row!.wecom_webhook_url).toBe(WECOM);
    expect(row!.dingtalk_secret).not.toContain(SECRET);
    expect(decryptRobotSecret(s.app.ctx.reporterKey, 'yanshan-town', row!.dingtalk_secret)).toBe(SECRET);
    expect(() =>
      decryptRobotSecret(s.app.ctx.reporterKey, 'donghai-community', row!.dingtalk_secret),
    ).toThrow();

    const audit = await s.db.q<{ actor_id: string; role: string; target: string; details: unknown }[]>(
      `select actor_id, role, target, details from audit_log where action = 'unit.update' order by id`,
    );
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor_id: 'u-admin', role: 'admin', target: 'unit:yanshan-town' });
    expect(audit[0]!.details).toMatchObject({
      fields: ['email', 'headName', 'headEmail', 'wecomWebhookUrl', 'dingtalkWebhookUrl', 'dingtalkSecret'],
    });
    const details = JSON.stringify(audit[0]!.details);
    expect(details).not.toContain(SECRET);
    expect(details).not.toContain('693a91f6');

    // Clearing: null removes a contact; removing the DingTalk robot takes webhook and secret together.
    const cleared = expectStatus(
      await s.call('u-admin', 'PATCH', '/api/v1/units/yanshan-town', {
        headEmail: null,
        dingtalkWebhookUrl: null,
        dingtalkSecret: null,
      }),
      200,
      'clear',
    );
    expect(cleared.body).toMatchObject({
      headEmail: null,
      dingtalkWebhookUrl: null,
      dingtalkSecretSet: false,
      robotChannels: ['wecom'],
    });
  });

  test('invalid changes answer 422 naming each field; a DingTalk webhook without its secret is refused', async () => {
    const bad = await s.call('u-admin', 'PATCH', '/api/v1/units/donghai-community', {
      email: 'not-an-address',
      headEmail: 'also@not',
      wecomWebhookUrl: 'http://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k',
      dingtalkWebhookUrl: 'ftp://oapi.dingtalk.com/robot/send',
      dingtalkSecret: 'with spaces in it',
      colour: 'red',
    });
    expect(bad.status).toBe(422);
    expect(bad.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(paths(bad)).toEqual(
      expect.arrayContaining([
        'dingtalkSecret',
        'dingtalkWebhookUrl',
        'email',
        'headEmail',
        'wecomWebhookUrl',
      ]),
    );
    expect(bad.text).toMatch(/colour/);

    const empty = await s.call('u-admin', 'PATCH', '/api/v1/units/donghai-community', {});
    expect(empty.status).toBe(422);
    expect(empty.body.errors[0].message).toMatch(/at least one field/);

    const unsigned = await s.call('u-admin', 'PATCH', '/api/v1/units/donghai-community', {
      dingtalkWebhookUrl: DING,
    });
    expect(unsigned.status).toBe(422);
    expect(paths(unsigned)).toEqual(['dingtalkSecret']);

    // Plain http is allowed only to this machine (local test peers).
    expectStatus(
      await s.call('u-admin', 'PATCH', '/api/v1/units/donghai-community', {
        wecomWebhookUrl: 'http://127.0.0.1:8999/wecom?key=k',
      }),
      200,
      'loopback',
    );
    const [n] = await s.db.q<{ n: number }[]>(
      `select count(*)::int as n from audit_log where action = 'unit.update' and target = 'unit:donghai-community'`,
    );
    expect(n!.n).toBe(1);
  });

  test('another role gets 403 and changes nothing; an unknown unit is 404', async () => {
    for (const user of ['u-coordinator', 'u-tushan', 'u-tushan-head', 'u-leader', 'u-police']) {
      const r = await s.call(user, 'PATCH', '/api/v1/units/tushan-scenic-area', {
        email: 'evil@example.org',
      });
      expect(`${user} ${r.status}`).toBe(`${user} 403`);
      expect((await s.call(user, 'GET', '/api/v1/units/tushan-scenic-area')).status).toBe(403);
    }
    const [u] = await s.db.q<{ email: string }[]>(`select email from units where id = 'tushan-scenic-area'`);
    expect(u!.email).toBe('tushan@district.local');
    expect((await s.call('u-admin', 'PATCH', '/api/v1/units/atlantis', { email: 'a@b.cn' })).status).toBe(
      404,
    );
    expect((await s.call('u-admin', 'GET', '/api/v1/units/atlantis')).status).toBe(404);
  });
});

describe('POST /units', () => {
  test('the admin creates a unit and the creation is audited; the same id again is 409 and audits nothing', async () => {
    const body = { id: 'xinhe-community', nameZh: '新河社区', nameEn: 'Xinhe Community', kind: 'community' };
    expectStatus(await s.call('u-admin', 'POST', '/api/v1/units', body), 201, 'create');
    expect((await s.call('u-admin', 'POST', '/api/v1/units', body)).status).toBe(409);
    const audit = await s.db.q<{ actor_id: string; role: string; details: unknown }[]>(
      `select actor_id, role, details from audit_log where action = 'unit.create' and target = 'unit:xinhe-community'`,
    );
    expect(audit).toEqual([{ actor_id: 'u-admin', role: 'admin', details: { kind: 'community' } }]);
  });
});
