/**
 * `npm start`: the whole stack in one process — with no configuration, an embedded Temporal dev
 * server, embedded PostgreSQL (PGlite) and a local mail outbox — plus the worker and the API.
 * Stops gracefully on SIGINT/SIGTERM.
 */
import http from 'node:http';
import { loadConfig } from './config';
import { createLogger } from './log';
import { connectWorker, startRuntime } from './runtime';
import { createApp } from '../api/app';
import { createServiceWorker } from '../workers/worker';
import { fullApiExtras } from '../api/extras';
import { resumeStalledIntakes, wakeExpiredClosedClues } from './services/clues';
import { ensureDigestSchedule } from './reports/digest';
import { requireWebBuild } from '../api/pages/web';
import { PROBLEM_BASE } from '../api/problem';

export async function main(): Promise<void> {
  const t0 = Date.now();
  // The workbench is part of the product: without its build there is nothing for people to open.
  requireWebBuild();
  const config = loadConfig();
  const log = createLogger(config.logLevel);
  // The HTTP port first: a port in use stops the start at once, before anything else has started,
  // and nothing started after (the embedded Temporal dev server takes free ports) can take it.
  // Until the stack is up every request is answered 503 with Retry-After.
  let handle: http.RequestListener = starting;
  const server = http.createServer((req, res) => handle(req, res));
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', (err) =>
      reject(
        new Error(`cannot listen on ${config.http.host}:${config.http.port} (HOST, PORT): ${err.message}`),
      ),
    );
    server.listen(config.http.port, config.http.host);
  });
  const rt = await startRuntime(config, log).catch(async (err: unknown) => {
    await new Promise((r) => server.close(r));
    throw err;
  });
  let workerConn: Awaited<ReturnType<typeof connectWorker>> | undefined;
  let started: Awaited<ReturnType<typeof createServiceWorker>> | undefined;
  let workerDone: Promise<void> | undefined;
  try {
    workerConn = await connectWorker(rt.temporalAddress);
    started = await createServiceWorker({
      connection: workerConn,
      config,
      orm: rt.ctx.orm,
      mailer: rt.mailer,
      log,
    });
    workerDone = started.worker.run();
    await ensureDigestSchedule(rt.ctx.temporal, config.temporal.taskQueue);
    const resumed = await resumeStalledIntakes(rt.ctx);
    if (resumed > 0) log.warn({ resumed }, 'started workflows of clues left half-registered');
    const woken = await wakeExpiredClosedClues(rt.ctx);
    if (woken > 0) log.info({ woken }, 'closed clues past their retention window woken to end');
  } catch (err) {
    // What did start is stopped, the embedded Temporal dev server and PostgreSQL included, so a
    // failed start leaves no process behind.
    await new Promise((r) => server.close(r));
    if (started?.worker.getState() === 'RUNNING') started.worker.shutdown();
    await workerDone?.catch(() => undefined);
    await started?.relay.stop();
    await workerConn?.close().catch(() => undefined);
    await rt.stop();
    throw err;
  }
  const { worker, relay } = started;
  handle = createApp(rt.ctx, fullApiExtras);
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

/** The answer while the stack starts: the port is bound, the app is not ready yet. */
const starting: http.RequestListener = (_req, res) => {
  res.writeHead(503, { 'content-type': 'application/problem+json', 'retry-after': '2' });
  res.end(
    JSON.stringify({
      type: `${PROBLEM_BASE}service-unavailable`,
      title: 'Service temporarily unavailable',
      status: 503,
      detail: 'starting',
    }),
  );
};

if (require.main === module) {
  main().catch((err: unknown) => {
    process.stderr.write(`${(err as Error).message}\n`);
    process.exit(1);
  });
}
