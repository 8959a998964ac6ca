import { Migration } from '@mikro-orm/migrations';

/**
 * The security audit list (GET /api/v1/audit) reads the newest security events. They share audit_log
 * with the per-request write log (actions like `POST /clues`, which contain a space; security action
 * names never do), so without this index a page walks past every logged write. The list's query
 * repeats the predicate so the planner can use it.
 */
export class Migration20261201232800_audit_security_index extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create index if not exists "audit_log_security_id_index" on "audit_log" ("id" desc) where strpos("action", ' ') = 0;`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop index if exists "audit_log_security_id_index";`);
  }
}
