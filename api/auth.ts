/** Bearer API tokens: 401 for a missing, malformed, unknown, expired or revoked token (or an inactive user). */
import type { NextFunction, Request, Response } from 'express';
import type { EntityManager } from '@mikro-orm/postgresql';
import { authenticate, type Principal } from '../src/auth/tokens';
import type { Role } from '../src/domain/enums';
import type { AppContext } from '../src/context';
import { forbidden, unauthorized } from './problem';

declare module 'express-serve-static-core' {
  interface Request {
    principal?: Principal;
    requestId?: string;
  }
}

const BEARER = /^Bearer ([A-Za-z0-9_-]{10,100})$/;

export function bearerAuth(ctx: AppContext) {
  return async (req: Request, _res: Response, next: NextFunction) => {
    try {
      const h = req.headers.authorization;
      if (!h) throw unauthorized();
      const m = BEARER.exec(h);
      if (!m)
        throw unauthorized('malformed Authorization header; expected "Bearer <token>"', 'invalid_request');
      const p = await authenticate(ctx.orm.em.fork() as EntityManager, m[1]!);
      if (!p) throw unauthorized('unknown, expired or revoked token', 'invalid_token');
      req.principal = p;
      next();
    } catch (err) {
      next(err);
    }
  };
}

export function principal(req: Request): Principal {
  if (!req.principal) throw unauthorized();
  return req.principal;
}

export function requireRole(req: Request, roles: readonly Role[]): Principal {
  const p = principal(req);
  if (!roles.includes(p.role)) throw forbidden(`role ${p.role} may not do this`);
  return p;
}
