/** API tokens: random, shown once, stored as SHA-256 hashes (a token is high-entropy, so a fast hash is enough). */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';

export const TOKEN_PREFIX = 'dso_';

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function newTokenSecret(): string {
  return TOKEN_PREFIX + randomBytes(32).toString('base64url');
}

export async function issueToken(
  em: EntityManager,
  userId: string,
  label: string,
  expiresAt?: Date,
): Promise<{ id: string; token: string }> {
  const token = newTokenSecret();
  const id = randomUUID();
  await em
    .getConnection()
    .execute(
      `insert into api_tokens (id, user_id, token_hash, prefix, label, expires_at) values (?,?,?,?,?,?)`,
      [id, userId, hashToken(token), token.slice(0, 10), label, expiresAt ?? null],
    );
  return { id, token };
}

export interface Principal {
  userId: string;
  name: string;
  role: 'coordinator' | 'unit_officer' | 'leader' | 'police_liaison' | 'admin';
  unitId: string | null;
  locale: 'zh-CN' | 'en';
  /** The credential: an API token's id, or `session:<id>` for a signed-in person (rate limits key on it). */
  tokenId: string;
  /** Set when the caller is a signed-in person (cookie session) rather than a bearer token. */
  sessionId?: string;
}

/** Token id → when this process last wrote its `last_used_at`. */
const lastUseWritten = new Map<string, number>();

/** Looks a bearer token up; undefined for unknown, expired, revoked tokens or inactive users. */
export async function authenticate(em: EntityManager, token: string): Promise<Principal | undefined> {
  if (!token.startsWith(TOKEN_PREFIX) || token.length > 100) return undefined;
  const rows = await em.getConnection().execute<
    {
      token_id: string;
      user_id: string;
      name: string;
      role: Principal['role'];
      unit_id: string | null;
      locale: Principal['locale'];
    }[]
  >(
    `select t.id as token_id, u.id as user_id, u.name, u.role, u.unit_id, u.locale
       from api_tokens t join users u on u.id = t.user_id
      where t.token_hash = ? and t.revoked_at is null and (t.expires_at is null or t.expires_at > now()) and u.active`,
    [hashToken(token)],
  );
  const r = rows[0];
  if (!r) return undefined;
  // Last use, at most once a minute per token (for `admin tokens list`); never blocks the request,
  // and this process does not even ask the database within the minute (one statement less per request).
  const now = Date.now();
  if ((lastUseWritten.get(r.token_id) ?? 0) < now - 60_000) {
    if (lastUseWritten.size >= 10_000) lastUseWritten.clear();
    lastUseWritten.set(r.token_id, now);
    void em
      .getConnection()
      .execute(
        `update api_tokens set last_used_at = now() where id = ? and (last_used_at is null or last_used_at < now() - interval '1 minute')`,
        [r.token_id],
      )
      .catch(() => undefined);
  }
  return {
    userId: r.user_id,
    name: r.name,
    role: r.role,
    unitId: r.unit_id,
    locale: r.locale,
    tokenId: r.token_id,
  };
}

export interface TokenRow {
  id: string;
  userId: string;
  prefix: string;
  label: string;
  createdAt: Date;
  expiresAt: Date | null;
  revokedAt: Date | null;
  lastUsedAt: Date | null;
}

/** Token metadata (never the hash, never the secret). */
export async function listTokens(em: EntityManager, userId?: string): Promise<TokenRow[]> {
  const rows = await em.getConnection().execute<
    {
      id: string;
      user_id: string;
      prefix: string;
      label: string;
      created_at: Date;
      expires_at: Date | null;
      revoked_at: Date | null;
      last_used_at: Date | null;
    }[]
  >(
    `select id, user_id, prefix, label, created_at, expires_at, revoked_at, last_used_at from api_tokens
      where (?::text is null or user_id = ?) order by created_at, id`,
    [userId ?? null, userId ?? null],
  );
  return rows.map((r) => ({
    id: r.id,
    userId: r.user_id,
    prefix: r.prefix,
    label: r.label,
    createdAt: r.created_at,
    expiresAt: r.expires_at,
    revokedAt: r.revoked_at,
    lastUsedAt: r.last_used_at,
  }));
}

/** Revokes a token at once (the next request with it is 401). False if there is no such live token. */
export async function revokeToken(em: EntityManager, tokenId: string): Promise<boolean> {
  const rows = await em
    .getConnection()
    .execute<{ id: string }[]>(
      `update api_tokens set revoked_at = now() where id = ? and revoked_at is null returning id`,
      [tokenId],
    );
  return rows.length > 0;
}
