/** Diff the entities against a scratch database migrated to head and write the next migration file. */
import { MikroORM } from '@mikro-orm/postgresql';
import { ensureDatabase, ormConfig } from '../src/db/orm';
import { findOrStartPostgres } from './test-postgres';

async function main() {
  // MIGRATION_DATABASE_URL names a scratch database; else one on the tests' server (found or embedded).
  const pg = process.env.MIGRATION_DATABASE_URL ? undefined : await findOrStartPostgres();
  const url = process.env.MIGRATION_DATABASE_URL ?? `${pg!.url}/disposal_migrations`;
  await ensureDatabase(url);
  const base = ormConfig({ url, poolMax: 1 });
  const orm = await MikroORM.init({
    ...base,
    migrations: { ...base.migrations, path: 'src/db/migrations', pathTs: 'src/db/migrations', emit: 'ts' },
  });
  await orm.getMigrator().up();
  const r = await orm.getMigrator().createMigration('src/db/migrations', false, false, process.argv[2]);
  console.log(r.fileName ? `created ${r.fileName}; add it to src/db/migrations/index.ts` : 'no changes');
  await orm.close();
  await pg?.stop();
}
main().catch((e) => {
  console.error(e);
  process.exit(1);
});
