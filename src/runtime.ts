/**
 * Starts what the configuration asks for: real services when TEMPORAL_ADDRESS / DATABASE_URL /
 * SMTP_URL are set, otherwise the embedded ones (dev server, PGlite, mail outbox folder).
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { NativeConnection } from '@temporalio/worker';
import type { Logger } from 'pino';
import { loadOrCreateLocalKey } from './auth/reporter';
import type { Config } from './config';
import type { AppContext } from './context';
import { startEmbeddedPg } from './db/embedded-pg';
import { ensureDatabase, initORM } from './db/orm';
import { createMailer, type Mailer } from './mail/mailer';
import { seedDemoDistrict, seedDemoPasswords } from './seed';
import { connectClient, ensureSearchAttributes } from './temporal/client';
import { startDevServer } from './temporal/dev-server';

export interface Runtime {
  ctx: AppContext;
  mailer: Mailer;
  temporalAddress: string;
  databaseUrl: string;
  /** New demo tokens, only on the very first start. */
  seededTokens?: Record<string, string>;
  /** Their initial passwords (user id → password), likewise only on the very first start. */
  seededPasswords?: Record<string, string>;
  stop(): Promise<void>;
}

export async function startRuntime(
  config: Config,
  log: Logger,
  o: { seed?: boolean } = {},
): Promise<Runtime> {
  const stops: (() => Promise<void>)[] = [];
  try {
    let databaseUrl = config.database.url;
    let poolMax = config.database.poolMax;
    if (!databaseUrl) {
      const pg = await startEmbeddedPg(config.database.dataDir, config.database.embeddedPort);
      stops.push(() => pg.stop());
      databaseUrl = pg.url;
      poolMax = 1; // PGlite is single-connection
      log.info('embedded PostgreSQL (PGlite) started');
    } else {
      await ensureDatabase(databaseUrl);
    }
    const orm = await initORM({ url: databaseUrl, poolMax, migrate: true, log });
    stops.push(() => orm.close());

    let temporalAddress = config.temporal.address;
    if (!temporalAddress) {
      const dev = await startDevServer({
        dataDir: config.database.dataDir,
        port: config.temporal.devPort,
        uiPort: config.temporal.devUiPort || undefined,
        namespace: config.temporal.namespace,
      });
      stops.push(() => dev.stop());
      temporalAddress = dev.address;
      log.info({ address: dev.address, ui: dev.uiUrl }, 'embedded Temporal dev server started');
    }
    const { client, connection } = await connectClient(temporalAddress, config.temporal.namespace);
    stops.push(() => connection.close());
    if (config.temporal.address) await ensureSearchAttributes(connection, config.temporal.namespace);

    const mailer = createMailer(config.mail);
    stops.push(async () => mailer.close());

    const reporterKey = config.reporterKey ?? loadOrCreateLocalKey(config.database.dataDir);
    const ctx: AppContext = { config, orm, temporal: client, reporterKey, log };

    let seededTokens: Record<string, string> | undefined;
    const seed =
      o.seed ?? (config.seedDemo === 'true' || (config.seedDemo === 'auto' && !config.database.url));
    let seededPasswords: Record<string, string> | undefined;
    if (seed) seededTokens = await seedDemoDistrict(orm.em.fork() as EntityManager);
    if (seededTokens)
      seededPasswords = await seedDemoPasswords(orm.em.fork() as EntityManager, Object.keys(seededTokens));

    return {
      ctx,
      mailer,
      temporalAddress,
      databaseUrl,
      seededTokens,
      seededPasswords,
      async stop() {
        for (const s of stops.reverse())
          await s().catch((err: unknown) => log.warn({ err: (err as Error).message }, 'stop failed'));
      },
    };
  } catch (err) {
    for (const s of stops.reverse()) await s().catch(() => undefined);
    throw err;
  }
}

export async function connectWorker(address: string): Promise<NativeConnection> {
  return NativeConnection.connect({ address });
}
