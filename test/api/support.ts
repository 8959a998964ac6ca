/**
 * Shared pieces of the API suites: a whole deployment (API + worker on the Temporal dev server, real
 * PostgreSQL and SMTP), a client that validates EVERY response against the OpenAPI document the app
 * serves (ajv 8, JSON Schema 2020-12), log capture, and clue fixtures moved through real transitions.
 */
import { Writable } from 'node:stream';
import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import pino, { type Logger } from 'pino';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { allRoutes, type ApiExtras } from '../../api/app';
import { fullApiExtras } from '../../api/extras';
import { pathMatcher, type RouteDef } from '../../api/registry';
import {
  devServerEnv,
  eventually,
  freshDatabase,
  startSmtp,
  type TestDb,
  type TestSmtp,
} from '../helpers/services';
import { intakeBody, startTestApp, type TestApp } from '../helpers/app';

export { intakeBody };

export interface Reply {
  status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- replies are read by shape in tests
  body: any;
  text: string;
  bytes: Buffer;
  headers: Headers;
}

type Doc = {
  paths: Record<
    string,
    Record<
      string,
      {
        responses: Record<
          string,
          { content?: Record<string, unknown>; headers?: Record<string, { required?: boolean }> }
        >;
      }
    >
  >;
};

/** Validates responses against the served OpenAPI document: documented status, media type, body schema, required headers. */
export class OpenApiChecker {
  private readonly ajv: Ajv2020;
  private readonly cache = new Map<string, ValidateFunction>();
  private readonly templates: { template: string; re: RegExp }[];
  /** Every (operation, status) seen, for coverage reporting. */
  readonly seen = new Set<string>();

  constructor(readonly doc: Doc) {
    this.ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: true });
    addFormats(this.ajv);
    // RFC 3339 exactly (ajv-formats would also take PostgreSQL's "2026-01-01 00:00:00+00").
    this.ajv.addFormat('date-time', {
      type: 'string',
      validate: (v: string) =>
        /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/.test(v) && !Number.isNaN(Date.parse(v)),
    });
    this.ajv.addSchema({ ...doc, $id: 'https://disposal.local/openapi.json' });
    this.templates = Object.keys(doc.paths).map((t) => ({
      template: t,
      re: pathMatcher(t.replace(/\{([A-Za-z]+)\}/g, ':$1')),
    }));
  }

  template(path: string): string | undefined {
    const p = path.split('?')[0]!;
    // Prefer the most literal match (/clues/import over /clues/{id}).
    const hits = this.templates
      .filter((t) => t.re.test(p))
      .sort((a, b) => literalScore(b.template) - literalScore(a.template));
    return hits[0]?.template;
  }

  /** Throws a readable error when the response is not what the document promises. */
  check(method: string, path: string, r: Reply): void {
    const template = this.template(path);
    const m = method.toLowerCase();
    if (!template) {
      if (path === '/api/v1/docs' || path === '/api/v1/openapi.json') return;
      if (r.status === 404 || r.status === 405 || r.status === 401 || r.status === 429) return; // not an operation
      throw new Error(`${method} ${path}: no such path in the OpenAPI document, yet answered ${r.status}`);
    }
    const op = this.doc.paths[template]?.[m];
    if (!op) {
      if (r.status === 405 || r.status === 401 || r.status === 429) return;
      throw new Error(`${method} ${template}: undocumented method answered ${r.status}`);
    }
    const res = op.responses[String(r.status)];
    this.seen.add(`${method.toUpperCase()} ${template} ${r.status}`);
    if (!res)
      throw new Error(
        `${method} ${template}: status ${r.status} is not documented (body: ${r.text.slice(0, 300)})`,
      );
    for (const [h, spec] of Object.entries(res.headers ?? {})) {
      if (spec.required && !r.headers.get(h))
        throw new Error(`${method} ${template} ${r.status}: required header ${h} missing`);
    }
    if (!res.content) return;
    const type = (r.headers.get('content-type') ?? '').split(';')[0]!.trim();
    if (!(type in res.content)) {
      throw new Error(
        `${method} ${template} ${r.status}: content type "${type}" not documented (${Object.keys(res.content).join(', ')})`,
      );
    }
    if (!/json/.test(type)) return;
    const pointer = `#/paths/${esc(template)}/${m}/responses/${r.status}/content/${esc(type)}/schema`;
    let v = this.cache.get(pointer);
    if (!v) {
      v = this.ajv.compile({ $ref: `https://disposal.local/openapi.json${pointer}` });
      this.cache.set(pointer, v);
    }
    if (!v(r.body)) {
      throw new Error(
        `${method} ${template} ${r.status}: body does not match the document: ${this.ajv.errorsText(v.errors, { separator: '\n  ' })}\n  body: ${r.text.slice(0, 500)}`,
      );
    }
  }
}

function literalScore(t: string): number {
  return t.split('/').filter((s) => s && !s.startsWith('{')).length;
}
function esc(s: string): string {
  return s.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** A pino logger writing JSON lines into memory. */
export function captureLogger(): { log: Logger; lines: string[] } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      cb();
    },
  });
  return { log: pino({ level: 'debug' }, stream), lines };
}

export interface ApiSuite {
  env: TestWorkflowEnvironment;
  db: TestDb;
  smtp: TestSmtp;
  app: TestApp;
  checker: OpenApiChecker;
  routes: RouteDef[];
  /** Every reply, for scans (reporter identity, visibility). */
  replies: { user: string | null; method: string; path: string; reply: Reply }[];
  call(
    user: string | null,
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<Reply>;
  /** As call, but with a literal Authorization header value (or none). */
  raw(
    method: string,
    path: string,
    init?: { headers?: Record<string, string>; body?: string | Buffer },
  ): Promise<Reply>;
  close(): Promise<void>;
}

export async function startApiSuite(o: {
  taskQueue: string;
  configEnv?: Record<string, string>;
  log?: Logger;
  extras?: ApiExtras;
}): Promise<ApiSuite> {
  const [env, db, smtp] = await Promise.all([devServerEnv(), freshDatabase('disposal_api'), startSmtp()]);
  const extras = o.extras ?? fullApiExtras;
  const app = await startTestApp({
    env,
    db,
    smtp,
    taskQueue: o.taskQueue,
    configEnv: o.configEnv,
    log: o.log,
    extras,
  });
  const docRes = await fetch(`${app.url}/api/v1/openapi.json`);
  const checker = new OpenApiChecker((await docRes.json()) as Doc);
  const replies: ApiSuite['replies'] = [];
  const raw: ApiSuite['raw'] = async (method, path, init = {}) => {
    const res = await fetch(app.url + path, { method, headers: init.headers, body: init.body });
    const bytes = Buffer.from(await res.arrayBuffer());
    const text = bytes.toString('utf8');
    let body: unknown = text;
    if (/json/.test(res.headers.get('content-type') ?? '')) {
      try {
        body = text ? JSON.parse(text) : undefined;
      } catch {
        /* left as text */
      }
    }
    const reply: Reply = { status: res.status, body, text, bytes, headers: res.headers };
    if (path.startsWith('/api/v1/') && method !== 'OPTIONS' && method !== 'HEAD')
      checker.check(method, path, reply);
    return reply;
  };
  return {
    env,
    db,
    smtp,
    app,
    checker,
    routes: allRoutes(app.ctx, extras),
    replies,
    raw,
    async call(user, method, path, body, headers = {}) {
      const h: Record<string, string> = { ...headers };
      if (user) {
        const token = db.tokens[user];
        if (!token) throw new Error(`no token for ${user}`);
        h.authorization = `Bearer ${token}`;
      }
      if (body !== undefined) h['content-type'] ??= 'application/json';
      const reply = await raw(method, path, {
        headers: h,
        body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      });
      replies.push({ user, method, path, reply });
      return reply;
    },
    async close() {
      await app?.close();
      await Promise.all([env?.teardown(), db?.close(), smtp?.close()]);
    },
  };
}

export function expectStatus(r: Reply, status: number, what = ''): Reply {
  if (r.status !== status)
    throw new Error(`${what} expected ${status}, got ${r.status}: ${r.text.slice(0, 400)}`);
  return r;
}

/** Registers a clue as the coordinator and waits until its workflow has projected the first stage. */
export async function registerClue(
  s: ApiSuite,
  over: Record<string, unknown> = {},
): Promise<{ id: string; ref: string }> {
  const r = expectStatus(
    await s.call('u-coordinator', 'POST', '/api/v1/clues', intakeBody(over)),
    201,
    'register',
  );
  const { id, ref } = r.body as { id: string; ref: string };
  await eventually(async () => {
    const [row] = await s.db.q<{ stage: string }[]>('select stage from clues where id = ?', [id]);
    expect(row?.stage).toBe('verifying');
  });
  return { id, ref };
}

/** Lead unit verifies and classifies, then refers the clue to public security (stage `referred`). */
export async function referClue(s: ApiSuite, id: string, leadUser: string): Promise<void> {
  expectStatus(
    await s.call(leadUser, 'POST', `/api/v1/clues/${id}/verification`, {
      findings: 'Site visit: the scheme is active.',
      factsConfirmed: true,
    }),
    200,
    'verify',
  );
  expectStatus(
    await s.call(leadUser, 'POST', `/api/v1/clues/${id}/classification`, {
      nature: 'suspected_crime',
      repaymentAbility: 'partial',
      repaymentWillingness: 'low',
      reasoning: 'Promises fixed returns to the public; funds moved abroad.',
    }),
    200,
    'classify',
  );
  expectStatus(
    await s.call(leadUser, 'POST', `/api/v1/clues/${id}/referral`, {
      reason: 'Suspected crime: hand over to public security.',
    }),
    200,
    'refer',
  );
  await eventually(async () => {
    const [row] = await s.db.q<{ referred_to_unit_id: string | null }[]>(
      'select referred_to_unit_id from clues where id = ?',
      [id],
    );
    expect(row?.referred_to_unit_id).toBe('public-security');
  });
}

/** Substitutes path parameters. */
export function fillPath(path: string, params: Record<string, string>): string {
  return path.replace(/:([A-Za-z]+)/g, (_m, name: string) => {
    const v = params[name];
    if (v === undefined) throw new Error(`no value for path parameter :${name} in ${path}`);
    return encodeURIComponent(v);
  });
}
