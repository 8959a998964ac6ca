/**
 * Writes the OpenAPI document exactly as the API serves it at /api/v1/openapi.json, without a
 * database, Temporal or an open port: the app is built with a context whose services are never
 * touched, and the document route is called in-process. The web app's typed client is generated
 * from it (`npm run gen:api`), so a schema change breaks the web build rather than a user.
 * Usage: `tsx scripts/openapi-dump.ts [out.json]` (default: stdout).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { createApp } from '../api/app';
import { fullApiExtras } from '../api/extras';
import { loadConfig } from '../src/config';
import type { AppContext } from '../src/context';

async function main() {
  const config = loadConfig({
    TEMPORAL_ADDRESS: 'unused:7233',
    DATABASE_URL: 'postgresql://unused@127.0.0.1:1/unused',
    LOG_LEVEL: 'silent',
  });
  const ctx = { config, orm: {}, temporal: {}, reporterKey: '0'.repeat(64), log: pino({ level: 'silent' }) };
  const app = createApp(ctx as unknown as AppContext, { ...fullApiExtras, pages: undefined });
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((r) => server.once('listening', () => r()));
  try {
    const port = (server.address() as AddressInfo).port;
    const res = await fetch(`http://127.0.0.1:${port}/api/v1/openapi.json`);
    if (!res.ok) throw new Error(`openapi-dump: GET /api/v1/openapi.json answered ${res.status}`);
    const doc = JSON.stringify(await res.json(), null, 2) + '\n';
    const out = process.argv[2];
    if (out) {
      fs.mkdirSync(path.dirname(path.resolve(out)), { recursive: true });
      fs.writeFileSync(out, doc);
      process.stderr.write(`openapi-dump: ${out}\n`);
    } else {
      process.stdout.write(doc);
    }
  } finally {
    server.closeAllConnections();
    server.close();
  }
}

main()
  .then(() => process.exit(0))
  .catch((err: unknown) => {
    process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
    process.exit(1);
  });
