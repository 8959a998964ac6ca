/** `npm run migrate`: apply committed migrations to DATABASE_URL (or the embedded database). */
import { loadConfig } from '../src/config';
import { startEmbeddedPg } from '../src/db/embedded-pg';
import { ensureDatabase, initORM } from '../src/db/orm';

async function main() {
  const config = loadConfig();
  let url = config.database.url;
  let stop: (() => Promise<void>) | undefined;
  if (!url) {
    const pg = await startEmbeddedPg(config.database.dataDir);
    url = pg.url;
    stop = () => pg.stop();
  } else await ensureDatabase(url);
  const orm = await initORM({ url, poolMax: 1, migrate: false });
  const done = await orm.getMigrator().up();
  console.log(done.length ? `applied: ${done.map((m) => m.name).join(', ')}` : 'database is up to date');
  await orm.close();
  await stop?.();
}
main().catch((e: unknown) => {
  console.error((e as Error).message);
  process.exit(1);
});
