import { Migration } from '@mikro-orm/migrations';

/**
 * `mail_outbox.not_before`: a sender's lease on a row while it sends, or the backoff instant after a
 * failed send (src/mail/outbox.ts). Pending rows are retried by the worker's outbox relay instead of by
 * the notifying activity, so an SMTP outage no longer holds up the workflow that wrote them.
 */
export class Migration20261126060000_outbox_relay extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "mail_outbox" add column if not exists "not_before" timestamptz null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "mail_outbox" drop column if exists "not_before";`);
  }
}
