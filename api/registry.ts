/**
 * The route table: every route registers here with its roles and schemas. Express handlers, the
 * OpenAPI 3.1 document and the authorization matrix test are all generated from this one table.
 *
 * Every request passes the same gate, in this order: bearer token (401) → role (403) → the caller's
 * relation to the target clue (404 if it may not see it, 403 if it sees it but may not act), or to the
 * target campaign (404 unless its unit takes part) → a unit-bound caller acts only for its own
 * `:unitId` (403) → query and body schemas (422) → Idempotency-Key (creating POSTs) → handler.
 */
import { OpenAPIRegistry, OpenApiGeneratorV31, type RouteConfig } from '@asteasolutions/zod-to-openapi';
import type { NextFunction, Request, Response, Router } from 'express';
import type { EntityManager } from '@mikro-orm/postgresql';
import { z } from 'zod';
import type { AppContext } from '../src/context';
import type { Role } from '../src/domain/enums';
import {
  loadVisibleClue,
  requireCampaignVisible,
  requireOwnUnit,
  requireRelation,
  type ClueAccessRow,
  type Relation,
} from './access';
import { requireRole } from './auth';
import { notFound } from './problem';
import { beginIdempotent, IDEMPOTENCY_KEY_PATTERN, type IdempotencyTicket } from './idempotency';
import { ProblemSchema } from './schemas';

export type Method = 'get' | 'post' | 'put' | 'delete' | 'patch';

/** How a route's target relates to the caller, for the authorization matrix. */
export type Ownership = 'none' | 'clue' | 'campaign' | 'escalation';

export type UnitRelation = 'lead' | 'co' | 'lead_or_co' | 'police' | 'any';

export interface RouteDef {
  method: Method;
  /** Express-style path under /api/v1, e.g. /clues/:id/verification */
  path: string;
  summary: string;
  tag: string;
  roles: readonly Role[];
  ownership: Ownership;
  /**
   * For clue routes (ownership 'clue', path parameter `:id`): which relation to the clue the caller's
   * unit needs (coordinators and leaders bypass). Checked before the body is read.
   */
  unitRelation?: UnitRelation;
  body?: z.ZodType;
  query?: z.ZodType;
  response?: z.ZodType;
  responseStatus?: number;
  responseContentType?: string;
  /**
   * Other media types the success response may have (e.g. a CSV export). A route whose query has a
   * `format` enum gets the media types of its values automatically (csv, xlsx, docx, html, json).
   */
  alternates?: Record<string, z.ZodType>;
  /** Response headers of the success status, documented in OpenAPI (e.g. Location). */
  responseHeaders?: z.ZodObject;
  /**
   * Honour an Idempotency-Key header (same key + same body → the same result, replayed with status
   * 200 and `Idempotent-Replayed: true`; same key + another body → 422). Default: every POST answering 201.
   */
  idempotent?: boolean;
  handler: (req: Request, res: Response) => Promise<unknown>;
}

export const routes: RouteDef[] = [];

export function defineRoute(r: RouteDef): RouteDef {
  routes.push(r);
  return r;
}

export function isIdempotent(r: RouteDef): boolean {
  return r.idempotent ?? (r.method === 'post' && r.responseStatus === 201);
}

declare module 'express-serve-static-core' {
  interface Request {
    /** Set by the gate for clue routes: the clue row and the caller's relation to it. */
    clueAccess?: { row: ClueAccessRow; relation: Relation };
    /** The raw Idempotency-Key header of an idempotent route, when given. */
    idempotencyKey?: string;
  }
}

/** Refuses, at start-up, a route table that would leave a clue route without its unit check. */
export function checkRouteTable(defs: RouteDef[]): void {
  const seen = new Set<string>();
  for (const r of defs) {
    const id = `${r.method.toUpperCase()} ${r.path}`;
    if (seen.has(id)) throw new Error(`route table: ${id} is registered twice`);
    seen.add(id);
    if (r.roles.length === 0) throw new Error(`route table: ${id} allows no role`);
    if (r.ownership === 'clue' && (!r.unitRelation || !r.path.includes(':id'))) {
      throw new Error(`route table: clue route ${id} needs a :id path parameter and a unitRelation`);
    }
  }
}

export function mount(router: Router, defs: RouteDef[], ctx: AppContext): void {
  checkRouteTable(defs);
  const em = () => ctx.orm.em.fork() as EntityManager;
  for (const r of defs) {
    router[r.method](r.path, async (req: Request, res: Response, next: NextFunction) => {
      let ticket: IdempotencyTicket | undefined;
      // A more literal route owns this path (GET /clues/import is not the clue "import"): step aside → 405.
      if (!allowedMethods(defs, req.path).includes(req.method === 'HEAD' ? 'GET' : req.method)) return next();
      try {
        const p = requireRole(req, r.roles);
        // A path parameter outside its documented shape names nothing that exists.
        for (const [name, value] of Object.entries(req.params)) {
          if (!paramSchema(r, name).safeParse(value).success)
            throw notFound(name === 'id' ? r.ownership : name);
        }
        if (r.ownership === 'clue' && r.unitRelation) {
          const access = await loadVisibleClue(em(), p, String(req.params.id));
          requireRelation(access.relation, r.unitRelation);
          req.clueAccess = access;
        }
        if (r.ownership === 'campaign' && req.params.id !== undefined)
          await requireCampaignVisible(em(), p, String(req.params.id));
        if (req.params.unitId !== undefined) requireOwnUnit(p, String(req.params.unitId));
        refuseUnstorableText(req.query, []);
        refuseUnstorableText(req.body, []);
        if (r.query) (req as Request & { parsedQuery?: unknown }).parsedQuery = r.query.parse(req.query);
        if (r.body) {
          if (
            req.body === undefined ||
            req.body === null ||
            typeof req.body !== 'object' ||
            Array.isArray(req.body)
          ) {
            throw new z.ZodError([
              {
                code: 'invalid_type',
                expected: 'object',
                path: [],
                message: 'a JSON object body is required',
                input: req.body,
              } as never,
            ]);
          }
          req.body = r.body.parse(req.body);
        }
        if (isIdempotent(r)) {
          const raw = req.header('idempotency-key');
          if (raw !== undefined) {
            const begun = await beginIdempotent(em(), ctx.config.http.requestTimeoutMs, {
              userId: p.userId,
              scope: `${r.method} ${req.path}`,
              rawKey: raw,
              body: req.body,
            });
            if (begun.replay) {
              const { status, body, location } = begun.replay;
              if (location) res.location(location);
              res.setHeader('Idempotent-Replayed', 'true');
              res.status(status).json(body);
              return;
            }
            ticket = begun.ticket;
            req.idempotencyKey = raw;
          }
        }
        const out = await r.handler(req, res);
        if (!res.headersSent) {
          const status = (res.locals.status as number | undefined) ?? r.responseStatus ?? 200;
          if (ticket)
            await ticket.complete(
              out === undefined ? 204 : status,
              out,
              res.getHeader('location') as string | undefined,
            );
          ticket = undefined;
          if (out === undefined) res.status(204).end();
          else res.status(status).json(out);
        }
      } catch (err) {
        if (ticket) await ticket.abandon().catch(() => undefined);
        next(err);
      }
    });
  }
}

/** NUL, or half of a UTF-16 surrogate pair: neither can be stored by PostgreSQL (text or jsonb). */
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Refuses, for every route at once, text PostgreSQL cannot store: such a value would otherwise reach a
 * workflow and make its projection activity fail on every retry. 422 naming the field.
 */
export function refuseUnstorableText(value: unknown, path: (string | number)[], depth = 0): void {
  if (depth > 64) return;
  if (typeof value === 'string') {
    if (UNSTORABLE.test(value)) {
      throw new z.ZodError([
        {
          code: 'invalid_format',
          format: 'regex',
          path,
          message: 'must not contain NUL characters or unpaired surrogates',
          input: undefined,
        } as never,
      ]);
    }
    return;
  }
  if (Array.isArray(value)) value.forEach((v, i) => refuseUnstorableText(v, [...path, i], depth + 1));
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      refuseUnstorableText(k, [...path, k], depth + 1);
      refuseUnstorableText(v, [...path, k], depth + 1);
    }
  }
}

export function parsedQuery<T>(req: Request): T {
  return (req as Request & { parsedQuery?: unknown }).parsedQuery as T;
}

function openApiPath(p: string): string {
  return p.replace(/:([A-Za-z]+)/g, '{$1}');
}

/** Path parameter schemas: clue ids are UUIDs, others opaque short tokens. */
function paramSchema(r: RouteDef, name: string): z.ZodType {
  if (name === 'id' && r.ownership === 'clue') return z.uuid().openapi({ description: 'clue id' });
  if (name === 'id' && r.ownership === 'campaign')
    return z.string().min(1).max(64).openapi({ description: 'campaign id' });
  if (name === 'unitId') return z.string().min(1).max(64).openapi({ description: 'unit id' });
  return z.string().min(1).max(100);
}

const binary = () => z.string().openapi({ format: 'binary' });
/** Media types of the values of a `format` query parameter. */
export const FORMAT_MEDIA_TYPES: Record<string, { type: string; schema: () => z.ZodType }> = {
  csv: { type: 'text/csv', schema: () => z.string() },
  xlsx: { type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', schema: binary },
  docx: { type: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', schema: binary },
  html: { type: 'text/html', schema: () => z.string() },
  pdf: { type: 'application/pdf', schema: binary },
};

/** Every media type the success response of a route may have, with its schema (undefined: not described). */
export function successContent(r: RouteDef): Record<string, { schema: z.ZodType | undefined }> {
  const out: Record<string, { schema: z.ZodType | undefined }> = {};
  const formats = formatValues(r.query);
  if (r.response || formats.length === 0 || formats.includes('json'))
    out[r.responseContentType ?? 'application/json'] = { schema: r.response };
  for (const f of formats) {
    const m = FORMAT_MEDIA_TYPES[f];
    if (m && !(m.type in out)) out[m.type] = { schema: m.schema() };
  }
  for (const [type, schema] of Object.entries(r.alternates ?? {})) out[type] = { schema };
  return out;
}

function formatValues(q: z.ZodType | undefined): string[] {
  const shape = (q as z.ZodObject | undefined)?.shape as Record<string, z.ZodType> | undefined;
  let f: unknown = shape?.format;
  // unwrap optional/default
  for (
    let i = 0;
    i < 5 &&
    f &&
    typeof f === 'object' &&
    'unwrap' in f &&
    typeof (f as { unwrap: unknown }).unwrap === 'function';
    i++
  ) {
    f = (f as { unwrap(): unknown }).unwrap();
  }
  if (f && typeof f === 'object' && 'options' in f && Array.isArray((f as { options: unknown }).options)) {
    return (f as { options: unknown[] }).options.filter((o): o is string => typeof o === 'string');
  }
  return [];
}

const retryAfter = z.object({ 'Retry-After': z.string().openapi({ description: 'seconds to wait' }) });

/** `more`: operations outside the route table (sign-in), registered on the same document. */
export function buildOpenApi(defs: RouteDef[], more: ((registry: OpenAPIRegistry) => void)[] = []) {
  const registry = new OpenAPIRegistry();
  registry.registerComponent('securitySchemes', 'bearer', {
    type: 'http',
    scheme: 'bearer',
    description: 'An API token issued with `npm run admin -- tokens create`',
  });
  registry.registerComponent('securitySchemes', 'session', {
    type: 'apiKey',
    in: 'cookie',
    name: 'dso_session',
    description:
      'The session cookie set by POST /api/v1/session (`__Host-dso_session` over https). Every write with it needs the `X-CSRF-Token` header (the `csrfToken` of the sign-in answer or of GET /api/v1/me) and a same-origin request.',
  });
  const problem = (description: string, headers?: z.ZodObject) => ({
    description,
    headers,
    content: { 'application/problem+json': { schema: ProblemSchema } },
  });
  for (const r of defs) {
    const params = [...r.path.matchAll(/:([A-Za-z]+)/g)].map((m) => m[1]!);
    const ok = r.responseStatus ?? 200;
    // A media type without a schema is documented as "any" (the response-schema test names such routes).
    const media = Object.entries(successContent(r));
    const success = {
      description: 'OK',
      headers: r.responseHeaders,
      // 204 No Content has no body to describe.
      content:
        ok === 204
          ? undefined
          : Object.fromEntries(media.map(([t, m]) => [t, { schema: m.schema ?? z.unknown() }])),
    };
    const links = linksFrom(r, defs);
    if (links) (success as { links?: unknown }).links = links;
    const idem = isIdempotent(r);
    const responses: RouteConfig['responses'] = {
      [ok]: success,
      400: problem('Malformed request (e.g. JSON that does not parse)'),
      401: problem('Missing, malformed, unknown, expired or revoked token'),
      403: problem('Your role, or your unit’s relation to the target, does not allow this'),
      404: problem('Not found, or not visible to you'),
      409: problem('Not allowed in the current stage, or a conflicting request is in progress'),
      413: problem('Request body too large'),
      422: problem('Invalid request; `errors` lists the field paths'),
      429: problem('Rate limit for this token exceeded', retryAfter),
      503: problem('A backing service is unavailable', retryAfter),
    };
    if (r.body) responses[415] = problem('Only application/json is accepted');
    if (idem && ok !== 200) {
      responses[200] = {
        description: 'Replay of an earlier request with the same Idempotency-Key and body',
        headers: z.object({ 'Idempotent-Replayed': z.literal('true') }),
        content: r.response
          ? { [r.responseContentType ?? 'application/json']: { schema: r.response } }
          : undefined,
      };
    }
    const cfg: RouteConfig = {
      method: r.method,
      path: `/api/v1${openApiPath(r.path)}`,
      operationId: operationId(r),
      summary: r.summary,
      description: `Roles: ${r.roles.join(', ')}${r.unitRelation && r.unitRelation !== 'any' ? `; unit relation to the clue: ${r.unitRelation}` : ''}`,
      tags: [r.tag],
      security: [{ bearer: [] }, { session: [] }],
      request: {
        params: params.length
          ? z.object(Object.fromEntries(params.map((p) => [p, paramSchema(r, p)])))
          : undefined,
        query: r.query as z.ZodObject | undefined,
        headers: idem
          ? z.object({
              'Idempotency-Key': z.string().regex(IDEMPOTENCY_KEY_PATTERN).optional().openapi({
                description: 'Makes a retry safe: the same key and body return the first result',
              }),
            })
          : undefined,
        body: r.body ? { content: { 'application/json': { schema: r.body } }, required: true } : undefined,
      },
      responses,
    };
    registry.registerPath(cfg);
  }
  for (const m of more) m(registry);
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'Illegal fund-raising disposal orchestration API',
      version: '1.0.0',
      description:
        'Errors are RFC 9457 problem details with a stable `type` per error kind. Another unit’s clue answers 404. Lists are cursor-paged.',
    },
    servers: [{ url: '/' }],
  });
}

/**
 * OpenAPI links from a creating route (201 with an `id`) to every operation on what it created, so
 * clients and stateful testers can follow them: POST /clues → /clues/{id}/..., POST /campaigns → ...
 */
function linksFrom(
  r: RouteDef,
  defs: RouteDef[],
): Record<string, { operationId: string; parameters: Record<string, string> }> | undefined {
  if (r.method !== 'post' || r.responseStatus !== 201 || r.path.includes(':')) return undefined;
  const shape = (r.response as z.ZodObject | undefined)?.shape as Record<string, unknown> | undefined;
  if (!shape || !('id' in shape)) return undefined;
  const targets = defs.filter((d) => d.path.startsWith(`${r.path}/:id`));
  if (targets.length === 0) return undefined;
  return Object.fromEntries(
    targets.map((d) => [
      operationId(d),
      { operationId: operationId(d), parameters: { id: '$response.body#/id' } },
    ]),
  );
}

/** A stable operation id from method and path, e.g. post_clues_id_verification. */
export function operationId(r: Pick<RouteDef, 'method' | 'path'>): string {
  return `${r.method}_${r.path
    .replace(/^\//, '')
    .replace(/:([A-Za-z]+)/g, '$1')
    .replace(/[^A-Za-z0-9]+/g, '_')}`;
}

/**
 * The methods a concrete path allows: those of the most literal matching templates, as routing
 * resolves it (`/clues/import` is the import route, not a clue called "import").
 */
export function allowedMethods(defs: Pick<RouteDef, 'method' | 'path'>[], path: string): string[] {
  const hits = defs.filter((d) => matcherOf(d.path).test(path));
  if (hits.length === 0) return [];
  const literal = (p: string) => p.split('/').filter((seg) => seg && !seg.startsWith(':')).length;
  const best = Math.max(...hits.map((h) => literal(h.path)));
  const methods = [
    ...new Set(hits.filter((h) => literal(h.path) === best).map((h) => h.method.toUpperCase())),
  ];
  if (methods.includes('GET')) methods.push('HEAD');
  return methods;
}

const matchers = new Map<string, RegExp>();
function matcherOf(path: string): RegExp {
  let re = matchers.get(path);
  if (!re) matchers.set(path, (re = pathMatcher(path)));
  return re;
}

/** Express path → RegExp, to tell "no such path" (404) from "no such method here" (405). */
export function pathMatcher(path: string): RegExp {
  const body = path
    .split('/')
    .map((seg) => (seg.startsWith(':') ? '[^/]+' : seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('/');
  return new RegExp(`^${body}/?$`);
}
