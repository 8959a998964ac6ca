import { Migration } from '@mikro-orm/migrations';

/**
 * A clue's workflow completes once the clue has stayed closed for the retention window (issue 13). The
 * clue row records when, and the state the run carried: a reopening after Temporal has purged the closed
 * run starts the new run from it. A run that projects again clears both.
 */
export class Migration20261202014705_clue_workflow_end extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `alter table "clues" add column if not exists "workflow_ended_at" timestamptz null, add column if not exists "workflow_carried" jsonb null;`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(
      `alter table "clues" drop column if exists "workflow_ended_at", drop column if exists "workflow_carried";`,
    );
  }
}
