import { Migration } from '@mikro-orm/migrations';

/**
 * Read paths measured by bench/ledger.ts (BENCHMARKS.md has the plans before and after):
 * - the overdue list (`GET /api/v1/escalations`: open ones by level desc, then due time) read every open
 *   escalation and sorted it (4.5 ms at 8,000 open rows, growing with them); in index order the LIMIT stops after 100 rows;
 * - the ledger's keyset pages order by (created_at desc, id desc): without a filter that narrows by an
 *   index (the first page of the whole ledger) PostgreSQL sorted every row; in index order it reads one
 *   page. Filtered pages already use (grade, created_at) and stay under a millisecond (plans in BENCHMARKS.md).
 * Hand-written: descending key columns, and `if not exists` so a database that got them by hand is fine.
 */
export class Migration20261126040000_read_indexes extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create index if not exists "escalations_status_level_desc_due_at_index" on "escalations" ("status", "level" desc, "due_at");`,
    );
    this.addSql(
      `create index if not exists "clues_created_at_id_index" on "clues" ("created_at" desc, "id" desc);`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop index if exists "escalations_status_level_desc_due_at_index";`);
    this.addSql(`drop index if exists "clues_created_at_id_index";`);
  }
}
