/**
 * Passwords for people: scrypt (node:crypto) with OWASP's minimum parameters N=2^17, r=8, p=1
 * (128 MiB, about 0.4 s on one core), a 16-byte random salt per password and a 32-byte key, compared
 * in constant time. Stored as `$scrypt$ln=17,r=8,p=1$<salt>$<key>` (base64, no padding), so the
 * parameters can be raised later without invalidating stored hashes.
 */
import { randomBytes, randomInt, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { z } from 'zod';

const PARAMS = { ln: 17, r: 8, p: 1 } as const;
const KEY_LENGTH = 32;
const SALT_LENGTH = 16;

/** Length limits: 12 characters at least (NIST 800-63B for a single factor: 8; we ask more), 256 at most. */
export const PASSWORD_MIN = 12;
export const PASSWORD_MAX = 256;

export const passwordSchema = z
  .string()
  .min(PASSWORD_MIN, `must be at least ${PASSWORD_MIN} characters`)
  .max(PASSWORD_MAX, `must be at most ${PASSWORD_MAX} characters`)
  .regex(/^[^\u0000-\u001f\u007f]*$/, 'must not contain control characters');

function derive(password: string, salt: Buffer, ln: number, r: number, p: number): Promise<Buffer> {
  const N = 2 ** ln;
  // scrypt needs 128·N·r bytes; Node refuses above `maxmem` (default 32 MiB).
  const opts: ScryptOptions = { N, r, p, maxmem: 128 * N * r + 16 * 1024 * 1024 };
  return new Promise((resolve, reject) =>
    // NFKC: the same password typed on another keyboard or IME (full-width digits) still matches.
    scrypt(password.normalize('NFKC'), salt, KEY_LENGTH, opts, (err, key) =>
      err ? reject(err) : resolve(key),
    ),
  );
}

const b64 = (b: Buffer) => b.toString('base64').replace(/=+$/, '');

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(SALT_LENGTH);
  const key = await derive(password, salt, PARAMS.ln, PARAMS.r, PARAMS.p);
  return `$scrypt$ln=${PARAMS.ln},r=${PARAMS.r},p=${PARAMS.p}$${b64(salt)}$${b64(key)}`;
}

const STORED = /^\$scrypt\$ln=(\d{1,2}),r=(\d{1,2}),p=(\d{1,2})\$([A-Za-z0-9+/]+)\$([A-Za-z0-9+/]+)$/;

/** True when `password` matches the stored hash; false for a wrong password or an unreadable hash. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const m = STORED.exec(stored);
  if (!m) return false;
  const [ln, r, p] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (ln < 10 || ln > 22 || r < 1 || p < 1) return false;
  const expected = Buffer.from(m[5]!, 'base64');
  const key = await derive(password, Buffer.from(m[4]!, 'base64'), ln, r, p);
  return key.length === expected.length && timingSafeEqual(key, expected);
}

/** Thrown when too many password checks are already waiting (the API answers 503 with Retry-After). */
export class PasswordChecksBusy extends Error {}

// Each check holds 128 MiB and a core for a moment: at most 2 at once, 64 waiting, so a flood of
// sign-ins can neither exhaust memory nor starve the rest of the API.
const MAX_RUNNING = 2;
const MAX_WAITING = 64;
let running = 0;
const waiting: (() => void)[] = [];

/** Runs `fn` (which checks a password) in one of the few password-check slots. */
export async function withPasswordSlot<T>(fn: () => Promise<T>): Promise<T> {
  if (running >= MAX_RUNNING) {
    if (waiting.length >= MAX_WAITING) throw new PasswordChecksBusy('too many sign-ins at once');
    await new Promise<void>((resolve) => waiting.push(resolve));
  } else running += 1;
  try {
    return await fn();
  } finally {
    const next = waiting.shift();
    if (next) next();
    else running -= 1;
  }
}

let dummy: Promise<string> | undefined;

/**
 * Spends the same work as checking a real password, for a username that does not exist (or has no
 * password): the answer and its timing must not tell which usernames exist. Always false.
 */
export async function verifyAgainstNothing(password: string): Promise<false> {
  dummy ??= hashPassword(randomBytes(16).toString('hex'));
  await verifyPassword(password, await dummy);
  return false;
}

/** 20 characters from an alphabet without look-alikes (0/O, 1/l/I), in groups of 5: about 112 bits. */
export function generatePassword(): string {
  const alphabet = 'abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  const chars = Array.from({ length: 20 }, () => alphabet[randomInt(alphabet.length)]);
  return [0, 5, 10, 15].map((i) => chars.slice(i, i + 5).join('')).join('-');
}

/**
 * Sets a user's password (checked against the policy first) and signs that user out everywhere:
 * a changed password ends every existing session. Clears a lockout. False if there is no such user.
 */
export async function setPassword(em: EntityManager, userId: string, password: string): Promise<boolean> {
  passwordSchema.parse(password);
  const hash = await hashPassword(password);
  const conn = em.getConnection();
  const rows = await conn.execute<{ id: string }[]>(
    `update users set password_hash = ?, password_changed_at = now(), failed_sign_ins = 0, locked_until = null
      where id = ? returning id`,
    [hash, userId],
  );
  if (!rows[0]) return false;
  await conn.execute('delete from sessions where user_id = ?', [userId]);
  return true;
}
