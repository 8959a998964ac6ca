/** The API alone (scale out behind a load balancer); needs TEMPORAL_ADDRESS and DATABASE_URL. */
import { loadConfig } from '../src/config';
import { createLogger } from '../src/log';
import { startRuntime } from '../src/runtime';
import { createApp } from './app';
import { fullApiExtras } from './extras';
import { requireWebBuild } from './pages/web';

async function main() {
  requireWebBuild();
  const config = loadConfig();
  const log = createLogger(config.logLevel);
  const rt = await startRuntime(config, log);
  const server = createApp(rt.ctx, fullApiExtras).listen(config.http.port, config.http.host, () =>
    log.info({ port: config.http.port }, 'api ready'),
  );
  const stop = () => server.close(() => void rt.stop().then(() => process.exit(0)));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
main().catch((err: unknown) => {
  process.stderr.write(`${(err as Error).message}\n`);
  process.exit(1);
});
