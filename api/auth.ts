/**
 * Who is calling: a bearer API token (integrations) or a signed-in person's session cookie (the
 * workbench); both give the same Principal, so one authorization matrix serves both. 401 for a
 * missing, malformed, unknown, expired or revoked token or session (or an inactive user). A request
 * with an Authorization header is judged by it alone: a cookie never adds to a bearer request.
 */
import type { NextFunction, Request, Response } from 'express';
import type { EntityManager } from '@mikro-orm/postgresql';
import { authenticateSession } from '../src/auth/sessions';
import { auditTokenFailure } from '../src/audit';
import { authenticate, type Principal } from '../src/auth/tokens';
import type { Role } from '../src/domain/enums';
import type { AppContext } from '../src/context';
import { forbidden, unauthorized } from './problem';
import { clearSessionCookie, readSessionCookie } from './session';

declare module 'express-serve-static-core' {
  interface Request {
    principal?: Principal;
    requestId?: string;
  }
}

const BEARER = /^Bearer ([A-Za-z0-9_-]{10,100})$/;

export function bearerAuth(ctx: AppContext) {
  return async (req: Request, res: Response, next: NextFunction) => {
    try {
      const h = req.headers.authorization;
      const cookie = h ? undefined : readSessionCookie(req, ctx);
      if (cookie !== undefined) {
        const s = await authenticateSession(ctx.orm.em.fork() as EntityManager, cookie, ctx.config.auth);
        if (!s) {
          clearSessionCookie(req, res, ctx);
          throw unauthorized('the session has ended (signed out, idle too long or expired); sign in again');
        }
        req.principal = s.principal;
        req.cookieSession = s;
        return next();
      }
      if (!h) throw unauthorized();
      const m = BEARER.exec(h);
      // A refused token is audited (throttled, see src/audit.ts); the 401 does not wait for it.
      const refused = (token?: string) =>
        void auditTokenFailure(() => ctx.orm.em.fork() as EntityManager, {
          token,
          ip: req.ip,
          path: req.path,
          requestId: req.requestId,
        });
      if (!m) {
        refused();
        throw unauthorized('malformed Authorization header; expected "Bearer <token>"', 'invalid_request');
      }
      const p = await authenticate(ctx.orm.em.fork() as EntityManager, m[1]!);
      if (!p) {
        refused(m[1]);
        throw unauthorized('unknown, expired or revoked token', 'invalid_token');
      }
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
