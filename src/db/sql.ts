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
