/**
 * `npm start`: the whole stack in one process — with no configuration, an embedded Temporal dev
 * server, embedded PostgreSQL (PGlite) and a local mail outbox — plus the worker and the API.
 * Stops gracefully on SIGINT/SIGTERM.
 */
import { loadConfig } from './config';
import { createLogger } from './log';
import { connectWorker, startRuntime } from './runtime';
import { createApp } from '../api/app';
import { createServiceWorker } from '../workers/worker';
import { fullApiExtras } from '../api/extras';
import { resumeStalledIntakes, wakeExpiredClosedClues } from './services/clues';
import { ensureDigestSchedule } from './reports/digest';
import { requireWebBuild } from '../api/pages/web';

export async function main(): Promise<void> {
  const t0 = Date.now();
  // The workbench is part of the product: without its build there is nothing for people to open.
  requireWebBuild();
  const config = loadConfig();
  const log = createLogger(config.logLevel);
  const rt = await startRuntime(config, log);
  const workerConn = await connectWorker(rt.temporalAddress);
  const { worker, relay } = await createServiceWorker({
    connection: workerConn,
    config,
    orm: rt.ctx.orm,
    mailer: rt.mailer,
    log,
  });
  const workerDone = worker.run();
  await ensureDigestSchedule(rt.ctx.temporal, config.temporal.taskQueue);
  const resumed = await resumeStalledIntakes(rt.ctx);
  if (resumed > 0) log.warn({ resumed }, 'started workflows of clues left half-registered');
  const woken = await wakeExpiredClosedClues(rt.ctx);
  if (woken > 0) log.info({ woken }, 'closed clues past their retention window woken to end');
  const app = createApp(rt.ctx, fullApiExtras);
  const server = app.listen(config.http.port, config.http.host);
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const addr = server.address();
  const url = typeof addr === 'object' && addr ? `http://${config.http.host}:${addr.port}` : String(addr);
  if (rt.seededTokens) {
    // Printed once, on the first start only: they are stored hashed and cannot be shown again.
    process.stdout.write(
      '\nDemo district seeded. User, API token and sign-in password (shown once, keep them):\n',
    );
    for (const [user, token] of Object.entries(rt.seededTokens))
      process.stdout.write(`  ${user.padEnd(16)} ${token}  ${rt.seededPasswords?.[user] ?? ''}\n`);
    process.stdout.write('\n');
  }
  log.info(
    { url, ms: Date.now() - t0, mailOutbox: config.mail.smtpUrl ? undefined : config.mail.outboxDir },
    'ready',
  );
  process.stdout.write(`READY ${url} (${Date.now() - t0} ms)\n`);

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    await new Promise<void>((r) => server.close(() => r()));
    server.closeAllConnections();
    // The SDK's runtime also reacts to SIGINT/SIGTERM and may already be draining the worker.
    if (worker.getState() === 'RUNNING') worker.shutdown();
    await workerDone.catch(() => undefined);
    await relay.stop();
    await workerConn.close();
    await rt.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

if (require.main === module) {
  main().catch((err: unknown) => {
    process.stderr.write(`${(err as Error).message}\n`);
    process.exit(1);
  });
}
