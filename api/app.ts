/**
 * The HTTP API (Express 5): security headers, limits, sign-in, bearer or session auth, the CSRF guard,
 * the route table, problem+json errors.
 */
import { randomUUID } from 'node:crypto';
import express, { type NextFunction, type Request, type Response } from 'express';
import helmet from 'helmet';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import { pinoHttp } from 'pino-http';
import client from 'prom-client';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { AppContext } from '../src/context';
import { bearerAuth } from './auth';
import { errorHandler, sendProblem } from './problem';
import { allowedMethods, buildOpenApi, mount, type RouteDef } from './registry';
import { csrfGuard, registerSessionOpenApi, sessionRoutes, signOutHandler } from './session';
import { clueRoutes } from './routes/clues';
import { peopleRoutes } from './routes/people';
import { adminRoutes } from './routes/admin';

export interface ApiExtras {
  /** Extra route groups (campaigns, ledger, ...), each given the context. */
  routeGroups?: ((ctx: AppContext) => RouteDef[])[];
  /** Extra plain Express mounts (web pages) outside /api/v1. */
  pages?: (app: express.Express, ctx: AppContext) => void;
}

export const routeGroups: ((ctx: AppContext) => RouteDef[])[] = [clueRoutes, peopleRoutes, adminRoutes];

export function allRoutes(ctx: AppContext, extras: ApiExtras = {}): RouteDef[] {
  return [...routeGroups, ...(extras.routeGroups ?? [])].flatMap((g) => g(ctx));
}

export function createApp(ctx: AppContext, extras: ApiExtras = {}): express.Express {
  const app = express();
  app.disable('x-powered-by');
  // Only trusted proxies may set the client address and protocol (rate limits, the Secure cookie).
  app.set('trust proxy', ctx.config.http.trustProxy);
  app.set('query parser', 'simple');
  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry });
  const httpCount = new client.Counter({
    name: 'http_requests_total',
    help: 'HTTP requests',
    labelNames: ['method', 'status'],
    registers: [registry],
  });
  const httpTime = new client.Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP latency',
    labelNames: ['method'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });

  app.use((req: Request, res: Response, next: NextFunction) => {
    const incoming = req.header('x-request-id');
    req.requestId = incoming && /^[A-Za-z0-9-]{1,64}$/.test(incoming) ? incoming : randomUUID();
    res.setHeader('X-Request-Id', req.requestId);
    const end = httpTime.startTimer({ method: req.method });
    res.on('finish', () => {
      end();
      httpCount.inc({ method: req.method, status: String(res.statusCode) });
    });
    // Request timeout: a hung dependency answers 503 instead of holding the socket.
    const timer = setTimeout(() => {
      if (!res.headersSent) {
        res.setHeader('Retry-After', '5');
        sendProblem(res, 503, 'service-unavailable', 'the request took too long');
      }
    }, ctx.config.http.requestTimeoutMs);
    res.on('close', () => clearTimeout(timer));
    next();
  });
  app.use(
    pinoHttp({
      logger: ctx.log,
      genReqId: (req) => (req as Request).requestId ?? randomUUID(),
      // Only method, path (no query string: it may carry search text), status, and the caller's role and
      // unit; never headers (tokens), bodies or query values (personal data).
      serializers: {
        req: (req: { method: string; url: string; id: string }) => ({
          id: req.id,
          method: req.method,
          path: req.url.split('?')[0],
        }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
      customProps: (req) => {
        const p = (req as Request).principal;
        return p ? { role: p.role, unit: p.unitId } : {};
      },
      customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'error' : 'info'),
      customSuccessMessage: () => 'request completed',
      customErrorMessage: () => 'request failed',
    }),
  );
  app.use(helmet());

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    const checks: Record<string, string> = {};
    try {
      await (ctx.orm.em.fork() as EntityManager).getConnection().execute('select 1');
      checks.database = 'ok';
    } catch (err) {
      checks.database = `unavailable: ${(err as Error).message}`;
    }
    try {
      await ctx.temporal.workflowService.getSystemInfo({});
      checks.temporal = 'ok';
    } catch (err) {
      checks.temporal = `unavailable: ${(err as Error).message}`;
    }
    const ok = Object.values(checks).every((v) => v === 'ok');
    if (!ok) res.setHeader('Retry-After', '5');
    res.status(ok ? 200 : 503).json({ status: ok ? 'ready' : 'not ready', checks });
  });
  app.get('/metrics', async (_req, res) => {
    res.type(registry.contentType).send(await registry.metrics());
  });

  const routes = allRoutes(ctx, extras);
  const openapi = buildOpenApi(routes, [registerSessionOpenApi]);
  app.get('/api/v1/openapi.json', (_req, res) => {
    res.json(openapi);
  });
  app.get('/api/v1/docs', (_req, res) => {
    res.type('html').send(docsPage(openapi as unknown as OpenApiDoc));
  });

  const api = express.Router();
  // Repeated failed authentication from one address is throttled before any token lookup.
  api.use(
    rateLimit({
      windowMs: 60_000,
      limit: ctx.config.http.rateLimitPerMinute,
      standardHeaders: 'draft-7',
      legacyHeaders: false,
      skipSuccessfulRequests: true,
      requestWasSuccessful: (_req, res) => res.statusCode !== 401,
      keyGenerator: (req) => `ip:${ipKeyGenerator(req.ip ?? req.socket.remoteAddress ?? 'unknown')}`,
      handler: (_req, res) =>
        sendProblem(res, 429, 'rate-limited', 'too many failed authentication attempts'),
    }),
  );
  // Sign-in comes before authentication (and counts as a failed authentication above when refused).
  api.use(sessionRoutes(ctx));
  api.use(bearerAuth(ctx));
  api.use(csrfGuard(ctx));
  api.use(
    rateLimit({
      windowMs: 60_000,
      limit: ctx.config.http.rateLimitPerMinute,
      standardHeaders: 'draft-7',
      legacyHeaders: false,
      keyGenerator: (req) => (req as Request).principal?.tokenId ?? 'anonymous',
      handler: (_req, res) => {
        sendProblem(res, 429, 'rate-limited', 'rate limit exceeded for this token');
      },
    }),
  );
  api.use((req, res, next) => {
    const hasBody =
      req.headers['transfer-encoding'] !== undefined || (req.headers['content-length'] ?? '0') !== '0';
    if (['POST', 'PUT', 'PATCH'].includes(req.method) && hasBody && !req.is('application/json')) {
      return sendProblem(res, 415, 'unsupported-media-type', 'send application/json');
    }
    next();
  });
  api.use(express.json({ limit: ctx.config.http.bodyLimit, strict: true }));
  // Audit every write with actor, role, unit, request id and outcome (refused attempts too).
  api.use((req, res, next) => {
    if (req.method !== 'GET' && req.method !== 'HEAD' && req.method !== 'OPTIONS') {
      res.on('finish', () => {
        if (!req.principal) return;
        const p = req.principal;
        const routePath = (req.route as { path?: string } | undefined)?.path ?? req.path;
        void (ctx.orm.em.fork() as EntityManager)
          .getConnection()
          .execute(
            `insert into audit_log (actor_id, role, unit_id, action, target, request_id, details) values (?,?,?,?,?,?,?)`,
            [
              p.userId,
              p.role,
              p.unitId,
              `${req.method} ${routePath}`.slice(0, 64),
              req.originalUrl.split('?')[0]!.slice(0, 128),
              req.requestId ?? null,
              JSON.stringify({ status: res.statusCode, outcome: res.statusCode < 400 ? 'done' : 'refused' }),
            ],
          )
          .catch((err: unknown) => ctx.log.warn({ err: (err as Error).message }, 'audit write failed'));
      });
    }
    next();
  });
  // OPTIONS answers with the methods of the resource (no CORS headers: cross-origin use stays closed).
  api.use((req, res, next) => {
    if (req.method !== 'OPTIONS') return next();
    const allowed = allowedMethods(routes, req.path);
    if (allowed.length === 0) return sendProblem(res, 404, 'not-found', `no route ${req.path}`);
    res.setHeader('Allow', [...allowed, 'OPTIONS'].join(', '));
    res.status(204).end();
  });
  api.delete('/session', signOutHandler(ctx));
  mount(api, routes, ctx);
  // A known path with another method is 405 with Allow; anything else 404.
  api.use((req, res) => {
    const allowed = allowedMethods(routes, req.path);
    if (allowed.length > 0) {
      res.setHeader('Allow', allowed.join(', '));
      return sendProblem(
        res,
        405,
        'method-not-allowed',
        `${req.method} is not allowed here; allowed: ${allowed.join(', ')}`,
      );
    }
    sendProblem(res, 404, 'not-found', `no route ${req.method} ${req.path}`);
  });
  app.use('/api/v1', api);
  extras.pages?.(app, ctx);
  app.use((req, res) => sendProblem(res, 404, 'not-found', `no route ${req.method} ${req.path}`));
  app.use(errorHandler(ctx.log));
  return app;
}

interface OpenApiDoc {
  paths: Record<string, Record<string, { summary?: string; description?: string; tags?: string[] }>>;
}

function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Browsable docs without a CDN: the operations, grouped by tag, linking the machine-readable document. */
function docsPage(doc: OpenApiDoc): string {
  const rows = Object.entries(doc.paths).flatMap(([path, ops]) =>
    Object.entries(ops).map(
      ([m, op]) =>
        `<tr><td><code>${m.toUpperCase()}</code></td><td><code>${esc(path)}</code></td><td>${esc(op.summary ?? '')}</td><td>${esc(op.description ?? '')}</td></tr>`,
    ),
  );
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>API docs</title>
<style>body{font-family:system-ui,sans-serif;margin:2rem}td{padding:.25rem .75rem;border-bottom:1px solid #ddd;vertical-align:top}</style></head>
<body><h1>Disposal orchestration API</h1><p>Machine-readable: <a href="/api/v1/openapi.json">openapi.json</a> (OpenAPI 3.1). Send <code>Authorization: Bearer &lt;token&gt;</code>.</p>
<table><thead><tr><th>Method</th><th>Path</th><th>Summary</th><th>Roles</th></tr></thead><tbody>${rows.join('')}</tbody></table></body></html>`;
}
