/**
 * Users, passwords and API tokens for the admin (the workbench's admin pages; `npm run admin` does the
 * same from the command line). The work and the audit rows are src/auth/admin.ts's: role changes,
 * deactivations, password resets and token issue/revoke are recorded with the admin who acted. A new
 * password or token is in the answer once (no-store, never in an idempotency record) and stored hashed.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Request, Response } from 'express';
import type { z } from 'zod';
import { auditActor } from '../../src/audit';
import {
  AdminInputError,
  createToken,
  createUser,
  deactivateUser,
  findUser,
  listUsers,
  resetUserPassword,
  revoke,
  setUserRole,
  tokens,
  type AdminActor,
} from '../../src/auth/admin';
import type { AppContext } from '../../src/context';
import { principal } from '../auth';
import { HttpProblem, notFound } from '../problem';
import { defineRoute, parsedQuery, type RouteDef } from '../registry';
import {
  IssuedTokenSchema,
  PasswordResetSchema,
  TokenCreateSchema,
  TokenListQuery,
  TokenListSchema,
  UserCreateSchema,
  UserListSchema,
  UserSchema,
  UserUpdateSchema,
} from '../schemas';

const ADMIN = ['admin'] as const;

/** AdminInputError → 422 with the field, 404 or 409. */
async function guard<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (!(err instanceof AdminInputError)) throw err;
    if (err.kind === 'not_found') throw new HttpProblem(404, 'not-found', err.message);
    if (err.kind === 'conflict')
      throw new HttpProblem(409, 'conflict', err.message, err.path.length ? { path: err.path } : {});
    throw new HttpProblem(422, 'validation-error', err.message, {
      errors: [{ path: err.path, message: err.message }],
    });
  }
}

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

export function adminRoutes(ctx: AppContext): RouteDef[] {
  const em = () => ctx.orm.em.fork() as EntityManager;
  const actor = (req: Request): AdminActor => ({
    ...auditActor(principal(req)),
    requestId: req.requestId ?? null,
  });
  const toUser = (u: Awaited<ReturnType<typeof listUsers>>[number]) => ({
    id: u.id,
    name: u.name,
    email: u.email,
    role: u.role,
    unitId: u.unit_id,
    isUnitHead: u.is_unit_head,
    locale: u.locale,
    active: u.active,
  });
  const userOf = async (e: EntityManager, id: string) => {
    const u = await findUser(e, id);
    if (!u) throw notFound('user');
    return toUser(u);
  };
  const secret = (res: Response) => res.setHeader('Cache-Control', 'no-store');

  return [
    defineRoute({
      method: 'get',
      path: '/users',
      summary: 'Every user with role, unit and whether active (admin)',
      tag: 'admin',
      roles: ADMIN,
      ownership: 'none',
      response: UserListSchema,
      handler: async () => {
        const rows = await listUsers(em());
        return {
          items: rows.map(toUser),
        };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/users',
      summary: 'Create a user (admin; no password yet: reset one to hand it over)',
      tag: 'admin',
      roles: ADMIN,
      ownership: 'none',
      responseStatus: 201,
      body: UserCreateSchema,
      response: UserSchema,
      handler: async (req) =>
        guard(async () => {
          const e = em();
          const u = await createUser(e, req.body as z.infer<typeof UserCreateSchema>, actor(req));
          return userOf(e, u.id);
        }),
    }),
    defineRoute({
      method: 'patch',
      path: '/users/:userId',
      summary:
        'Give a user another role (and unit), or deactivate them (admin; audited; takes effect on their next request)',
      tag: 'admin',
      roles: ADMIN,
      ownership: 'none',
      body: UserUpdateSchema,
      response: UserSchema,
      handler: async (req) =>
        guard(async () => {
          const p = principal(req);
          const userId = String(req.params.userId);
          const b = req.body as z.infer<typeof UserUpdateSchema>;
          // An admin cannot lock itself out: another admin has to do that.
          if (userId === p.userId)
            throw new HttpProblem(409, 'conflict', 'you cannot change your own role or deactivate yourself');
          const e = em();
          if (b.role !== undefined)
            await setUserRole(e, { userId, role: b.role, unitId: b.unitId, actor: actor(req) });
          if (b.active === false) await deactivateUser(e, userId, actor(req));
          return userOf(e, userId);
        }),
    }),
    defineRoute({
      method: 'post',
      path: '/users/:userId/password-reset',
      summary:
        'Give a user a new generated password, shown once in the answer; their sessions end and a lockout is lifted (admin; audited)',
      tag: 'admin',
      roles: ADMIN,
      ownership: 'none',
      response: PasswordResetSchema,
      idempotent: false,
      handler: async (req, res) =>
        guard(async () => {
          const userId = String(req.params.userId);
          const password = await resetUserPassword(em(), userId, actor(req));
          secret(res);
          return { userId, password };
        }),
    }),
    defineRoute({
      method: 'get',
      path: '/tokens',
      summary:
        'API tokens (never the secret): whose, label, prefix, created, expires, revoked, last used (admin)',
      tag: 'admin',
      roles: ADMIN,
      ownership: 'none',
      query: TokenListQuery,
      response: TokenListSchema,
      handler: async (req) => {
        const q = parsedQuery<z.infer<typeof TokenListQuery>>(req);
        const rows = await tokens(em(), q.userId);
        return {
          items: rows.map((t) => ({
            id: t.id,
            userId: t.userId,
            prefix: t.prefix,
            label: t.label,
            createdAt: iso(t.createdAt)!,
            expiresAt: iso(t.expiresAt),
            revokedAt: iso(t.revokedAt),
            lastUsedAt: iso(t.lastUsedAt),
          })),
        };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/tokens',
      summary: 'Issue an API token for a user; the secret is in this answer only (admin; audited)',
      tag: 'admin',
      roles: ADMIN,
      ownership: 'none',
      responseStatus: 201,
      // The answer holds the secret: it must not be kept for replays.
      idempotent: false,
      body: TokenCreateSchema,
      response: IssuedTokenSchema,
      handler: async (req, res) =>
        guard(async () => {
          const b = req.body as z.infer<typeof TokenCreateSchema>;
          const label = b.label ?? 'workbench';
          const t = await createToken(em(), {
            userId: b.userId,
            label,
            expiresInDays: b.expiresInDays,
            actor: actor(req),
          });
          secret(res);
          return { id: t.id, userId: b.userId, label, token: t.token, expiresAt: iso(t.expiresAt) };
        }),
    }),
    defineRoute({
      method: 'delete',
      path: '/tokens/:tokenId',
      summary: 'Revoke an API token at once (admin; audited)',
      tag: 'admin',
      roles: ADMIN,
      ownership: 'none',
      responseStatus: 204,
      handler: async (req) =>
        guard(async () => {
          await revoke(em(), String(req.params.tokenId), actor(req));
          return undefined;
        }),
    }),
  ];
}
