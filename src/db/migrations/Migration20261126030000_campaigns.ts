import { Migration } from '@mikro-orm/migrations';

/**
 * Campaigns (notice V, VI.4): the campaign, which units take part, and what each unit filed.
 * `campaign_deliverables` is also read by the district summary report (its column names are a contract).
 */
export class Migration20261126030000_campaigns extends Migration {
  override async up(): Promise<void> {
    this
      .addSql(`create table "campaigns" ("id" varchar(64) not null, "name" varchar(64) not null, "year" int not null,
      "mobilization_start" timestamptz not null, "mobilization_end" timestamptz not null, "implementation_start" timestamptz not null,
      "implementation_end" timestamptz not null, "summary_report_due" timestamptz not null, "phase" varchar(24) not null,
      "status" varchar(16) not null, "min_information" int not null default 3, "max_typical_cases" int not null default 3,
      "policy" jsonb not null, "workflow_id" varchar(128) not null, "created_by" varchar(64) not null,
      "idempotency_key" varchar(200) null, "request_hash" varchar(64) null, "cancelled_by" varchar(64) null, "cancel_reason" text null,
      "ended_at" timestamptz null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(),
      constraint "campaigns_pkey" primary key ("id"));`);
    this.addSql(
      `alter table "campaigns" add constraint "campaigns_idempotency_key_unique" unique ("idempotency_key");`,
    );
    this.addSql(`create index "campaigns_status_created_at_index" on "campaigns" ("status", "created_at");`);

    this
      .addSql(`create table "campaign_units" ("campaign_id" varchar(64) not null, "unit_id" varchar(64) not null, "status" varchar(16) not null,
      "participation" int not null default 1, "joined_at" timestamptz not null, "left_at" timestamptz null, "leave_reason" text null,
      "workflow_id" varchar(200) not null, "implementation_plan_due_at" timestamptz null, "work_information_due_at" timestamptz null,
      "summary_report_due_at" timestamptz null, "overdue_level" int not null default 0, "next_due_at" timestamptz null,
      "updated_at" timestamptz not null default now(), constraint "campaign_units_pkey" primary key ("campaign_id", "unit_id"));`);
    this.addSql(
      `create index "campaign_units_unit_id_status_index" on "campaign_units" ("unit_id", "status");`,
    );

    this
      .addSql(`create table "campaign_deliverables" ("id" serial primary key, "campaign_id" varchar(64) not null, "unit_id" varchar(64) not null,
      "kind" varchar(32) not null, "seq" int not null, "participation" int not null default 1, "content" jsonb not null,
      "filed_at" timestamptz not null, "filed_by" varchar(64) not null, "due_at" timestamptz null, "late" boolean not null default false);`);
    this.addSql(
      `alter table "campaign_deliverables" add constraint "campaign_deliverables_campaign_id_unit_id_kind_seq_unique" unique ("campaign_id", "unit_id", "kind", "seq");`,
    );
    this.addSql(
      `create index "campaign_deliverables_campaign_id_kind_index" on "campaign_deliverables" ("campaign_id", "kind");`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "campaign_deliverables" cascade;`);
    this.addSql(`drop table if exists "campaign_units" cascade;`);
    this.addSql(`drop table if exists "campaigns" cascade;`);
  }
}
