/**
 * Group robots through the outbox (src/notify/robots.ts, src/mail/outbox.ts) on real PostgreSQL, the real
 * SMTP test server and a local HTTP server playing WeCom and DingTalk. The peer checks what the real
 * APIs check: the body shape, the WeCom key, and the DingTalk signature (its own HMAC, not ours) and
 * timestamp window. It records what it accepted by outbox key, so "exactly once" is counted at the peer.
 */
import { createHmac, randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createSmtpMailer, messageIdFor } from '../../src/mail/mailer';
import { createOutboxSender, startOutboxRelay } from '../../src/mail/outbox';
import {
  dingtalkSign,
  dingtalkSignedUrl,
  encryptRobotSecret,
  redactWebhookUrl,
  robotChannelsOf,
  robotOutboxRow,
  truncateUtf8,
  webhookUrlProblem,
  type RobotChannel,
} from '../../src/notify/robots';
import { eventually, freshDatabase, startSmtp, type TestDb, type TestSmtp } from '../helpers/services';

const FROM = 'District Office <noreply@district.local>';
const KEY = randomBytes(32).toString('hex');

/** Per unit: the WeCom key and the DingTalk access token and secret the peer expects. */
const ROBOTS: Record<string, { wecomKey: string; dingToken: string; dingSecret: string }> = {
  'tushan-scenic-area': {
    wecomKey: 'wk-tushan-4f1d',
    dingToken: 'dt-tushan-99ab',
    dingSecret: 'SECtushan0123456789abcdef',
  },
  'changhuai-town': {
    wecomKey: 'wk-changhuai-77c2',
    dingToken: 'dt-changhuai-31ee',
    dingSecret: 'SECchanghuai9876543210fedc',
  },
};

type Mode = 'up' | '503';

interface Peer {
  port: number;
  mode: Mode;
  /** Accepted messages: outbox key (found in the markdown) → how many times. */
  accepted: Map<string, number>;
  /** Everything that reached the peer, accepted or not. */
  requests: number;
  refusals: { channel: RobotChannel; errcode: number }[];
  bodies: { channel: RobotChannel; body: Record<string, unknown> }[];
  /** Stop accepting connections (ECONNREFUSED) / accept again on the same port. */
  down(): Promise<void>;
  up(): Promise<void>;
  close(): Promise<void>;
}

const KEY_IN_TEXT = /\[key:([^\]]+)\]/;

async function startPeer(): Promise<Peer> {
  const peer: Peer = {
    port: 0,
    mode: 'up',
    accepted: new Map(),
    requests: 0,
    refusals: [],
    bodies: [],
    down: async () => {
      const closed = new Promise<void>((r) => server.close(() => r()));
      server.closeAllConnections();
      await closed;
    },
    up: () => new Promise<void>((r) => server.listen(peer.port, '127.0.0.1', r)),
    close: async () => {
      if (!server.listening) return;
      const closed = new Promise<void>((r) => server.close(() => r()));
      server.closeAllConnections();
      await closed;
    },
  };
  const answer = (res: http.ServerResponse, errcode: number, errmsg: string) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ errcode, errmsg }));
  };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      peer.requests += 1;
      if (peer.mode === '503') {
        res.writeHead(503).end('maintenance');
        return;
      }
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const [, channel, unitId] = url.pathname.split('/') as [string, RobotChannel, string];
      const robot = ROBOTS[unitId];
      let body: Record<string, unknown>;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
      } catch {
        return answer(res, 40001, 'invalid json');
      }
      peer.bodies.push({ channel, body });
      const md = body.markdown as Record<string, unknown> | undefined;
      const refuse = (errcode: number, errmsg: string) => {
        peer.refusals.push({ channel, errcode });
        answer(res, errcode, errmsg);
      };
      if (req.method !== 'POST' || !robot) return refuse(404, 'no such robot');
      if (!String(req.headers['content-type']).startsWith('application/json'))
        return refuse(40008, 'invalid content type');
      let text: unknown;
      if (channel === 'wecom') {
        if (url.searchParams.get('key') !== robot.wecomKey) return refuse(93000, 'invalid webhook url');
        if (body.msgtype !== 'markdown' || typeof md?.content !== 'string' || Object.keys(body).length !== 2)
          return refuse(40008, 'invalid message type');
        text = md.content;
      } else {
        if (url.searchParams.get('access_token') !== robot.dingToken)
          return refuse(300001, 'token is not exist');
        const ts = url.searchParams.get('timestamp') ?? '';
        const sign = url.searchParams.get('sign') ?? '';
        if (!/^\d{13}$/.test(ts) || Math.abs(Date.now() - Number(ts)) > 3_600_000)
          return refuse(310000, 'invalid timestamp');
        const want = createHmac('sha256', robot.dingSecret)
          .update(`${ts}\n${robot.dingSecret}`)
          .digest('base64');
        if (sign !== want) return refuse(310000, 'sign not match');
        if (
          body.msgtype !== 'markdown' ||
          typeof md?.title !== 'string' ||
          md.title === '' ||
          typeof md.text !== 'string'
        )
          return refuse(40035, 'invalid markdown');
        text = md.text;
      }
      const key = KEY_IN_TEXT.exec(String(text))?.[1] ?? '?';
      peer.accepted.set(key, (peer.accepted.get(key) ?? 0) + 1);
      answer(res, 0, 'ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  peer.port = (server.address() as AddressInfo).port;
  return peer;
}

let db: TestDb;
let smtp: TestSmtp;
let peer: Peer;

async function configureRobots(unitId: string, o: { dingSecret?: string } = {}): Promise<void> {
  const r = ROBOTS[unitId]!;
  const base = `http://127.0.0.1:${peer.port}`;
  await db.q(
    `update units set wecom_webhook_url = ?, dingtalk_webhook_url = ?, dingtalk_secret = ? where id = ?`,
    [
      `${base}/wecom/${unitId}?key=${r.wecomKey}`,
      `${base}/dingtalk/${unitId}?access_token=${r.dingToken}`,
      encryptRobotSecret(KEY, unitId, o.dingSecret ?? r.dingSecret),
      unitId,
    ],
  );
}

/** Writes one notice's robot rows for a unit (as `notify` does), with its key in the markdown. */
async function robotNotice(noticeKey: string, unitId: string, channels: RobotChannel[]): Promise<string[]> {
  const keys: string[] = [];
  for (const ch of channels) {
    const key = `${noticeKey}|unit:${unitId}|${ch}`;
    const row = robotOutboxRow(noticeKey, unitId, ch, '一级督办', `### 一级督办\n请立即办理 [key:${key}]`);
    await db.q(
      `insert into mail_outbox (key, to_addr, subject, body, message_id, status, channel) values (?,?,?,?,?,'pending',?) on conflict (key) do nothing`,
      [row.key, row.to_addr, row.subject, row.body, row.message_id, row.channel],
    );
    keys.push(row.key);
  }
  return keys;
}

async function emailNotice(noticeKey: string): Promise<string> {
  const key = `${noticeKey}|u-tushan`;
  await db.q(
    `insert into mail_outbox (key, to_addr, subject, body, message_id, status) values (?,?,?,?,?,'pending')`,
    [key, 'tushan@district.local', 'notice', 'body', messageIdFor(noticeKey, 'tushan@district.local')],
  );
  return key;
}

const sender = (extra: { robotsPerMinute?: number } = {}) =>
  createOutboxSender({
    orm: db.orm,
    mailer: createSmtpMailer(smtp.url, FROM),
    secretKey: KEY,
    robotsPerMinute: extra.robotsPerMinute ?? 1000,
  });

const rowsOf = (prefix: string) =>
  db.q<{ key: string; status: string; attempts: number; last_error: string | null; waits: boolean }[]>(
    `select key, status, attempts, last_error, coalesce(not_before > now(), false) as waits from mail_outbox where key like ? order by id`,
    [`${prefix}%`],
  );

beforeAll(async () => {
  [db, smtp, peer] = await Promise.all([freshDatabase(), startSmtp(), startPeer()]);
  await configureRobots('tushan-scenic-area');
  await configureRobots('changhuai-town');
});
afterAll(async () => {
  await Promise.all([db?.close(), smtp?.close(), peer?.close()]);
});

describe('robot formats', () => {
  test('the DingTalk signature matches the official Python example for a known timestamp and secret', () => {
    // python3: base64.b64encode(hmac.new(b'this is secret', b'1577262236757\nthis is secret', sha256).digest())
    expect(dingtalkSign('this is secret', 1577262236757)).toBe(
      'hmPWwU+7lVdm3ZZz0r9tSfx0L4Q26jWOZr9+Gs6EZQM=',
    );
    expect(
      dingtalkSignedUrl(
        'https://oapi.dingtalk.com/robot/send?access_token=T',
        'this is secret',
        1577262236757,
      ),
    ).toBe(
      'https://oapi.dingtalk.com/robot/send?access_token=T&timestamp=1577262236757&sign=hmPWwU%2B7lVdm3ZZz0r9tSfx0L4Q26jWOZr9%2BGs6EZQM%3D',
    );
  });

  test('webhook URLs must be https, plain http only to this machine, and are shown without their tokens', () => {
    expect(webhookUrlProblem('https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abc')).toBeUndefined();
    expect(webhookUrlProblem('http://127.0.0.1:9999/x')).toBeUndefined();
    expect(webhookUrlProblem('http://localhost/x')).toBeUndefined();
    expect(webhookUrlProblem('http://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abc')).toMatch(/https/);
    expect(webhookUrlProblem('ftp://example.org/')).toMatch(/https/);
    expect(webhookUrlProblem('https://user:pw@example.org/')).toMatch(/password/);
    expect(webhookUrlProblem('not a url')).toMatch(/absolute/);
    expect(redactWebhookUrl('https://oapi.dingtalk.com/robot/send?access_token=secret123')).toBe(
      'https://oapi.dingtalk.com/robot/send?access_token=***',
    );
  });

  test('a unit reaches DingTalk only with both a webhook and a signing secret', () => {
    expect(robotChannelsOf({ wecom_webhook_url: 'https://a', dingtalk_webhook_url: 'https://b' })).toEqual([
      'wecom',
    ]);
    expect(robotChannelsOf({ dingtalkWebhookUrl: 'https://b', dingtalkSecret: 'v1.x' })).toEqual([
      'dingtalk',
    ]);
    expect(robotChannelsOf({})).toEqual([]);
  });

  test('markdown over WeCom’s 4096-byte limit is cut on a character boundary', () => {
    const cut = truncateUtf8('督'.repeat(2000), 4096);
    expect(Buffer.byteLength(cut, 'utf8')).toBeLessThanOrEqual(4096);
    expect(cut.endsWith('…')).toBe(true);
  });
});

describe('robot delivery through the outbox', () => {
  test('given a unit with both robots, when its notice is delivered, then WeCom gets markdown and DingTalk a signed markdown, once each however often it is retried', async () => {
    const keys = await robotNotice('deliver:1', 'tushan-scenic-area', ['wecom', 'dingtalk']);
    const r = await sender().deliverKey('deliver:1|');
    expect(r).toMatchObject({ sent: 2, deferred: 0 });
    expect(await sender().deliverKey('deliver:1|')).toMatchObject({ sent: 0, deferred: 0 });
    expect(await sender().relayOnce()).toMatchObject({ sent: 0 });
    expect(keys.map((k) => peer.accepted.get(k))).toEqual([1, 1]);
    const ding = peer.bodies.filter((b) => b.channel === 'dingtalk').at(-1)!.body;
    expect(ding).toEqual({
      msgtype: 'markdown',
      markdown: { title: '一级督办', text: expect.stringContaining('请立即办理') },
    });
    const wecom = peer.bodies.filter((b) => b.channel === 'wecom').at(-1)!.body;
    expect(wecom).toEqual({
      msgtype: 'markdown',
      markdown: { content: expect.stringContaining('请立即办理') },
    });
    expect((await rowsOf('deliver:1|')).map((x) => x.status)).toEqual(['sent', 'sent']);
  });

  test('given a wrong DingTalk secret, when sent, then the peer refuses the signature, the row counts a failed attempt without the token in its error, and a corrected secret is used on the next retry', async () => {
    await configureRobots('changhuai-town', { dingSecret: 'SECwrong-secret' });
    const [key] = await robotNotice('badsign:1', 'changhuai-town', ['dingtalk']);
    const r = await sender().deliverKey('badsign:1|');
    expect(r).toMatchObject({ sent: 0, deferred: 1 });
    expect(r.lastError).toMatch(/errcode 310000 sign not match/);
    expect(peer.refusals.at(-1)).toEqual({ channel: 'dingtalk', errcode: 310000 });
    const [row] = await rowsOf('badsign:1|');
    expect(row).toMatchObject({ status: 'pending', attempts: 1, waits: true });
    expect(row!.last_error).not.toContain(ROBOTS['changhuai-town']!.dingToken);
    expect(peer.accepted.get(key!)).toBeUndefined();

    // The sender reads the unit at send time: fixing the secret fixes the pending row.
    await configureRobots('changhuai-town');
    await db.q(`update mail_outbox set not_before = now() where key = ?`, [key]);
    expect(await sender().relayOnce()).toMatchObject({ sent: 1, deferred: 0 });
    expect(peer.accepted.get(key!)).toBe(1);
  });

  test('given a robot paced at 3 messages a minute, when 5 are due, then 3 go now and 2 wait for the minute without counting a failure', async () => {
    const keys: string[] = [];
    for (let i = 0; i < 5; i++) keys.push(...(await robotNotice(`pace:${i}`, 'changhuai-town', ['wecom'])));
    // Rows sent earlier in this minute by other tests count against the robot too: start from none.
    await db.q(`update mail_outbox set sent_at = now() - interval '2 minutes' where key not like 'pace:%'`);
    const r = await sender({ robotsPerMinute: 3 }).relayOnce();
    expect(r).toMatchObject({ sent: 3, deferred: 2 });
    const rows = await rowsOf('pace:');
    expect(rows.map((x) => x.status)).toEqual(['sent', 'sent', 'sent', 'pending', 'pending']);
    expect(rows.slice(3).every((x) => x.attempts === 0 && x.waits)).toBe(true);
    expect(keys.map((k) => peer.accepted.get(k) ?? 0)).toEqual([1, 1, 1, 0, 0]);
    await db.q(
      `update mail_outbox set not_before = now(), sent_at = now() - interval '2 minutes' where key like 'pace:%'`,
    );
    expect(await sender({ robotsPerMinute: 3 }).relayOnce()).toMatchObject({ sent: 2 });
    expect(keys.map((k) => peer.accepted.get(k))).toEqual([1, 1, 1, 1, 1]);
  });

  test('given both robots answer 503 for 30 s and refuse connections for 30 s while notices keep coming, when they recover, then every robot message arrives exactly once, and the emails were not held up meanwhile', async () => {
    const logs: string[] = [];
    const log = {
      info: (o: object, msg?: string) => logs.push(`${JSON.stringify(o)} ${msg ?? ''}`),
      warn: (o: object, msg?: string) => logs.push(`${JSON.stringify(o)} ${msg ?? ''}`),
    };
    const relay = startOutboxRelay(sender({ robotsPerMinute: 20 }), { intervalMs: 200, log });
    const robotKeys: string[] = [];
    const emailKeys: string[] = [];
    const start = Date.now();
    const requestsBefore = peer.requests;
    let emailsDuringOutage = 0;
    try {
      peer.mode = '503';
      let n = 0;
      const produce = async () => {
        for (const unit of Object.keys(ROBOTS))
          robotKeys.push(...(await robotNotice(`outage:${n}`, unit, ['wecom', 'dingtalk'])));
        emailKeys.push(await emailNotice(`outage:${n}`));
        n += 1;
      };
      // 0-30 s: HTTP 503; 30-60 s: nothing listening. A notice every 5 s throughout.
      while (Date.now() - start < 30_000) {
        await produce();
        await new Promise((r) => setTimeout(r, 5_000));
      }
      await peer.down();
      while (Date.now() - start < 60_000) {
        await produce();
        await new Promise((r) => setTimeout(r, 5_000));
      }
      const delivered = new Set(smtp.mails.map((m) => m.messageId));
      emailsDuringOutage = emailKeys.filter((k) =>
        delivered.has(messageIdFor(k.replace(/\|u-tushan$/, ''), 'tushan@district.local')),
      ).length;
      expect(peer.accepted.size).toBeGreaterThan(0); // earlier tests
      expect([...peer.accepted.keys()].filter((k) => k.startsWith('outage:'))).toEqual([]);
      peer.mode = 'up';
      await peer.up();
      // Backoff is capped at one minute, so everything is due again within ~60 s of the recovery.
      await eventually(
        async () => {
          const left = await db.q<{ n: number }[]>(
            `select count(*)::int as n from mail_outbox where key like 'outage:%' and status <> 'sent'`,
          );
          expect(left[0]!.n).toBe(0);
        },
        90_000,
        500,
      );
    } finally {
      await relay.stop();
      peer.mode = 'up';
      if (!(await isListening(peer.port))) await peer.up();
    }
    expect(robotKeys.length).toBeGreaterThanOrEqual(11 * 4);
    const counts = robotKeys.map((k) => peer.accepted.get(k) ?? 0);
    expect({ lost: counts.filter((c) => c === 0).length, twice: counts.filter((c) => c > 1).length }).toEqual(
      {
        lost: 0,
        twice: 0,
      },
    );
    // The robots were tried during the outage (the 503 phase), backing off rather than hammering.
    expect(peer.requests - requestsBefore).toBeGreaterThan(robotKeys.length / 2);
    expect(peer.requests - requestsBefore).toBeLessThan(robotKeys.length * 6);
    // Email went on all along: every email written during the outage was delivered during it.
    expect(emailsDuringOutage).toBeGreaterThanOrEqual(emailKeys.length - 2);
    // No access token, key or secret reached the log or the stored errors.
    const errors = await db.q<{ e: string }[]>(
      `select coalesce(string_agg(last_error, ' '), '') as e from mail_outbox where key like 'outage:%'`,
    );
    expect(errors[0]!.e).toMatch(/HTTP 503|ECONNREFUSED/);
    const secrets = Object.values(ROBOTS).flatMap((r) => [r.wecomKey, r.dingToken, r.dingSecret]);
    for (const s of secrets) {
      expect(logs.join('\n')).not.toContain(s);
      expect(errors[0]!.e).not.toContain(s);
    }
  }, 200_000);
});

function isListening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const req = http.request({ host: '127.0.0.1', port, method: 'HEAD', path: '/' }, (res) => {
      res.resume();
      resolve(true);
    });
    req.on('error', () => resolve(false));
    req.end();
  });
}
