/**
 * The route table: every route registers here with its roles and schemas. Express handlers, the
 * OpenAPI 3.1 document and the authorization matrix test are all generated from this one table.
 */
import { OpenAPIRegistry, OpenApiGeneratorV31, type RouteConfig } from '@asteasolutions/zod-to-openapi';
import type { NextFunction, Request, Response, Router } from 'express';
import { z } from 'zod';
import type { Role } from '../src/domain/enums';
import { requireRole } from './auth';
import { ProblemSchema } from './schemas';

export type Method = 'get' | 'post' | 'put' | 'delete' | 'patch';

/** How a route's target relates to the caller, for the authorization matrix. */
export type Ownership = 'none' | 'clue' | 'campaign' | 'escalation';

export interface RouteDef {
  method: Method;
  /** Express-style path under /api/v1, e.g. /clues/:id/verification */
  path: string;
  summary: string;
  tag: string;
  roles: readonly Role[];
  ownership: Ownership;
  /** For clue routes: which relation to the clue the caller's unit needs (coordinators and leaders bypass). */
  unitRelation?: 'lead' | 'co' | 'lead_or_co' | 'police' | 'any';
  body?: z.ZodType;
  query?: z.ZodType;
  response?: z.ZodType;
  responseStatus?: number;
  responseContentType?: string;
  handler: (req: Request, res: Response) => Promise<unknown>;
}

export const routes: RouteDef[] = [];

export function defineRoute(r: RouteDef): RouteDef {
  routes.push(r);
  return r;
}

export function mount(router: Router, defs: RouteDef[]): void {
  for (const r of defs) {
    router[r.method](r.path, async (req: Request, res: Response, next: NextFunction) => {
      try {
        requireRole(req, r.roles);
        if (r.query) (req as Request & { parsedQuery?: unknown }).parsedQuery = r.query.parse(req.query);
        if (r.body) {
          if (req.body === undefined || req.body === null || typeof req.body !== 'object' || Array.isArray(req.body)) {
            throw new z.ZodError([{ code: 'invalid_type', expected: 'object', path: [], message: 'a JSON object body is required', input: req.body } as never]);
          }
          req.body = r.body.parse(req.body);
        }
        const out = await r.handler(req, res);
        if (!res.headersSent) {
          if (out === undefined) res.status(204).end();
          else res.status((res.locals.status as number | undefined) ?? r.responseStatus ?? 200).json(out);
        }
      } catch (err) {
        next(err);
      }
    });
  }
}

export function parsedQuery<T>(req: Request): T {
  return (req as Request & { parsedQuery?: unknown }).parsedQuery as T;
}

function openApiPath(p: string): string {
  return p.replace(/:([A-Za-z]+)/g, '{$1}');
}

export function buildOpenApi(defs: RouteDef[]) {
  const registry = new OpenAPIRegistry();
  registry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer' });
  const problem = { description: 'Problem details (RFC 9457)', content: { 'application/problem+json': { schema: ProblemSchema } } };
  for (const r of defs) {
    const params = [...r.path.matchAll(/:([A-Za-z]+)/g)].map((m) => m[1]!);
    const cfg: RouteConfig = {
      method: r.method,
      path: `/api/v1${openApiPath(r.path)}`,
      summary: r.summary,
      description: `Roles: ${r.roles.join(', ')}`,
      tags: [r.tag],
      security: [{ bearer: [] }],
      request: {
        params: params.length ? z.object(Object.fromEntries(params.map((p) => [p, z.string()]))) : undefined,
        query: r.query as z.ZodObject | undefined,
        body: r.body ? { content: { 'application/json': { schema: r.body } }, required: true } : undefined,
      },
      responses: {
        [r.responseStatus ?? 200]: r.response
          ? { description: 'OK', content: { [r.responseContentType ?? 'application/json']: { schema: r.response } } }
          : { description: 'OK' },
        400: problem,
        401: problem,
        403: problem,
        404: problem,
        409: problem,
        413: problem,
        422: problem,
        429: problem,
        503: problem,
      },
    };
    registry.registerPath(cfg);
  }
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: { title: 'Illegal fund-raising disposal orchestration API', version: '1.0.0' },
    servers: [{ url: '/' }],
  });
}
