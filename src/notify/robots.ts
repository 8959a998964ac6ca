/**
 * Group robots, a unit's second channel (issue 12): WeCom (企业微信) and DingTalk (钉钉) custom robots.
 * Robot messages travel through `mail_outbox` like emails (src/mail/outbox.ts): one row per notice, unit
 * and channel under a unique key, `channel` = 'wecom' | 'dingtalk', `to_addr` = the unit id. The sender
 * looks the unit's webhook (and DingTalk secret) up when it sends, so a corrected URL takes effect on the
 * next retry and no secret is ever copied into the outbox.
 * `notify` (activities/notify.ts) writes the rows; whoever builds the outbox sender passes the reporter
 * key as `secretKey` (workers/worker.ts does), or DingTalk rows wait with "no key to open the signing
 * secret" until one that has it sends them.
 *
 * Webhook URLs carry access tokens (WeCom `key=`, DingTalk `access_token=`): they are never logged, never
 * put in an error message, and the API shows them redacted (`redactWebhookUrl`).
 *
 * Formats:
 * - WeCom group robot, https://developer.work.weixin.qq.com/document/path/91770 : POST JSON
 *   `{"msgtype":"markdown","markdown":{"content":…}}` (content at most 4096 bytes UTF-8); the answer is
 *   `{"errcode":0,"errmsg":"ok"}` on success.
 * - DingTalk custom robot with 加签 signing, https://open.dingtalk.com/document/robots/customize-robot-security-settings :
 *   `timestamp` = ms since the epoch (accepted within one hour of DingTalk's clock), string to sign
 *   `${timestamp}\n${secret}`, `sign` = URL-encoded base64(HmacSHA256(key = secret, message = that
 *   string)), both appended to the webhook as `&timestamp=…&sign=…`. Body
 *   `{"msgtype":"markdown","markdown":{"title":…,"text":…}}`; success is `errcode` 0.
 * Both robots accept at most 20 messages a minute each (DingTalk then blocks the robot for 10 minutes),
 * so the outbox paces each robot (`ROBOT_MESSAGES_PER_MINUTE`).
 */
import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Orm } from '../db/orm';

export const ROBOT_CHANNELS = ['wecom', 'dingtalk'] as const;
export type RobotChannel = (typeof ROBOT_CHANNELS)[number];
export type OutboxChannel = 'email' | RobotChannel;

/** Both robot APIs: 20 messages a minute per robot. */
export const ROBOT_MESSAGES_PER_MINUTE = 20;
/** Connect + answer, per call; a robot that does not answer in time is retried like one that refused. */
export const ROBOT_TIMEOUT_MS = 10_000;
/** WeCom refuses markdown content over 4096 bytes; DingTalk's limit is larger, 20000 bytes keeps well under it. */
const MAX_BYTES: Record<RobotChannel, number> = { wecom: 4096, dingtalk: 20_000 };

export const isRobotChannel = (c: string): c is RobotChannel =>
  (ROBOT_CHANNELS as readonly string[]).includes(c);

/** The robot-related columns of a unit, as the entity (camelCase) or as a raw `units` row (snake_case). */
export interface UnitRobots {
  wecomWebhookUrl?: string | null;
  dingtalkWebhookUrl?: string | null;
  dingtalkSecret?: string | null;
  wecom_webhook_url?: string | null;
  dingtalk_webhook_url?: string | null;
  dingtalk_secret?: string | null;
}

/**
 * The robot channels a unit can be reached on: WeCom when it has a webhook, DingTalk when it has a
 * webhook and a signing secret (this system signs every DingTalk request).
 */
export function robotChannelsOf(u: UnitRobots): RobotChannel[] {
  const out: RobotChannel[] = [];
  if (u.wecomWebhookUrl ?? u.wecom_webhook_url) out.push('wecom');
  if ((u.dingtalkWebhookUrl ?? u.dingtalk_webhook_url) && (u.dingtalkSecret ?? u.dingtalk_secret))
    out.push('dingtalk');
  return out;
}

/** The outbox key of one notice's robot message to one unit: `<notice key>|unit:<unitId>|<channel>`. */
export const robotOutboxKey = (noticeKey: string, unitId: string, channel: RobotChannel): string =>
  `${noticeKey}|unit:${unitId}|${channel}`;

/**
 * The `mail_outbox` values of a robot message (insert with `on conflict (key) do nothing`): `subject` is
 * the title (DingTalk shows it in the notification), `body` the markdown sent as is (WeCom shows only
 * the body, so it should open with the title). `message_id` is required by the table; unused by robots.
 */
export function robotOutboxRow(
  noticeKey: string,
  unitId: string,
  channel: RobotChannel,
  title: string,
  markdown: string,
): {
  key: string;
  to_addr: string;
  subject: string;
  body: string;
  message_id: string;
  channel: RobotChannel;
} {
  const key = robotOutboxKey(noticeKey, unitId, channel);
  return {
    key,
    to_addr: unitId,
    subject: title.slice(0, 500),
    body: markdown,
    message_id: `robot:${key}`.slice(0, 255),
    channel,
  };
}

// --- webhook URLs --------------------------------------------------------------------------------

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** https, or plain http to this machine only (local test peers); no credentials in the authority. */
export function webhookUrlProblem(raw: string): string | undefined {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    return 'must be an absolute URL';
  }
  if (u.username || u.password) return 'must not carry a user name or password';
  if (u.protocol === 'https:') return undefined;
  if (u.protocol === 'http:' && LOOPBACK.has(u.hostname)) return undefined;
  return 'must be an https URL (plain http only to 127.0.0.1 or localhost)';
}

/** The URL with every query value masked: it shows which robot, not the access token. */
export function redactWebhookUrl(raw: string | null | undefined): string | null {
  if (!raw) return null;
  try {
    const u = new URL(raw);
    const q = [...u.searchParams.keys()].map((k) => `${encodeURIComponent(k)}=***`).join('&');
    return `${u.origin}${u.pathname}${q ? `?${q}` : ''}`;
  } catch {
    return '***';
  }
}

// --- the DingTalk secret at rest --------------------------------------------------------------------

/**
 * AES-256-GCM under the reporter key (REPORTER_KEY, or the embedded default's generated key), the same
 * mechanism as reporter identity (src/auth/reporter.ts). The unit id is bound as associated data, so a
 * ciphertext copied onto another unit does not open.
 */
export function encryptRobotSecret(keyHex: string, unitId: string, secret: string): string {
  const iv = randomBytes(12);
  const c = createCipheriv('aes-256-gcm', Buffer.from(keyHex, 'hex'), iv);
  c.setAAD(Buffer.from(`units.dingtalk_secret:${unitId}`, 'utf8'));
  const enc = Buffer.concat([c.update(secret, 'utf8'), c.final()]);
  return ['v1', iv.toString('base64'), c.getAuthTag().toString('base64'), enc.toString('base64')].join('.');
}

export function decryptRobotSecret(keyHex: string, unitId: string, blob: string): string {
  const [v, iv, tag, enc] = blob.split('.');
  if (v !== 'v1' || !iv || !tag || !enc) throw new Error('unknown robot secret ciphertext format');
  const d = createDecipheriv('aes-256-gcm', Buffer.from(keyHex, 'hex'), Buffer.from(iv, 'base64'));
  d.setAAD(Buffer.from(`units.dingtalk_secret:${unitId}`, 'utf8'));
  d.setAuthTag(Buffer.from(tag, 'base64'));
  return Buffer.concat([d.update(Buffer.from(enc, 'base64')), d.final()]).toString('utf8');
}

// --- requests -----------------------------------------------------------------------------------------

/** DingTalk's signature of `timestamp` (ms): base64(HmacSHA256(secret, `${timestamp}\n${secret}`)). */
export function dingtalkSign(secret: string, timestamp: number): string {
  return createHmac('sha256', secret).update(`${timestamp}\n${secret}`, 'utf8').digest('base64');
}

/** The webhook with `timestamp` and the URL-encoded `sign` appended, as DingTalk requires. */
export function dingtalkSignedUrl(webhookUrl: string, secret: string, timestamp: number): string {
  const sep = webhookUrl.includes('?') ? '&' : '?';
  return `${webhookUrl}${sep}timestamp=${timestamp}&sign=${encodeURIComponent(dingtalkSign(secret, timestamp))}`;
}

/** Cuts `s` to at most `max` UTF-8 bytes on a character boundary. */
export function truncateUtf8(s: string, max: number): string {
  if (Buffer.byteLength(s, 'utf8') <= max) return s;
  const marker = '…';
  let out = '';
  let bytes = Buffer.byteLength(marker, 'utf8');
  for (const ch of s) {
    const b = Buffer.byteLength(ch, 'utf8');
    if (bytes + b > max) break;
    out += ch;
    bytes += b;
  }
  return out + marker;
}

export function wecomBody(markdown: string): string {
  return JSON.stringify({
    msgtype: 'markdown',
    markdown: { content: truncateUtf8(markdown, MAX_BYTES.wecom) },
  });
}

export function dingtalkBody(title: string, markdown: string): string {
  return JSON.stringify({
    msgtype: 'markdown',
    markdown: { title: truncateUtf8(title, 200), text: truncateUtf8(markdown, MAX_BYTES.dingtalk) },
  });
}

/** A send that did not succeed; its message never contains the webhook URL or the secret. */
export class RobotSendError extends Error {
  override name = 'RobotSendError';
}

export interface RobotMessage {
  channel: RobotChannel;
  /** The unit id (`mail_outbox.to_addr`). */
  unitId: string;
  title: string;
  markdown: string;
}

export interface RobotSender {
  /** Resolves once the robot answered errcode 0; throws RobotSendError otherwise (to be retried). */
  send(m: RobotMessage): Promise<void>;
}

export function createRobotSender(deps: {
  orm: Orm;
  /** The key the DingTalk secrets are encrypted with (the reporter key); without it DingTalk rows wait. */
  secretKey?: string;
  timeoutMs?: number;
  now?: () => number;
}): RobotSender {
  const timeoutMs = deps.timeoutMs ?? ROBOT_TIMEOUT_MS;
  const now = deps.now ?? Date.now;
  return {
    async send(m) {
      const [unit] = await (deps.orm.em.fork() as EntityManager).getConnection().execute<
        {
          wecom_webhook_url: string | null;
          dingtalk_webhook_url: string | null;
          dingtalk_secret: string | null;
        }[]
      >('select wecom_webhook_url, dingtalk_webhook_url, dingtalk_secret from units where id = ?', [m.unitId]);
      if (!unit) throw new RobotSendError(`${m.channel}: unit ${m.unitId} does not exist`);
      let url: string;
      let body: string;
      if (m.channel === 'wecom') {
        if (!unit.wecom_webhook_url) throw new RobotSendError(`wecom: unit ${m.unitId} has no webhook`);
        url = unit.wecom_webhook_url;
        body = wecomBody(m.markdown);
      } else {
        if (!unit.dingtalk_webhook_url || !unit.dingtalk_secret)
          throw new RobotSendError(`dingtalk: unit ${m.unitId} has no webhook and signing secret`);
        if (!deps.secretKey) throw new RobotSendError('dingtalk: no key to open the signing secret');
        let secret: string;
        try {
          secret = decryptRobotSecret(deps.secretKey, m.unitId, unit.dingtalk_secret);
        } catch {
          throw new RobotSendError(`dingtalk: the signing secret of unit ${m.unitId} does not decrypt`);
        }
        url = dingtalkSignedUrl(unit.dingtalk_webhook_url, secret, now());
        body = dingtalkBody(m.title, m.markdown);
      }
      await post(m.channel, url, body, timeoutMs);
    },
  };
}

async function post(channel: RobotChannel, url: string, body: string, timeoutMs: number): Promise<void> {
  let res: Response;
  let text: string;
  try {
    res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body,
      redirect: 'error',
      signal: AbortSignal.timeout(timeoutMs),
    });
    text = await res.text();
  } catch (err) {
    // Name the cause (ECONNREFUSED, TimeoutError…), never the URL: it carries the access token.
    const e = err as Error & { cause?: { code?: string } };
    throw new RobotSendError(`${channel}: ${e.cause?.code ?? e.name}`);
  }
  if (res.status !== 200) throw new RobotSendError(`${channel}: HTTP ${res.status}`);
  let answer: { errcode?: unknown; errmsg?: unknown };
  try {
    answer = JSON.parse(text) as { errcode?: unknown; errmsg?: unknown };
  } catch {
    throw new RobotSendError(`${channel}: the answer is not JSON`);
  }
  if (answer.errcode !== 0)
    throw new RobotSendError(
      `${channel}: errcode ${String(answer.errcode)} ${String(answer.errmsg ?? '').slice(0, 200)}`.trim(),
    );
}
