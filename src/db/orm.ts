import { MikroORM, type Options } from '@mikro-orm/postgresql';
import { Migrator } from '@mikro-orm/migrations';
import { entities } from './entities';
import { migrationsList } from './migrations';

export type Orm = MikroORM;

export interface OrmOptions {
  url: string;
  poolMax?: number;
  debug?: boolean;
  /** Where the driver's own warnings go (a broken pooled connection); unset: dropped. */
  log?: { warn(o: object, msg?: string): void };
}

export function ormConfig(o: OrmOptions): Options {
  return {
    clientUrl: o.url,
    entities,
    discovery: { disableDynamicFileAccess: true },
    extensions: [Migrator],
    migrations: { migrationsList, transactional: true, allOrNothing: true, snapshot: false, silent: true },
    pool: { min: 0, max: o.poolMax ?? 10 },
    debug: o.debug ?? false,
    // Activities and handlers always fork; a global context would leak identity maps across requests.
    allowGlobalContext: false,
    forceUtcTimezone: true,
    // knex would print these with console.warn, as plain text beside the JSON log.
    driverOptions: {
      log: {
        warn: (message: unknown) => o.log?.warn({ component: 'knex' }, String(message)),
        error: (message: unknown) => o.log?.warn({ component: 'knex' }, String(message)),
        deprecate: () => undefined,
        debug: () => undefined,
      },
    },
  };
}

/** initORM in the style of mikro-orm/guide: one place that knows how to connect. */
export async function initORM(o: OrmOptions & { migrate?: boolean }): Promise<Orm> {
  const orm = await MikroORM.init(ormConfig(o));
  if (o.migrate ?? true) await orm.getMigrator().up();
  return orm;
}

/** Create the database named in a URL if it does not exist (for tests and first start on a real server). */
export async function ensureDatabase(url: string): Promise<void> {
  const u = new URL(url);
  const name = decodeURIComponent(u.pathname.replace(/^\//, ''));
  if (!name || name === 'postgres') return;
  u.pathname = '/postgres';
  const { Client } = await import('pg');
  const c = new Client({ connectionString: u.toString() });
  await c.connect();
  try {
    const r = await c.query('select 1 from pg_database where datname = $1', [name]);
    if (r.rowCount === 0) await c.query(`create database "${name.replace(/"/g, '""')}"`);
  } catch (err) {
    // Two processes racing to create the same database is fine.
    if (!/already exists/.test(String(err))) throw err;
  } finally {
    await c.end();
  }
}
