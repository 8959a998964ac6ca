/**
 * Administration of units, users and API tokens (used by `npm run admin`). Every function checks its
 * input and throws AdminInputError with a message a person can act on; nothing here prints secrets.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { z } from 'zod';
import { LOCALES, ROLES, UNIT_KINDS, type Role } from '../domain/enums';
import { CLI_ACTOR, recordAudit, type AuditEvent } from '../audit';
import { generatePassword, passwordSchema, setPassword } from './passwords';
import { issueToken, listTokens, revokeToken, type TokenRow } from './tokens';

/**
 * What an admin asked for cannot be done. `kind` and `path` let the API answer it properly (422 with
 * the field, 404, 409); the command line prints the message.
 */
export class AdminInputError extends Error {
  constructor(
    message: string,
    readonly kind: 'invalid' | 'not_found' | 'conflict' = 'invalid',
    readonly path: (string | number)[] = [],
  ) {
    super(message);
  }
}

/** Who acts: the command line by default, or a signed-in admin through the API (with its request id). */
export type AdminActor = Pick<AuditEvent, 'actorId' | 'role' | 'unitId'> & { requestId?: string | null };

const id = z
  .string()
  .min(2)
  .max(64)
  .regex(/^[a-z0-9][a-z0-9-]*$/, 'use lowercase letters, digits and dashes');
const name = z
  .string()
  .trim()
  .min(1)
  .max(200)
  .regex(/^[^\u0000]*$/, 'must not contain NUL characters');

export const UnitInput = z
  .object({ id, nameZh: name, nameEn: name, kind: z.enum(UNIT_KINDS), email: z.email().optional() })
  .strict();
export const UserInput = z
  .object({
    id,
    name,
    email: z.email(),
    role: z.enum(ROLES),
    unitId: id.optional(),
    isUnitHead: z.boolean().default(false),
    locale: z.enum(LOCALES).default('zh-CN'),
  })
  .strict();

/** Roles that act for a unit and must belong to one. */
const UNIT_ROLES: Role[] = ['unit_officer', 'police_liaison'];

function parse<T extends z.ZodType>(schema: T, input: unknown): z.infer<T> {
  const r = schema.safeParse(input);
  if (!r.success)
    throw new AdminInputError(
      r.error.issues.map((i) => `${i.path.join('.') || 'input'}: ${i.message}`).join('; '),
      'invalid',
      (r.error.issues[0]?.path ?? []) as (string | number)[],
    );
  return r.data;
}

const conn = (em: EntityManager) => em.getConnection();

export async function createUnit(em: EntityManager, input: z.input<typeof UnitInput>) {
  const u = parse(UnitInput, input);
  const rows = await conn(em).execute<{ id: string }[]>(
    `insert into units (id, name_zh, name_en, kind, email, active) values (?,?,?,?,?,true) on conflict (id) do nothing returning id`,
    [u.id, u.nameZh, u.nameEn, u.kind, u.email ?? null],
  );
  if (!rows[0]) throw new AdminInputError(`unit "${u.id}" already exists`);
  return u;
}

export async function listUnits(em: EntityManager) {
  return conn(em).execute<{ id: string; name_zh: string; name_en: string; kind: string; active: boolean }[]>(
    `select id, name_zh, name_en, kind, active from units order by kind, id`,
  );
}

export async function createUser(
  em: EntityManager,
  input: z.input<typeof UserInput>,
  actor: AdminActor = CLI_ACTOR,
) {
  const u = parse(UserInput, input);
  if (UNIT_ROLES.includes(u.role) && !u.unitId)
    throw new AdminInputError(`role ${u.role} needs a unit (--unit)`, 'invalid', ['unitId']);
  if (u.isUnitHead && !u.unitId)
    throw new AdminInputError('a unit head needs a unit (--unit)', 'invalid', ['unitId']);
  if (u.unitId) {
    const [unit] = await conn(em).execute<{ active: boolean }[]>(`select active from units where id = ?`, [
      u.unitId,
    ]);
    if (!unit) throw new AdminInputError(`unknown unit "${u.unitId}"`, 'invalid', ['unitId']);
    if (!unit.active) throw new AdminInputError(`unit "${u.unitId}" is not active`, 'invalid', ['unitId']);
  }
  const clash = await conn(em).execute<{ id: string; email: string }[]>(
    `select id, email from users where id = ? or lower(email) = lower(?)`,
    [u.id, u.email],
  );
  if (clash[0])
    throw new AdminInputError(
      clash[0].id === u.id ? `user "${u.id}" already exists` : `email ${u.email} is already in use`,
      'conflict',
      [clash[0].id === u.id ? 'id' : 'email'],
    );
  await conn(em).execute(
    `insert into users (id, name, email, role, unit_id, is_unit_head, locale, active) values (?,?,?,?,?,?,?,true)`,
    [u.id, u.name, u.email, u.role, u.unitId ?? null, u.isUnitHead, u.locale],
  );
  await recordAudit(em, {
    ...actor,
    action: 'user.create',
    target: `user:${u.id}`,
    details: { role: u.role, unitId: u.unitId ?? null, isUnitHead: u.isUnitHead },
  });
  return u;
}

type UserRow = {
  id: string;
  name: string;
  email: string;
  role: string;
  unit_id: string | null;
  is_unit_head: boolean;
  locale: string;
  active: boolean;
};
const USER_COLUMNS = 'id, name, email, role, unit_id, is_unit_head, locale, active';

export async function listUsers(em: EntityManager) {
  return conn(em).execute<UserRow[]>(`select ${USER_COLUMNS} from users order by role, id`);
}

/** One user, or undefined. */
export async function findUser(em: EntityManager, id: string): Promise<UserRow | undefined> {
  const rows = await conn(em).execute<UserRow[]>(`select ${USER_COLUMNS} from users where id = ?`, [id]);
  return rows[0];
}

/** Deactivates a user; every token of theirs stops working at once (authentication checks `active`). */
export async function deactivateUser(
  em: EntityManager,
  userId: string,
  actor: AdminActor = CLI_ACTOR,
): Promise<void> {
  const rows = await conn(em).execute<{ id: string }[]>(
    `update users set active = false where id = ? returning id`,
    [userId],
  );
  if (!rows[0]) throw new AdminInputError(`unknown user "${userId}"`, 'not_found');
  await recordAudit(em, { ...actor, action: 'user.deactivate', target: `user:${userId}`, details: {} });
}

export async function createToken(
  em: EntityManager,
  o: { userId: string; label?: string; expiresInDays?: number; actor?: AdminActor },
): Promise<{ id: string; token: string; expiresAt: Date | null }> {
  const [user] = await conn(em).execute<{ active: boolean }[]>(`select active from users where id = ?`, [
    o.userId,
  ]);
  if (!user) throw new AdminInputError(`unknown user "${o.userId}"`, 'invalid', ['userId']);
  if (!user.active) throw new AdminInputError(`user "${o.userId}" is deactivated`, 'conflict', ['userId']);
  if (
    o.expiresInDays !== undefined &&
    (!Number.isFinite(o.expiresInDays) || o.expiresInDays <= 0 || o.expiresInDays > 3650)
  ) {
    throw new AdminInputError('--expires-in must be a number of days between 0 and 3650', 'invalid', [
      'expiresInDays',
    ]);
  }
  const label = (o.label ?? 'cli').trim();
  if (!label || label.length > 200 || label.includes('\u0000'))
    throw new AdminInputError('--label must be 1–200 characters', 'invalid', ['label']);
  const expiresAt =
    o.expiresInDays !== undefined ? new Date(Date.now() + o.expiresInDays * 86_400_000) : null;
  const t = await issueToken(em, o.userId, label, expiresAt ?? undefined);
  await recordAudit(em, {
    ...(o.actor ?? CLI_ACTOR),
    action: 'token.issue',
    target: `token:${t.id}`,
    details: { userId: o.userId, label, expiresAt: expiresAt?.toISOString() ?? null },
  });
  return { ...t, expiresAt };
}

export async function tokens(em: EntityManager, userId?: string): Promise<TokenRow[]> {
  return listTokens(em, userId);
}

export async function revoke(
  em: EntityManager,
  tokenId: string,
  actor: AdminActor = CLI_ACTOR,
): Promise<void> {
  if (!(await revokeToken(em, tokenId))) {
    const [t] = await conn(em).execute<{ id: string }[]>(`select id from api_tokens where id = ?`, [tokenId]);
    throw new AdminInputError(
      t ? `token ${tokenId} is already revoked` : `unknown token "${tokenId}"`,
      t ? 'conflict' : 'not_found',
    );
  }
  const [t] = await conn(em).execute<{ user_id: string }[]>(`select user_id from api_tokens where id = ?`, [
    tokenId,
  ]);
  await recordAudit(em, {
    ...actor,
    action: 'token.revoke',
    target: `token:${tokenId}`,
    details: { userId: t?.user_id ?? null },
  });
}

/**
 * Gives a user another role (and unit, when given); takes effect on their next request, as every
 * request reads the role afresh. Audited as `user.role_change` with the old and the new role.
 */
export async function setUserRole(
  em: EntityManager,
  o: { userId: string; role: string; unitId?: string; actor?: AdminActor },
): Promise<{
  changed: boolean;
  from: { role: Role; unitId: string | null };
  to: { role: Role; unitId: string | null };
}> {
  const role = parse(z.enum(ROLES), o.role);
  if (o.unitId !== undefined) parse(id, o.unitId);
  const [user] = await conn(em).execute<{ role: Role; unit_id: string | null; active: boolean }[]>(
    `select role, unit_id, active from users where id = ?`,
    [o.userId],
  );
  if (!user) throw new AdminInputError(`unknown user "${o.userId}"`, 'not_found');
  if (!user.active) throw new AdminInputError(`user "${o.userId}" is deactivated`, 'conflict');
  const unitId = o.unitId ?? user.unit_id;
  if (UNIT_ROLES.includes(role) && !unitId)
    throw new AdminInputError(`role ${role} needs a unit (--unit)`, 'invalid', ['unitId']);
  if (o.unitId !== undefined) {
    const [unit] = await conn(em).execute<{ active: boolean }[]>(`select active from units where id = ?`, [
      o.unitId,
    ]);
    if (!unit) throw new AdminInputError(`unknown unit "${o.unitId}"`, 'invalid', ['unitId']);
    if (!unit.active) throw new AdminInputError(`unit "${o.unitId}" is not active`, 'invalid', ['unitId']);
  }
  const from = { role: user.role, unitId: user.unit_id };
  const to = { role, unitId };
  if (from.role === to.role && from.unitId === to.unitId) return { changed: false, from, to };
  await conn(em).execute(`update users set role = ?, unit_id = ? where id = ?`, [role, unitId, o.userId]);
  await recordAudit(em, {
    ...(o.actor ?? CLI_ACTOR),
    action: 'user.role_change',
    target: `user:${o.userId}`,
    details: { from, to },
  });
  return { changed: true, from, to };
}

/**
 * Sets a user's sign-in password (the user's existing sessions end; a lockout is lifted). Audited as
 * `password.set` by `cli`; the password itself is never stored or logged.
 */
export async function setUserPassword(
  em: EntityManager,
  userId: string,
  password: string,
  how: 'set' | 'reset' = 'set',
  actor: AdminActor = CLI_ACTOR,
): Promise<void> {
  const checked = passwordSchema.safeParse(password);
  if (!checked.success)
    throw new AdminInputError(`password: ${checked.error.issues[0]?.message}`, 'invalid', ['password']);
  const [user] = await conn(em).execute<{ active: boolean }[]>(`select active from users where id = ?`, [
    userId,
  ]);
  if (!user) throw new AdminInputError(`unknown user "${userId}"`, 'not_found');
  if (!user.active) throw new AdminInputError(`user "${userId}" is deactivated`, 'conflict');
  await setPassword(em, userId, password);
  await recordAudit(em, {
    ...actor,
    action: 'password.set',
    target: `user:${userId}`,
    details: { how },
  });
}

/** Generates a new password for a user, sets it, and returns it (to be shown once). */
export async function resetUserPassword(
  em: EntityManager,
  userId: string,
  actor: AdminActor = CLI_ACTOR,
): Promise<string> {
  const password = generatePassword();
  await setUserPassword(em, userId, password, 'reset', actor);
  return password;
}
