/** jest globalTeardown: stops the PostgreSQL server global-setup.ts started (if it started one). */
import type { PgServer } from '../../scripts/test-postgres';
import { SERVER_KEY } from './global-setup';

export default async function globalTeardown(): Promise<void> {
  const server = (globalThis as Record<string, unknown>)[SERVER_KEY] as PgServer | undefined;
  await server?.stop();
}
