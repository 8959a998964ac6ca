import { Migration } from '@mikro-orm/migrations';

export class Migration20261126014425 extends Migration {
  override async up(): Promise<void> {
    // Clue reference numbers (XS-<year>-<seq>) come from one sequence so concurrent intakes never collide.
    this.addSql(`create sequence if not exists "clue_seq";`);
    this.addSql(
      `create table "accountability_records" ("id" serial primary key, "key" varchar(300) not null, "unit_id" varchar(64) not null, "owner_type" varchar(16) not null, "owner_id" varchar(64) not null, "owner_ref" varchar(64) not null, "clock_id" varchar(100) not null, "task" varchar(40) not null, "due_at" timestamptz not null, "level" int not null, "recorded_at" timestamptz not null, "resolved_at" timestamptz null);`,
    );
    this.addSql(
      `alter table "accountability_records" add constraint "accountability_records_key_unique" unique ("key");`,
    );
    this.addSql(
      `create index "accountability_records_unit_id_index" on "accountability_records" ("unit_id");`,
    );

    this.addSql(
      `create table "api_tokens" ("id" varchar(64) not null, "user_id" varchar(64) not null, "token_hash" varchar(64) not null, "prefix" varchar(16) not null, "label" varchar(255) not null, "created_at" timestamptz not null default now(), "expires_at" timestamptz null, "revoked_at" timestamptz null, "last_used_at" timestamptz null, constraint "api_tokens_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "api_tokens_user_id_index" on "api_tokens" ("user_id");`);
    this.addSql(
      `alter table "api_tokens" add constraint "api_tokens_token_hash_unique" unique ("token_hash");`,
    );

    this.addSql(
      `create table "audit_log" ("id" serial primary key, "at" timestamptz not null default now(), "actor_id" varchar(64) null, "role" varchar(32) null, "unit_id" varchar(64) null, "action" varchar(64) not null, "target" varchar(128) null, "request_id" varchar(64) null, "details" jsonb not null);`,
    );
    this.addSql(`create index "audit_log_at_index" on "audit_log" ("at");`);
    this.addSql(`create index "audit_log_target_index" on "audit_log" ("target");`);

    this.addSql(
      `create table "clocks" ("key" varchar(200) not null, "owner_type" varchar(16) not null, "owner_id" varchar(64) not null, "clock_id" varchar(100) not null, "task" varchar(40) not null, "unit_id" varchar(64) not null, "label" varchar(255) null, "started_at" timestamptz not null, "due_at" timestamptz not null, "status" varchar(16) not null, "level" int not null default 0, "completed_at" timestamptz null, "late" boolean not null default false, "updated_at" timestamptz not null default now(), constraint "clocks_pkey" primary key ("key"));`,
    );
    this.addSql(`create index "clocks_status_due_at_index" on "clocks" ("status", "due_at");`);
    this.addSql(`create index "clocks_unit_id_status_index" on "clocks" ("unit_id", "status");`);
    this.addSql(`create index "clocks_owner_type_owner_id_index" on "clocks" ("owner_type", "owner_id");`);

    this.addSql(
      `create table "clues" ("id" varchar(64) not null, "ref" varchar(32) not null, "seq" int not null, "source_channel" varchar(32) not null, "description" text not null, "subject_name" varchar(255) not null, "subject_name_norm" varchar(255) not null, "subject_kind" varchar(32) not null, "credit_code" varchar(18) null, "registration_place" varchar(255) null, "operating_place" varchar(255) null, "frequent_changes" boolean not null default false, "key_area" varchar(48) not null, "key_behaviours" text[] not null default '{}', "online" boolean not null default false, "amount_cny" double precision not null, "participants" int not null, "public_opinion" varchar(16) not null, "stability_risk" varchar(16) not null, "targets_vulnerable" boolean not null default false, "reporter_enc" text null, "lead_unit_id" varchar(64) not null, "co_handling_unit_ids" text[] not null default '{}', "duplicate_of_id" varchar(64) null, "risk_score" int not null, "grade" varchar(4) not null, "key_flag" boolean not null default false, "key_clue" boolean not null default false, "stage" varchar(24) not null, "nature" varchar(40) null, "overdue_level" int not null default 0, "next_due_at" timestamptz null, "referred_to_unit_id" varchar(64) null, "idempotency_key" varchar(200) null, "import_key" varchar(200) null, "created_by" varchar(64) not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "closed_at" timestamptz null, constraint "clues_pkey" primary key ("id"));`,
    );
    this.addSql(`alter table "clues" add constraint "clues_ref_unique" unique ("ref");`);
    this.addSql(`alter table "clues" add constraint "clues_seq_unique" unique ("seq");`);
    this.addSql(`create index "clues_subject_name_norm_index" on "clues" ("subject_name_norm");`);
    this.addSql(`create index "clues_credit_code_index" on "clues" ("credit_code");`);
    this.addSql(
      `alter table "clues" add constraint "clues_idempotency_key_unique" unique ("idempotency_key");`,
    );
    this.addSql(`alter table "clues" add constraint "clues_import_key_unique" unique ("import_key");`);
    this.addSql(`create index "clues_lead_unit_id_stage_index" on "clues" ("lead_unit_id", "stage");`);
    this.addSql(`create index "clues_grade_created_at_index" on "clues" ("grade", "created_at");`);
    this.addSql(`create index "clues_key_clue_created_at_index" on "clues" ("key_clue", "created_at");`);

    this.addSql(
      `create table "escalations" ("id" serial primary key, "key" varchar(300) not null, "owner_type" varchar(16) not null, "owner_id" varchar(64) not null, "owner_ref" varchar(64) not null, "clock_id" varchar(100) not null, "task" varchar(40) not null, "unit_id" varchar(64) not null, "level" int not null, "due_at" timestamptz not null, "escalated_at" timestamptz not null, "status" varchar(16) not null, "acknowledged_by" varchar(64) null, "acknowledged_at" timestamptz null, "instruction" text null, "resolved_at" timestamptz null);`,
    );
    this.addSql(`alter table "escalations" add constraint "escalations_key_unique" unique ("key");`);
    this.addSql(
      `create index "escalations_status_level_due_at_index" on "escalations" ("status", "level", "due_at");`,
    );
    this.addSql(`create index "escalations_unit_id_status_index" on "escalations" ("unit_id", "status");`);

    this.addSql(
      `create table "idempotency_keys" ("key" varchar(300) not null, "user_id" varchar(64) not null, "body_hash" varchar(64) not null, "status" int not null, "response" jsonb not null, "created_at" timestamptz not null default now(), constraint "idempotency_keys_pkey" primary key ("key"));`,
    );

    this.addSql(
      `create table "mail_outbox" ("id" serial primary key, "key" varchar(400) not null, "to_addr" varchar(255) not null, "subject" varchar(500) not null, "body" text not null, "message_id" varchar(255) not null, "status" varchar(16) not null, "attempts" int not null default 0, "last_error" text null, "created_at" timestamptz not null default now(), "sent_at" timestamptz null);`,
    );
    this.addSql(`alter table "mail_outbox" add constraint "mail_outbox_key_unique" unique ("key");`);
    this.addSql(
      `create index "mail_outbox_status_created_at_index" on "mail_outbox" ("status", "created_at");`,
    );

    this.addSql(
      `create table "notifications" ("id" serial primary key, "key" varchar(300) not null, "user_id" varchar(64) not null, "unit_id" varchar(64) null, "kind" varchar(32) not null, "subject" varchar(500) not null, "body" text not null, "locale" varchar(8) not null, "owner_type" varchar(16) null, "owner_id" varchar(64) null, "created_at" timestamptz not null default now(), "read_at" timestamptz null);`,
    );
    this.addSql(
      `create index "notifications_user_id_created_at_index" on "notifications" ("user_id", "created_at");`,
    );
    this.addSql(
      `alter table "notifications" add constraint "notifications_key_user_id_unique" unique ("key", "user_id");`,
    );

    this.addSql(
      `create table "referrals" ("id" varchar(100) not null, "clue_id" varchar(64) not null, "seq" int not null, "police_unit_id" varchar(64) not null, "package" jsonb not null, "sent_at" timestamptz not null, "status" varchar(16) not null, "acknowledged_at" timestamptz null, "acknowledged_by" varchar(64) null, "police_case_number" varchar(64) null, "reason" text null, "webhook_status" varchar(32) null, constraint "referrals_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "referrals_police_unit_id_index" on "referrals" ("police_unit_id");`);
    this.addSql(
      `alter table "referrals" add constraint "referrals_clue_id_seq_unique" unique ("clue_id", "seq");`,
    );

    this.addSql(
      `create table "timeline_events" ("id" serial primary key, "key" varchar(300) not null, "owner_type" varchar(16) not null, "owner_id" varchar(64) not null, "kind" varchar(48) not null, "actor_id" varchar(64) null, "actor_role" varchar(32) null, "data" jsonb not null, "at" timestamptz not null);`,
    );
    this.addSql(`alter table "timeline_events" add constraint "timeline_events_key_unique" unique ("key");`);
    this.addSql(
      `create index "timeline_events_owner_type_owner_id_at_index" on "timeline_events" ("owner_type", "owner_id", "at");`,
    );

    this.addSql(
      `create table "units" ("id" varchar(64) not null, "name_zh" varchar(255) not null, "name_en" varchar(255) not null, "kind" varchar(32) not null, "email" varchar(255) null, "active" boolean not null default true, "created_at" timestamptz not null default now(), constraint "units_pkey" primary key ("id"));`,
    );

    this.addSql(
      `create table "users" ("id" varchar(64) not null, "name" varchar(255) not null, "email" varchar(255) not null, "role" varchar(32) not null, "unit_id" varchar(64) null, "is_unit_head" boolean not null default false, "locale" varchar(8) not null default 'zh-CN', "active" boolean not null default true, "created_at" timestamptz not null default now(), constraint "users_pkey" primary key ("id"));`,
    );
    this.addSql(`alter table "users" add constraint "users_email_unique" unique ("email");`);
    this.addSql(`create index "users_role_index" on "users" ("role");`);
    this.addSql(`create index "users_unit_id_index" on "users" ("unit_id");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "accountability_records" cascade;`);

    this.addSql(`drop table if exists "api_tokens" cascade;`);

    this.addSql(`drop table if exists "audit_log" cascade;`);

    this.addSql(`drop table if exists "clocks" cascade;`);

    this.addSql(`drop table if exists "clues" cascade;`);

    this.addSql(`drop table if exists "escalations" cascade;`);

    this.addSql(`drop table if exists "idempotency_keys" cascade;`);

    this.addSql(`drop table if exists "mail_outbox" cascade;`);

    this.addSql(`drop table if exists "notifications" cascade;`);

    this.addSql(`drop table if exists "referrals" cascade;`);

    this.addSql(`drop table if exists "timeline_events" cascade;`);

    this.addSql(`drop table if exists "units" cascade;`);

    this.addSql(`drop table if exists "users" cascade;`);
  }
}
