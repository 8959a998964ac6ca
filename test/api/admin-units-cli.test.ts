/**
 * `npm run admin -- units set|show|list --contacts`, run as the operator runs it (a child process) on
 * real PostgreSQL: contacts and robots are set, the DingTalk secret comes from stdin and is stored
 * encrypted, nothing prints a secret or an access token, bad input exits 2 naming the flag.
 */
import { randomBytes } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { decryptRobotSecret } from '../../src/notify/robots';
import { freshDatabase, type TestDb } from '../helpers/services';

const ROOT = path.resolve(__dirname, '..', '..');
const KEY = randomBytes(32).toString('hex');
let db: TestDb;

beforeAll(async () => {
  db = await freshDatabase('disposal_admin_units');
});
afterAll(async () => {
  await db?.close();
});

function admin(args: string[], input?: string): { code: number; out: string; err: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/admin.ts', ...args], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: db.url, REPORTER_KEY: KEY, LOG_LEVEL: 'silent' },
    encoding: 'utf8',
    input,
    timeout: 60_000,
  });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

const WECOM = 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=cli-wecom-key-5521';
const DING = 'https://oapi.dingtalk.com/robot/send?access_token=cli-ding-token-8830';
const SECRET = 'SECcli0123456789abcdef';

describe('admin CLI: unit contacts', () => {
  test('units set: contacts and both robots, the secret from stdin; show and list print neither the secret nor the tokens; the change is audited', () => {
    const set = admin(
      [
        'units',
        'set',
        '--id',
        'finance-bureau',
        '--email',
        'finance-office@district.local',
        '--head-name',
        '许静',
        '--head-email',
        'xu.jing@district.local',
        '--wecom-webhook',
        WECOM,
        '--dingtalk-webhook',
        DING,
        '--dingtalk-secret-stdin',
      ],
      `${SECRET}\n`,
    );
    expect(set.err).toBe('');
    expect(set).toMatchObject({ code: 0 });
    expect(set.out).toMatch(/unit finance-bureau updated .*robots: wecom, dingtalk/);
    const show = admin(['units', 'show', '--id', 'finance-bureau', '--json']);
    expect(show.code).toBe(0);
    expect(JSON.parse(show.out)).toMatchObject({
      email: 'finance-office@district.local',
      headName: '许静',
      wecomWebhookUrl: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=***',
      dingtalkSecretSet: true,
      robotChannels: ['wecom', 'dingtalk'],
    });
    const list = admin(['units', 'list', '--contacts']);
    expect(list.code).toBe(0);
    expect(list.out).toMatch(
      /finance-bureau\s+finance-office@district\.local\s+许静 <xu\.jing@district\.local>\s+wecom,dingtalk/,
    );
    for (const out of [set.out, show.out, list.out]) {
      expect(out).not.toContain(SECRET);
      expect(out).not.toContain('cli-wecom-key');
      expect(out).not.toContain('cli-ding-token');
    }
    return db
      .q<{ dingtalk_secret: string }[]>(`select dingtalk_secret from units where id = 'finance-bureau'`)
      .then(async ([row]) => {
        expect(decryptRobotSecret(KEY, 'finance-bureau', row!.dingtalk_secret)).toBe(SECRET);
        const audit = await db.q<{ actor_id: string; details: { fields: string[] } }[]>(
          `select actor_id, details from audit_log where action = 'unit.update' and target = 'unit:finance-bureau'`,
        );
        expect(audit).toHaveLength(1);
        expect(audit[0]!.actor_id).toBe('cli');
        expect(audit[0]!.details.fields).toContain('dingtalkSecret');
        expect(JSON.stringify(audit[0]!.details)).not.toContain(SECRET);
      });
  }, 120_000);

  test('units set: bad values exit 2 naming the flag; a DingTalk webhook without a secret is refused; an empty value clears', async () => {
    const bad = admin([
      'units',
      'set',
      '--id',
      'yanshan-town',
      '--head-email',
      'nope',
      '--wecom-webhook',
      'http://x.org/',
    ]);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/--head-email: /);
    expect(bad.err).toMatch(/--wecom-webhook: .*https/);
    const unsigned = admin(['units', 'set', '--id', 'yanshan-town', '--dingtalk-webhook', DING]);
    expect(unsigned.code).toBe(2);
    expect(unsigned.err).toMatch(/--dingtalk-secret-stdin: a DingTalk webhook needs its signing secret/);
    expect(admin(['units', 'set', '--id', 'atlantis', '--email', 'a@b.cn'])).toMatchObject({
      code: 2,
      err: expect.stringMatching(/unknown unit "atlantis"/),
    });
    expect(
      admin(['units', 'set', '--id', 'finance-bureau', '--dingtalk-webhook', '', '--head-email', '']).code,
    ).toBe(0);
    const [row] = await db.q<
      { dingtalk_webhook_url: string | null; dingtalk_secret: string | null; head_email: string | null }[]
    >(`select dingtalk_webhook_url, dingtalk_secret, head_email from units where id = 'finance-bureau'`);
    expect(row).toEqual({ dingtalk_webhook_url: null, dingtalk_secret: null, head_email: null });
  }, 120_000);
});
