/**
 * Password sign-in and cookie sessions. A session is a random 256-bit secret in an HttpOnly cookie;
 * the database keeps only its SHA-256 (like API tokens). The CSRF token is derived from the secret
 * (HMAC), so the web app can ask for it again after a reload; the database keeps its SHA-256 too.
 *
 * Failed sign-ins back off and lock per account: every attempt is first counted and closes the gate
 * (`locked_until`) for a delay that doubles with each failure (`backoffMs` · 2^(n-1)), and the
 * `maxFailures`-th failure closes it for `lockMs`. A right password resets the count. Counting before
 * the password is checked makes parallel guesses count too. Usernames that match no active user are
 * counted the same way in `sign_in_unknown` and checked against a dummy hash, so neither the answer,
 * its timing nor a lockout tells which usernames exist.
 */
import { createHash, createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { recordAudit } from '../audit';
import type { Config } from '../config';
import { verifyAgainstNothing, verifyPassword, withPasswordSlot } from './passwords';
import type { Principal } from './tokens';

export type SessionPolicy = Config['auth'];

export type SignInOutcome =
  | {
      kind: 'ok';
      principal: Principal;
      /** The cookie value; never stored, never logged. */
      secret: string;
      csrfToken: string;
      expiresAt: Date;
    }
  /** Wrong username or password; the next attempt is accepted from `retryAt`. */
  | { kind: 'wrong'; retryAt: Date }
  /** Too soon after a failure: not checked at all. */
  | { kind: 'backoff'; retryAt: Date }
  /** Locked after too many failures: not checked at all. */
  | { kind: 'locked'; until: Date };

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/** The CSRF token of a session: bound to its secret, so it cannot be guessed from outside. */
export function csrfTokenFor(secret: string): string {
  return createHmac('sha256', secret).update('csrf').digest('base64url');
}

/** True when `token` is the CSRF token whose hash the session stored (constant time). */
export function csrfMatches(token: string | undefined, csrfHash: string): boolean {
  if (!token || token.length > 100) return false;
  const a = Buffer.from(sha256(token), 'hex');
  const b = Buffer.from(csrfHash, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}

export const SESSION_SECRET = /^[A-Za-z0-9_-]{43}$/;

/** "Chrome on Windows": enough to recognise one's own sessions, no version or device fingerprint. */
export function userAgentSummary(ua: string | undefined): string | null {
  if (!ua) return null;
  const browser = /Edg\//.test(ua)
    ? 'Edge'
    : /Firefox\//.test(ua)
      ? 'Firefox'
      : /Chrom(e|ium)\//.test(ua)
        ? 'Chrome'
        : /Safari\//.test(ua)
          ? 'Safari'
          : /curl\//.test(ua)
            ? 'curl'
            : 'other';
  const os = /Windows/.test(ua)
    ? 'Windows'
    : /Android/.test(ua)
      ? 'Android'
      : /iPhone|iPad|iOS/.test(ua)
        ? 'iOS'
        : /Mac OS X|Macintosh/.test(ua)
          ? 'macOS'
          : /Linux/.test(ua)
            ? 'Linux'
            : 'other';
  return `${browser} on ${os}`;
}

type Subject = { table: 'users'; key: string } | { table: 'sign_in_unknown'; key: string };
const KEY_COLUMN = { users: 'id', sign_in_unknown: 'name_hash' } as const;

/**
 * Counts one attempt and closes the gate, atomically; undefined when the gate is closed (the attempt
 * is refused unchecked). Concurrent attempts on one account serialize on its row.
 */
async function countAttempt(
  em: EntityManager,
  s: Subject,
  p: SessionPolicy,
): Promise<{ n: number; gateUntil: Date } | undefined> {
  const conn = em.getConnection();
  if (s.table === 'sign_in_unknown') {
    // Names nobody has tried for a while are forgotten (the table only ever holds recent guesses).
    await conn.execute(
      `delete from sign_in_unknown where locked_until < now() - (? * interval '1 millisecond')`,
      [p.lockMs + 3_600_000],
    );
    await conn.execute(
      `insert into sign_in_unknown (name_hash, failed_sign_ins, locked_until) values (?, 0, now()) on conflict (name_hash) do nothing`,
      [s.key],
    );
  }
  const col = KEY_COLUMN[s.table];
  // The count starts over once a lock has run out or after a quiet `lockMs` since the last gate.
  const rows = await conn.execute<{ n: number; gate_until: Date }[]>(
    `with s as (
       select ${col} as k,
              case when failed_sign_ins >= ? or locked_until is null
                        or locked_until < now() - (? * interval '1 millisecond')
                   then 1 else failed_sign_ins + 1 end as n
         from ${s.table} where ${col} = ? and (locked_until is null or locked_until <= now()) for update)
     update ${s.table} t set failed_sign_ins = s.n,
            locked_until = now() + (case when s.n >= ? then ?::double precision
                                         else least(?::double precision, ? * power(2, s.n - 1)) end) * interval '1 millisecond'
       from s where t.${col} = s.k
     returning s.n as n, t.locked_until as gate_until`,
    [p.maxFailures, p.lockMs, s.key, p.maxFailures, p.lockMs, p.lockMs, p.backoffMs],
  );
  const r = rows[0];
  return r ? { n: Number(r.n), gateUntil: new Date(r.gate_until) } : undefined;
}

async function closedGate(em: EntityManager, s: Subject, p: SessionPolicy): Promise<SignInOutcome> {
  const [r] = await em
    .getConnection()
    .execute<{ failed_sign_ins: number; locked_until: Date | null }[]>(
      `select failed_sign_ins, locked_until from ${s.table} where ${KEY_COLUMN[s.table]} = ?`,
      [s.key],
    );
  const until = r?.locked_until ? new Date(r.locked_until) : new Date();
  return (r?.failed_sign_ins ?? 0) >= p.maxFailures
    ? { kind: 'locked', until }
    : { kind: 'backoff', retryAt: until };
}

interface UserRow {
  id: string;
  name: string;
  role: Principal['role'];
  unit_id: string | null;
  locale: Principal['locale'];
  password_hash: string | null;
}

/**
 * Checks a username (user id or email, any case) and password. On success starts a session. Every
 * outcome is audited except an attempt refused unchecked (those are bounded by the gate itself).
 */
export async function signIn(
  em: EntityManager,
  input: { username: string; password: string; userAgent?: string; requestId?: string },
  p: SessionPolicy,
): Promise<SignInOutcome> {
  const conn = em.getConnection();
  const name = input.username.normalize('NFKC').trim().toLowerCase();
  const [user] = await conn.execute<UserRow[]>(
    `select id, name, role, unit_id, locale, password_hash from users
      where active and (id = ? or lower(email) = ?) order by (id = ?) desc limit 1`,
    [name, name, name],
  );
  // What was typed is kept only as a hash: people sometimes type a password into the username field.
  const subject: Subject = user
    ? { table: 'users', key: user.id }
    : { table: 'sign_in_unknown', key: sha256(`sign-in:${name}`) };
  const counted = await countAttempt(em, subject, p);
  if (!counted) return closedGate(em, subject, p);

  // A check that cannot start (PasswordChecksBusy, 503) stays counted: a flood must not buy free guesses.
  const hash = user?.password_hash;
  const ok = await withPasswordSlot(() =>
    hash ? verifyPassword(input.password, hash) : verifyAgainstNothing(input.password),
  );
  const actor = user
    ? { actorId: user.id, role: user.role, unitId: user.unit_id }
    : { actorId: null, role: null, unitId: null };

  if (!ok || !user) {
    const locked = counted.n >= p.maxFailures;
    await recordAudit(em, {
      ...actor,
      action: 'auth.sign_in_failed',
      target: user ? `user:${user.id}` : null,
      requestId: input.requestId,
      details: { reason: user ? 'wrong_password' : 'unknown_user', failures: counted.n },
    });
    if (locked) {
      await recordAudit(em, {
        ...actor,
        action: 'auth.locked',
        target: user ? `user:${user.id}` : null,
        requestId: input.requestId,
        details: { until: counted.gateUntil.toISOString(), failures: counted.n },
      });
      return { kind: 'locked', until: counted.gateUntil };
    }
    return { kind: 'wrong', retryAt: counted.gateUntil };
  }

  await conn.execute(`update users set failed_sign_ins = 0, locked_until = null where id = ?`, [user.id]);
  // Sessions past their absolute expiry are removed as people sign in (the table stays small).
  await conn.execute(`delete from sessions where expires_at < now()`);
  const secret = randomBytes(32).toString('base64url');
  const csrfToken = csrfTokenFor(secret);
  const sessionId = randomUUID();
  const [row] = await conn.execute<{ expires_at: Date }[]>(
    `insert into sessions (id, secret_hash, user_id, expires_at, csrf_hash, user_agent)
     values (?, ?, ?, now() + (? * interval '1 millisecond'), ?, ?) returning expires_at`,
    [
      sessionId,
      sha256(secret),
      user.id,
      p.sessionAbsoluteMs,
      sha256(csrfToken),
      userAgentSummary(input.userAgent),
    ],
  );
  await recordAudit(em, {
    ...actor,
    action: 'auth.sign_in',
    target: `user:${user.id}`,
    requestId: input.requestId,
    details: { session: sessionId, userAgent: userAgentSummary(input.userAgent) },
  });
  return {
    kind: 'ok',
    principal: {
      userId: user.id,
      name: user.name,
      role: user.role,
      unitId: user.unit_id,
      locale: user.locale,
      tokenId: `session:${sessionId}`,
      sessionId,
    },
    secret,
    csrfToken,
    expiresAt: new Date(row!.expires_at),
  };
}

export interface SessionAuth {
  principal: Principal;
  sessionId: string;
  csrfHash: string;
  csrfToken: string;
}

/**
 * The session of a cookie value: undefined when unknown, signed out, idle longer than
 * `sessionIdleMs`, past its absolute expiry, or its user is deactivated. Marks it seen (at most
 * about once a minute, so a busy page does not write on every request).
 */
export async function authenticateSession(
  em: EntityManager,
  secret: string,
  p: SessionPolicy,
): Promise<SessionAuth | undefined> {
  if (!SESSION_SECRET.test(secret)) return undefined;
  const conn = em.getConnection();
  const [r] = await conn.execute<
    {
      id: string;
      csrf_hash: string;
      stale: boolean;
      user_id: string;
      name: string;
      role: Principal['role'];
      unit_id: string | null;
      locale: Principal['locale'];
    }[]
  >(
    `select s.id, s.csrf_hash, s.last_seen_at < now() - (? * interval '1 millisecond') as stale,
            u.id as user_id, u.name, u.role, u.unit_id, u.locale
       from sessions s join users u on u.id = s.user_id
      where s.secret_hash = ? and u.active and s.expires_at > now()
        and s.last_seen_at > now() - (? * interval '1 millisecond')`,
    [Math.min(60_000, p.sessionIdleMs / 30), sha256(secret), p.sessionIdleMs],
  );
  if (!r) return undefined;
  if (r.stale) await conn.execute('update sessions set last_seen_at = now() where id = ?', [r.id]);
  return {
    principal: {
      userId: r.user_id,
      name: r.name,
      role: r.role,
      unitId: r.unit_id,
      locale: r.locale,
      tokenId: `session:${r.id}`,
      sessionId: r.id,
    },
    sessionId: r.id,
    csrfHash: r.csrf_hash,
    csrfToken: csrfTokenFor(secret),
  };
}

/** Ends a session (sign-out); audited. False when it was already gone. */
export async function endSession(
  em: EntityManager,
  principal: Principal,
  sessionId: string,
  requestId?: string,
): Promise<boolean> {
  const rows = await em
    .getConnection()
    .execute<{ id: string }[]>('delete from sessions where id = ? returning id', [sessionId]);
  if (!rows[0]) return false;
  await recordAudit(em, {
    actorId: principal.userId,
    role: principal.role,
    unitId: principal.unitId,
    action: 'auth.sign_out',
    target: `user:${principal.userId}`,
    requestId,
    details: { session: sessionId },
  });
  return true;
}

/** Forgets a session by its cookie value without auditing (a new sign-in replaces the old cookie). */
export async function dropSessionBySecret(em: EntityManager, secret: string): Promise<void> {
  if (!SESSION_SECRET.test(secret)) return;
  await em.getConnection().execute('delete from sessions where secret_hash = ?', [sha256(secret)]);
}
