/**
 * Mail behind a small interface: SMTP (nodemailer) when SMTP_URL is set, otherwise a local
 * outbox folder of .eml files a person can open. Message-IDs are derived from the business key,
 * so a receiving server (or a person) can tell a resend from a new message.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import nodemailer from 'nodemailer';

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  messageId: string;
}

export interface Mailer {
  send(msg: MailMessage): Promise<void>;
  verify(): Promise<void>;
  close(): void;
}

/** SMTP sessions kept open per process: the outbox relay's lanes (RELAY_CONNECTIONS). */
const POOL_CONNECTIONS = 8;

export function createSmtpMailer(smtpUrl: string, from: string): Mailer {
  const u = new URL(smtpUrl);
  const secure = u.protocol === 'smtps:';
  const transport = nodemailer.createTransport({
    // Sessions are kept and reused (a deadline wave is thousands of messages: one TCP + EHLO each
    // before). A session that drops mid-message fails that send to the outbox, which retries it,
    // instead of the pool resending it on its own.
    pool: true,
    maxConnections: POOL_CONNECTIONS,
    maxRequeues: 0,
    host: u.hostname,
    port: u.port ? Number(u.port) : secure ? 465 : 587,
    secure,
    auth: u.username
      ? { user: decodeURIComponent(u.username), pass: decodeURIComponent(u.password) }
      : undefined,
    // A local catcher on loopback often offers no TLS; only upgrade when the server offers it.
    ignoreTLS: u.searchParams.get('ignoreTLS') === 'true',
    // Bounded so a hung server fails the activity attempt (which Temporal retries) instead of hanging it.
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 20_000,
  });
  return {
    async send(msg) {
      await transport.sendMail({
        from,
        to: msg.to,
        subject: msg.subject,
        text: msg.text,
        messageId: msg.messageId,
      });
    },
    async verify() {
      await transport.verify();
    },
    close() {
      transport.close();
    },
  };
}

/** The embedded default: each message becomes one .eml file; same Message-ID overwrites, never duplicates. */
export function createOutboxMailer(dir: string, from: string): Mailer {
  const abs = path.resolve(dir);
  return {
    async send(msg) {
      await fs.promises.mkdir(abs, { recursive: true });
      const safe = msg.messageId.replace(/[^A-Za-z0-9._-]/g, '_');
      const body = [
        `From: ${from}`,
        `To: ${msg.to}`,
        `Subject: ${msg.subject}`,
        `Message-ID: ${msg.messageId}`,
        `Date: ${new Date().toUTCString()}`,
        'Content-Type: text/plain; charset=utf-8',
        '',
        msg.text,
        '',
      ].join('\r\n');
      // Written aside, then renamed: whoever watches the folder never opens a half-written .eml.
      const tmp = path.join(abs, `.${safe}.${process.pid}.tmp`);
      await fs.promises.writeFile(tmp, body, 'utf8');
      await fs.promises.rename(tmp, path.join(abs, `${safe}.eml`));
    },
    async verify() {
      await fs.promises.mkdir(abs, { recursive: true });
    },
    close() {},
  };
}

export function createMailer(cfg: { smtpUrl: string | undefined; from: string; outboxDir: string }): Mailer {
  return cfg.smtpUrl ? createSmtpMailer(cfg.smtpUrl, cfg.from) : createOutboxMailer(cfg.outboxDir, cfg.from);
}

/** Deterministic Message-ID from a business key. */
export function messageIdFor(key: string, to: string): string {
  const slug = key.replace(/[^A-Za-z0-9.-]/g, '-').slice(0, 120);
  const h = createHash('sha256').update(`${key}\n${to}`).digest('hex').slice(0, 16);
  return `<${slug}.${h}@disposal.local>`;
}
