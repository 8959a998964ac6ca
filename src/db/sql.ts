import type { EntityManager } from '@mikro-orm/postgresql';

/** Raw SQL on an EntityManager, inside its transaction when there is one (a pool of 1 would deadlock otherwise). */
export function sql<T = Record<string, unknown>[]>(
  em: EntityManager,
  query: string,
  params: unknown[] = [],
): Promise<T> {
  return em
    .getConnection()
    .execute<T extends unknown[] ? T : never>(query, params, 'all', em.getTransactionContext()) as Promise<T>;
}

/** A PostgreSQL text[] literal, e.g. for `= any(?::text[])`. */
export function pgTextArray(xs: string[]): string {
  return `{${xs.map((x) => `"${x.replace(/(["\\])/g, '\\$1')}"`).join(',')}}`;
}

/** Escapes LIKE wildcards so user text matches literally. */
export function likeEscape(s: string): string {
  return s.replace(/[\\%_]/g, (m) => `\\${m}`);
}
