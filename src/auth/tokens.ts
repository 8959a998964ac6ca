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

export async function issueToken(em: EntityManager, userId: string, label: string, expiresAt?: Date): Promise<{ id: string; token: string }> {
  const token = newTokenSecret();
  const id = randomUUID();
  await em
    .getConnection()
    .execute(`insert into api_tokens (id, user_id, token_hash, prefix, label, expires_at) values (?,?,?,?,?,?)`, [
      id,
      userId,
      hashToken(token),
      token.slice(0, 10),
      label,
      expiresAt ?? null,
    ]);
  return { id, token };
}

export interface Principal {
  userId: string;
  name: string;
  role: 'coordinator' | 'unit_officer' | 'leader' | 'police_liaison' | 'admin';
  unitId: string | null;
  locale: 'zh-CN' | 'en';
  tokenId: string;
}

/** Looks a bearer token up; undefined for unknown, expired, revoked tokens or inactive users. */
export async function authenticate(em: EntityManager, token: string): Promise<Principal | undefined> {
  if (!token.startsWith(TOKEN_PREFIX) || token.length > 100) return undefined;
  const rows = await em.getConnection().execute<
    { token_id: string; user_id: string; name: string; role: Principal['role']; unit_id: string | null; locale: Principal['locale'] }[]
  >(
    `select t.id as token_id, u.id as user_id, u.name, u.role, u.unit_id, u.locale
       from api_tokens t join users u on u.id = t.user_id
      where t.token_hash = ? and t.revoked_at is null and (t.expires_at is null or t.expires_at > now()) and u.active`,
    [hashToken(token)],
  );
  const r = rows[0];
  if (!r) return undefined;
  return { userId: r.user_id, name: r.name, role: r.role, unitId: r.unit_id, locale: r.locale, tokenId: r.token_id };
}
