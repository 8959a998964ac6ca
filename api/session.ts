/**
 * Sign-in for people: `POST /api/v1/session` (username + password → an HttpOnly session cookie and
 * a CSRF token), `DELETE /api/v1/session` (sign-out), the cookie itself, and the CSRF guard every
 * cookie-authenticated write passes. Bearer requests carry no ambient authority and skip the guard.
 *
 * The cookie is SameSite=Lax, not Strict: people open the workbench from links in emails (another
 * site), and with Strict that first page would arrive without the cookie and look signed out. Lax
 * still keeps the cookie off cross-site writes; the CSRF token and the Origin check refuse them anyway.
 */
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import type { EntityManager } from '@mikro-orm/postgresql';
import { z } from 'zod';
import type { AppContext } from '../src/context';
import { PasswordChecksBusy, verifyAgainstNothing } from '../src/auth/passwords';
import { csrfMatches, dropSessionBySecret, endSession, signIn, type SessionAuth } from '../src/auth/sessions';
import { principal } from './auth';
import { HttpProblem, sendProblem } from './problem';
import { refuseUnstorableText } from './registry';
import { LOCALES, ROLES } from '../src/domain/enums';
import { ProblemSchema } from './schemas';

declare module 'express-serve-static-core' {
  interface Request {
    /** Set when the caller authenticated with the session cookie (not a bearer token). */
    cookieSession?: SessionAuth;
  }
}

export const SESSION_COOKIE = 'dso_session';
/** Over https: the `__Host-` prefix makes browsers insist on Secure, Path=/ and no Domain. */
export const SECURE_SESSION_COOKIE = `__Host-${SESSION_COOKIE}`;
export const CSRF_HEADER = 'X-CSRF-Token';

/** Secure when configured so, or (auto) when the request came over https, directly or via a trusted proxy. */
export function cookieIsSecure(req: Request, ctx: AppContext): boolean {
  const mode = ctx.config.auth.cookieSecure;
  return mode === 'true' || (mode === 'auto' && req.secure);
}

function cookieName(req: Request, ctx: AppContext): string {
  return cookieIsSecure(req, ctx) ? SECURE_SESSION_COOKIE : SESSION_COOKIE;
}

/** The session cookie's value, if the request has one (only the name that fits the request's scheme). */
export function readSessionCookie(req: Request, ctx: AppContext): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  const name = cookieName(req, ctx);
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

function cookieOptions(req: Request, ctx: AppContext) {
  // No Max-Age: the cookie ends with the browser; the server ends the session earlier if idle.
  return { httpOnly: true, sameSite: 'lax', path: '/', secure: cookieIsSecure(req, ctx) } as const;
}

export function clearSessionCookie(req: Request, res: Response, ctx: AppContext): void {
  res.clearCookie(cookieName(req, ctx), cookieOptions(req, ctx));
}

/**
 * Why a browser request is cross-site, or undefined when it is same-origin. Sec-Fetch-Site is set by
 * the browser itself (a page cannot forge it); without it, Origin must be this site's: PUBLIC_URL or
 * the origin the request was addressed to. With neither header, `requireHeader` decides.
 */
export function crossSiteReason(req: Request, ctx: AppContext, requireHeader: boolean): string | undefined {
  const site = req.get('sec-fetch-site');
  if (site !== undefined) return site === 'same-origin' ? undefined : `Sec-Fetch-Site is ${site}`;
  const origin = req.get('origin');
  if (origin === undefined) return requireHeader ? 'no Origin or Sec-Fetch-Site header' : undefined;
  const own = [new URL(ctx.config.http.publicUrl).origin, `${req.protocol}://${req.host}`];
  return own.includes(origin) ? undefined : 'the Origin is not this site';
}

const csrfRefused = (why: string) =>
  new HttpProblem(403, 'csrf', `cross-site request refused: ${why}`, {
    hint: `send the ${CSRF_HEADER} header from this site (GET /api/v1/me returns the token)`,
  });

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Every cookie-authenticated write: the session's CSRF token AND a same-origin request. */
export function csrfGuard(ctx: AppContext) {
  return (req: Request, _res: Response, next: NextFunction) => {
    const s = req.cookieSession;
    if (!s || SAFE_METHODS.has(req.method)) return next();
    const why =
      crossSiteReason(req, ctx, true) ??
      (csrfMatches(req.get(CSRF_HEADER), s.csrfHash) ? undefined : `missing or wrong ${CSRF_HEADER} header`);
    next(why ? csrfRefused(why) : undefined);
  };
}

export const SignInBodySchema = z
  .object({
    username: z.string().min(1).max(200).openapi({ description: 'user id or email address' }),
    password: z.string().min(1).max(1024),
  })
  .strict()
  .openapi('SignIn');

export const SignedInSchema = z
  .object({
    user: z.object({
      id: z.string(),
      name: z.string(),
      role: z.enum(ROLES),
      unitId: z.string().nullable(),
      locale: z.enum(LOCALES),
    }),
    csrfToken: z.string().openapi({ description: `send as ${CSRF_HEADER} with every write` }),
    expiresAt: z.iso.datetime().openapi({ description: 'absolute end of the session' }),
    idleTimeoutSeconds: z.number().int().openapi({ description: 'ends earlier after this long unused' }),
  })
  .openapi('SignedIn');

/**
 * `/session` before authentication: POST signs in (its own JSON parsing: the shared parser runs after
 * authentication), OPTIONS and unknown methods answer here; DELETE passes on to the authenticated part.
 */
export function sessionRoutes(ctx: AppContext): Router {
  const router = express.Router();
  // Build the dummy hash for unknown usernames now, so the first such attempt takes no longer than others.
  void verifyAgainstNothing('warm-up');
  const json = express.json({ limit: '16kb', strict: true });
  router.all('/session', (req, res, next) => {
    if (req.method === 'DELETE') return next();
    if (req.method === 'OPTIONS') {
      res.setHeader('Allow', 'POST, DELETE, OPTIONS');
      return res.status(204).end();
    }
    if (req.method !== 'POST') {
      res.setHeader('Allow', 'POST, DELETE');
      return sendProblem(
        res,
        405,
        'method-not-allowed',
        `${req.method} is not allowed here; allowed: POST, DELETE`,
      );
    }
    if (!req.is('application/json'))
      return sendProblem(res, 415, 'unsupported-media-type', 'send application/json');
    // A browser must post from this site (login CSRF); clients without these headers are no browser.
    const why = crossSiteReason(req, ctx, false);
    if (why) return next(csrfRefused(why));
    json(req, res, (err?: unknown) => (err ? next(err) : void signInHandler(ctx, req, res).catch(next)));
  });
  return router;
}

async function signInHandler(ctx: AppContext, req: Request, res: Response): Promise<void> {
  if (typeof req.body !== 'object' || req.body === null || Array.isArray(req.body))
    throw new z.ZodError([
      {
        code: 'invalid_type',
        expected: 'object',
        path: [],
        message: 'a JSON object body is required',
        input: req.body,
      } as never,
    ]);
  refuseUnstorableText(req.body, []);
  const body = SignInBodySchema.parse(req.body);
  const em = ctx.orm.em.fork() as EntityManager;
  let out;
  try {
    out = await signIn(
      em,
      { ...body, userAgent: req.get('user-agent'), requestId: req.requestId },
      ctx.config.auth,
    );
  } catch (err) {
    if (err instanceof PasswordChecksBusy)
      throw new HttpProblem(
        503,
        'service-unavailable',
        'too many sign-ins at once; retry shortly',
        {},
        { 'Retry-After': '2' },
      );
    throw err;
  }
  const seconds = (d: Date) => String(Math.max(1, Math.ceil((d.getTime() - Date.now()) / 1000)));
  switch (out.kind) {
    case 'ok': {
      // The session this browser had before (if any) ends: one cookie, one session.
      const previous = readSessionCookie(req, ctx);
      if (previous) await dropSessionBySecret(em, previous);
      res.cookie(cookieName(req, ctx), out.secret, cookieOptions(req, ctx));
      res.setHeader('Cache-Control', 'no-store');
      const p = out.principal;
      res.status(200).json({
        user: { id: p.userId, name: p.name, role: p.role, unitId: p.unitId, locale: p.locale },
        csrfToken: out.csrfToken,
        expiresAt: out.expiresAt.toISOString(),
        idleTimeoutSeconds: Math.round(ctx.config.auth.sessionIdleMs / 1000),
      });
      return;
    }
    case 'wrong':
      throw new HttpProblem(
        401,
        'sign-in-failed',
        'the username or password is wrong',
        { retryAt: out.retryAt.toISOString() },
        { 'WWW-Authenticate': 'Bearer realm="api"' },
      );
    case 'backoff':
      throw new HttpProblem(
        429,
        'sign-in-backoff',
        'too soon after a failed sign-in; wait and try again',
        { retryAt: out.retryAt.toISOString() },
        { 'Retry-After': seconds(out.retryAt) },
      );
    case 'locked':
      throw new HttpProblem(
        429,
        'account-locked',
        `too many failed sign-ins; locked until ${out.until.toISOString()}`,
        { lockedUntil: out.until.toISOString() },
        { 'Retry-After': seconds(out.until) },
      );
  }
}

/** DELETE /session, after authentication and the CSRF guard: ends the cookie's session. */
export function signOutHandler(ctx: AppContext) {
  return async (req: Request, res: Response, next: NextFunction) => {
    try {
      const p = principal(req);
      if (req.cookieSession)
        await endSession(ctx.orm.em.fork() as EntityManager, p, req.cookieSession.sessionId, req.requestId);
      clearSessionCookie(req, res, ctx);
      res.status(204).end();
    } catch (err) {
      next(err);
    }
  };
}

/** The session routes and the cookie scheme in the OpenAPI document. */
export function registerSessionOpenApi(registry: OpenAPIRegistry): void {
  const problem = (description: string, headers?: z.ZodObject) => ({
    description,
    headers,
    content: { 'application/problem+json': { schema: ProblemSchema } },
  });
  const retryAfter = z.object({ 'Retry-After': z.string().openapi({ description: 'seconds to wait' }) });
  registry.registerPath({
    method: 'post',
    path: '/api/v1/session',
    operationId: 'post_session',
    summary: 'Sign in with a username and password',
    description:
      'Sets the HttpOnly session cookie (`dso_session`, `__Host-dso_session` over https). After a wrong password each further attempt waits longer; too many failures lock the account for a while (429 `account-locked` with `lockedUntil`). An unknown username answers exactly like a wrong password.',
    tags: ['session'],
    security: [],
    request: { body: { content: { 'application/json': { schema: SignInBodySchema } }, required: true } },
    responses: {
      200: {
        description: 'Signed in',
        headers: z.object({
          'Set-Cookie': z.string().optional().openapi({ description: 'the session cookie' }),
        }),
        content: { 'application/json': { schema: SignedInSchema } },
      },
      400: problem('Malformed request (e.g. JSON that does not parse)'),
      401: problem('The username or password is wrong'),
      403: problem('Posted from another site (`csrf`)'),
      413: problem('Request body too large'),
      415: problem('Only application/json is accepted'),
      422: problem('Invalid request; `errors` lists the field paths'),
      429: problem('Too soon after a failure (`sign-in-backoff`), or locked (`account-locked`)', retryAfter),
      503: problem('A backing service is unavailable', retryAfter),
    },
  });
  registry.registerPath({
    method: 'delete',
    path: '/api/v1/session',
    operationId: 'delete_session',
    summary: 'Sign out (ends the session on the server)',
    description: `Cookie-authenticated: needs the ${CSRF_HEADER} header and a same-origin request. With a bearer token there is no session: 204 and nothing changes.`,
    tags: ['session'],
    security: [{ session: [] }, { bearer: [] }],
    responses: {
      204: { description: 'Signed out' },
      401: problem('Not signed in, or the session has expired'),
      403: problem('Cross-site request, or a missing or wrong CSRF token (`csrf`)'),
      429: problem('Rate limit exceeded', retryAfter),
      503: problem('A backing service is unavailable', retryAfter),
    },
  });
}
