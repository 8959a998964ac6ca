/** RFC 9457 problem details, one stable `type` per error kind, and the one error handler that maps errors to them. */
import type { NextFunction, Request, Response } from 'express';
import { z } from 'zod';
import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { FailureType } from '../src/domain/failures';
import { IntakeError } from '../src/services/clues';

export const PROBLEM_BASE = 'https://disposal.local/problems/';

export class HttpProblem extends Error {
  constructor(
    readonly status: number,
    readonly kind: string,
    message: string,
    readonly extra: Record<string, unknown> = {},
    /** Response headers that go with it (e.g. Retry-After, WWW-Authenticate). */
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export const notFound = (what = 'resource') => new HttpProblem(404, 'not-found', `${what} not found`);
export const forbidden = (why = 'your role may not do this') => new HttpProblem(403, 'forbidden', why);
export const unauthorized = (
  why = 'a valid bearer token is required',
  error?: 'invalid_request' | 'invalid_token',
) =>
  new HttpProblem(
    401,
    'unauthorized',
    why,
    {},
    { 'WWW-Authenticate': error ? `Bearer realm="api", error="${error}"` : 'Bearer realm="api"' },
  );

const TITLES: Record<string, string> = {
  'validation-error': 'Your request is not valid',
  'invalid-transition': 'The current stage does not allow this',
  'not-found': 'Not found',
  forbidden: 'Forbidden',
  unauthorized: 'Unauthorized',
  'payload-too-large': 'Payload too large',
  'malformed-json': 'Malformed JSON',
  'rate-limited': 'Too many requests',
  'service-unavailable': 'Service temporarily unavailable',
  'idempotency-key-reused': 'Idempotency-Key reused with a different body',
  'idempotency-key-in-progress': 'A request with this Idempotency-Key is in progress',
  'method-not-allowed': 'Method not allowed',
  'unsupported-media-type': 'Unsupported media type',
  conflict: 'Conflict',
  'internal-error': 'Internal error',
  'sign-in-failed': 'Sign-in failed',
  'sign-in-backoff': 'Wait before trying again',
  'account-locked': 'Account locked for a while',
  csrf: 'Cross-site request refused',
};

export function sendProblem(
  res: Response,
  status: number,
  kind: string,
  detail: string,
  extra: Record<string, unknown> = {},
): void {
  if (res.headersSent) return;
  res
    .status(status)
    .type('application/problem+json')
    .send(
      JSON.stringify({
        type: PROBLEM_BASE + kind,
        title: TITLES[kind] ?? kind,
        status,
        detail,
        instance: res.req.originalUrl,
        ...extra,
      }),
    );
}

export function zodErrors(err: z.ZodError) {
  return err.issues.map((i) => ({
    path: i.path.map((p) => (typeof p === 'symbol' ? String(p) : p)),
    message: i.message,
    code: i.code,
  }));
}

function isUnavailable(err: unknown): boolean {
  const s = `${(err as Error)?.name ?? ''} ${(err as Error)?.message ?? ''} ${(err as { code?: string })?.code ?? ''}`;
  return /ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|Connection terminated|connection.*(closed|ended)|UNAVAILABLE|DeadlineExceeded|ServiceError|57P0[1-3]|53300|\b08[0-9A-Z]{3}\b|Knex: Timeout acquiring|pool is (probably )?(full|destroyed)|WorkflowUpdateRPCTimeoutOrCancelled/i.test(
    s,
  );
}

export function errorHandler(log: { error(o: object, m?: string): void; warn(o: object, m?: string): void }) {
  return (err: unknown, req: Request, res: Response, _next: NextFunction): void => {
    if (err instanceof HttpProblem) {
      for (const [k, v] of Object.entries(err.headers)) res.setHeader(k, v);
      return sendProblem(res, err.status, err.kind, err.message, err.extra);
    }
    if (err instanceof z.ZodError)
      return sendProblem(res, 422, 'validation-error', 'see errors', { errors: zodErrors(err) });
    if (err instanceof IntakeError) {
      return sendProblem(res, 422, 'validation-error', err.message, {
        errors: [{ path: err.path, message: err.message }],
      });
    }
    const e = err as { type?: string; status?: number; statusCode?: number; expose?: boolean };
    // body-parser errors
    if (e.type === 'entity.too.large')
      return sendProblem(res, 413, 'payload-too-large', 'request body exceeds the limit');
    if (e.type === 'entity.parse.failed')
      return sendProblem(res, 400, 'malformed-json', 'request body is not valid JSON');
    if (e.type === 'charset.unsupported' || e.type === 'encoding.unsupported')
      return sendProblem(res, 415, 'unsupported-media-type', 'unsupported encoding');
    if (typeof e.status === 'number' && e.status >= 400 && e.status < 500 && e.expose) {
      return sendProblem(res, e.status, 'validation-error', (err as Error).message);
    }
    if (err instanceof WorkflowNotFoundError) return sendProblem(res, 404, 'not-found', 'clue not found');
    if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure) {
      const f = err.cause;
      const details = (f.details?.[0] ?? {}) as { allowed?: string[]; stage?: string; path?: string[] };
      if (f.type === FailureType.InvalidTransition) {
        return sendProblem(res, 409, 'invalid-transition', f.message, {
          stage: details.stage,
          allowedTransitions: details.allowed ?? [],
        });
      }
      if (f.type === FailureType.InvalidInput || f.type === FailureType.UnknownItem) {
        return sendProblem(res, 422, 'validation-error', f.message, {
          errors: [{ path: details.path ?? [], message: f.message }],
        });
      }
      if (f.type === FailureType.Conflict) return sendProblem(res, 409, 'conflict', f.message);
      // Any other rejection by an update validator is still a rejection of this request's content.
      log.warn({ failureType: f.type, path: req.path }, 'update rejected with an unmapped failure type');
      return sendProblem(res, 422, 'validation-error', 'the request was rejected', { errors: [] });
    }
    // PostgreSQL data exceptions (class 22: NUL bytes, out-of-range values, bad encodings) come from what was sent.
    const code = (err as { code?: unknown })?.code;
    if (typeof code === 'string' && /^22[0-9A-Z]{3}$/.test(code)) {
      return sendProblem(res, 422, 'validation-error', 'a value cannot be stored as sent', { errors: [] });
    }
    if (isUnavailable(err)) {
      res.setHeader('Retry-After', '5');
      return sendProblem(res, 503, 'service-unavailable', 'a backing service is unavailable; retry shortly');
    }
    log.error(
      {
        err: { name: (err as Error)?.name, message: (err as Error)?.message, stack: (err as Error)?.stack },
        path: req.path,
      },
      'unhandled error',
    );
    return sendProblem(res, 500, 'internal-error', 'an unexpected error occurred');
  };
}
