/** jest globalTeardown: stops the PostgreSQL server global-setup.ts started (if it started one), drops the bundle. */
import fs from 'node:fs';
import type { PgServer } from '../../scripts/test-postgres';
import { BUNDLE_KEY, SERVER_KEY } from './global-setup';

export default async function globalTeardown(): Promise<void> {
  const g = globalThis as Record<string, unknown>;
  const server = g[SERVER_KEY] as PgServer | undefined;
  const bundleDir = g[BUNDLE_KEY] as string | undefined;
  if (bundleDir) fs.rmSync(bundleDir, { recursive: true, force: true });
  await server?.stop();
}
