import { Migration } from '@mikro-orm/migrations';

/**
 * Every unit is reachable (issue 12): a unit head contact and the unit's WeCom / DingTalk group robots.
 * `dingtalk_secret` holds AES-256-GCM ciphertext under the reporter key (src/notify/robots.ts), never the
 * plain secret. `mail_outbox.channel` lets robot messages share the email outbox and its exactly-once key;
 * for robot rows `to_addr` is the unit id, and the webhook is looked up at send time.
 */
export class Migration20261201222700_unit_contacts extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `alter table "units" add column if not exists "head_name" varchar(255) null, add column if not exists "head_email" varchar(255) null, add column if not exists "wecom_webhook_url" varchar(1000) null, add column if not exists "dingtalk_webhook_url" varchar(1000) null, add column if not exists "dingtalk_secret" text null;`,
    );
    this.addSql(
      `alter table "mail_outbox" add column if not exists "channel" varchar(16) not null default 'email';`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "mail_outbox" drop column if exists "channel";`);
    this.addSql(
      `alter table "units" drop column if exists "head_name", drop column if exists "head_email", drop column if exists "wecom_webhook_url", drop column if exists "dingtalk_webhook_url", drop column if exists "dingtalk_secret";`,
    );
  }
}
