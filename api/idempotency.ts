/**
 * Idempotency-Key for creating POSTs. The first request with a key claims a row (status 0, "in
 * progress"); when it succeeds the row keeps its status and body, and every later request with the
 * same key and the same body gets that body again (status 200, `Idempotent-Replayed: true`). The
 * same key with another body is 422; while the first is still running, 409. A failed request frees
 * its key so the client can retry. Keys are per user and per path.
 */
import { createHash } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { sql } from '../src/db/sql';
import { HttpProblem } from './problem';

export const IDEMPOTENCY_KEY_PATTERN = /^[\x21-\x7e]{1,100}$/;

export interface IdempotencyTicket {
  complete(status: number, body: unknown, location?: string): Promise<void>;
  abandon(): Promise<void>;
}

export type Begun =
  | { replay: { status: number; body: unknown; location?: string }; ticket?: undefined }
  | { replay?: undefined; ticket: IdempotencyTicket };

/** JSON with sorted keys, so {a,b} and {b,a} are the same body. */
export function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}

const sha = (s: string) => createHash('sha256').update(s).digest('hex');

export async function beginIdempotent(
  em: EntityManager,
  staleAfterMs: number,
  o: { userId: string; scope: string; rawKey: string; body: unknown },
): Promise<Begun> {
  if (!IDEMPOTENCY_KEY_PATTERN.test(o.rawKey)) {
    throw new HttpProblem(
      422,
      'validation-error',
      'Idempotency-Key must be 1–100 printable ASCII characters',
      {
        errors: [{ path: ['headers', 'Idempotency-Key'], message: 'invalid' }],
      },
    );
  }
  const key = `${o.userId}:${sha(o.scope).slice(0, 16)}:${o.rawKey}`;
  const bodyHash = sha(canonicalJson(o.body ?? null));
  const ticket: IdempotencyTicket = {
    async complete(status, body, location) {
      await sql(em, `update idempotency_keys set status = ?, response = ? where key = ?`, [
        status,
        JSON.stringify({ body: body ?? null, location: location ?? null }),
        key,
      ]);
    },
    async abandon() {
      await sql(em, `delete from idempotency_keys where key = ? and status = 0`, [key]);
    },
  };
  const claimed = await sql<{ key: string }[]>(
    em,
    `insert into idempotency_keys (key, user_id, body_hash, status, response) values (?,?,?,0,'{}') on conflict (key) do nothing returning key`,
    [key, o.userId, bodyHash],
  );
  if (claimed[0]) return { ticket };
  const [prior] = await sql<
    {
      body_hash: string;
      status: number;
      response: { body?: unknown; location?: string | null };
      stale: boolean;
    }[]
  >(
    em,
    `select body_hash, status, response, created_at < now() - (? * interval '1 millisecond') as stale from idempotency_keys where key = ?`,
    [staleAfterMs * 2, key],
  );
  if (!prior) return beginIdempotent(em, staleAfterMs, o); // freed between the two statements
  if (prior.body_hash !== bodyHash) {
    throw new HttpProblem(
      422,
      'idempotency-key-reused',
      'this Idempotency-Key was used with a different body',
      {
        errors: [{ path: ['headers', 'Idempotency-Key'], message: 'already used with a different body' }],
      },
    );
  }
  if (prior.status === 0) {
    // A claim left behind by a crashed process is taken over; a live one is still running.
    if (prior.stale) {
      const taken = await sql<{ key: string }[]>(
        em,
        `update idempotency_keys set created_at = now() where key = ? and status = 0 and created_at < now() - (? * interval '1 millisecond') returning key`,
        [key, staleAfterMs * 2],
      );
      if (taken[0]) return { ticket };
    }
    throw new HttpProblem(
      409,
      'idempotency-key-in-progress',
      'a request with this Idempotency-Key is still in progress; retry shortly',
      {},
      { 'Retry-After': '2' },
    );
  }
  return {
    replay: {
      status: prior.status === 201 ? 200 : prior.status,
      body: prior.response.body ?? null,
      location: prior.response.location ?? undefined,
    },
  };
}
