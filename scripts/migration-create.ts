/** Diff the entities against a scratch database migrated to head and write the next migration file. */
import { MikroORM } from '@mikro-orm/postgresql';
import { ensureDatabase, ormConfig } from '../src/db/orm';

async function main() {
  const url =
    process.env.MIGRATION_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/disposal_migrations';
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
}
main().catch((e) => {
  console.error(e);
  process.exit(1);
});
