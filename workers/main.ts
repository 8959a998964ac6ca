/** The worker alone (scale out horizontally on a Temporal cluster). */
import { loadConfig } from '../src/config';
import { createLogger } from '../src/log';
import { connectWorker, startRuntime } from '../src/runtime';
import { createServiceWorker } from './worker';
import { ensureDigestSchedule } from '../src/reports/digest';
import { resumeStalledIntakes, wakeExpiredClosedClues } from '../src/services/clues';

async function main() {
  const config = loadConfig();
  const log = createLogger(config.logLevel);
  const rt = await startRuntime(config, log, { seed: false });
  const conn = await connectWorker(rt.temporalAddress);
  const { worker, relay } = await createServiceWorker({
    connection: conn,
    config,
    orm: rt.ctx.orm,
    mailer: rt.mailer,
    log,
  });
  // The SDK's runtime installs SIGINT/SIGTERM handlers that drain the worker; run() then resolves.
  log.info({ taskQueue: config.temporal.taskQueue }, 'worker running');
  await ensureDigestSchedule(rt.ctx.temporal, config.temporal.taskQueue);
  await resumeStalledIntakes(rt.ctx);
  // After the worker is running: the woken runs need it to take their next workflow task.
  const running = worker.run();
  const woken = await wakeExpiredClosedClues(rt.ctx);
  if (woken > 0) log.info({ woken }, 'closed clues past their retention window woken to end');
  await running;
  await relay.stop();
  await conn.close();
  await rt.stop();
}
main().catch((err: unknown) => {
  process.stderr.write(`${(err as Error).message}\n`);
  process.exit(1);
});
