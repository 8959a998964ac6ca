/**
 * The typed API client, generated from the product's own OpenAPI document (`npm run gen:api`).
 * Cookie sessions: every write carries the session's CSRF token; a 401 sends the person to sign-in
 * and back to the page they were on.
 */
import createClient, { type Middleware } from 'openapi-fetch';
import type { components, paths } from './schema';

export type Schemas = components['schemas'];

/** An RFC 9457 problem as the API answers it. */
export interface Problem {
  type?: string;
  title?: string;
  status: number;
  detail?: string;
  errors?: { path: (string | number)[]; message: string }[];
  allowedTransitions?: string[];
  [extra: string]: unknown;
}

export class ApiError extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail ?? problem.title ?? `HTTP ${problem.status}`);
  }
  get status(): number {
    return this.problem.status;
  }
}

let csrfToken: string | null = null;
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

let onUnauthorized: () => void = () => undefined;
export function setUnauthorizedHandler(fn: () => void): void {
  onUnauthorized = fn;
}

const session: Middleware = {
  onRequest({ request }) {
    if (request.method !== 'GET' && request.method !== 'HEAD' && csrfToken)
      request.headers.set('X-CSRF-Token', csrfToken);
    return request;
  },
  onResponse({ response }) {
    if (response.status === 401) onUnauthorized();
    return response;
  },
};

export const api = createClient<paths>({ baseUrl: '', credentials: 'same-origin' });
api.use(session);

async function problemOf(res: Response): Promise<Problem> {
  try {
    const body = (await res.clone().json()) as Partial<Problem>;
    return { ...body, status: res.status };
  } catch {
    return { status: res.status, title: res.statusText };
  }
}

/** The data of an openapi-fetch answer, or an ApiError carrying the problem. */
export async function ok<T>(p: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  const r = await p;
  if (!r.response.ok || r.data === undefined) {
    const problem =
      r.error && typeof r.error === 'object'
        ? { ...(r.error as Partial<Problem>), status: r.response.status }
        : await problemOf(r.response);
    throw new ApiError(problem);
  }
  return r.data;
}

/** A plain JSON call for endpoints outside the typed document (sign-in lives beside it). */
export async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  const res = await fetch(path, {
    method,
    headers,
    credentials: 'same-origin',
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new ApiError(await problemOf(res));
  const text = await res.text();
  return (text ? JSON.parse(text) : undefined) as T;
}
