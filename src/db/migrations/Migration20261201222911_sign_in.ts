import { Migration } from '@mikro-orm/migrations';

/**
 * Sign-in for people: a scrypt password hash per user, the failure counter and lock that back off
 * and lock an account, and cookie sessions stored by the SHA-256 of their secret (never the secret).
 * `sign_in_unknown` keeps the same counter for usernames that match no user, so a lockout cannot
 * tell which usernames exist; it holds only a hash of what was typed.
 */
export class Migration20261201222911_sign_in extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `alter table "users" add column if not exists "password_hash" varchar(255) null, add column if not exists "failed_sign_ins" int not null default 0, add column if not exists "locked_until" timestamptz null, add column if not exists "password_changed_at" timestamptz null;`,
    );
    this.addSql(
      `create table if not exists "sessions" ("id" varchar(64) not null, "secret_hash" varchar(64) not null, "user_id" varchar(64) not null, "created_at" timestamptz not null default now(), "last_seen_at" timestamptz not null default now(), "expires_at" timestamptz not null, "csrf_hash" varchar(64) not null, "user_agent" varchar(64) null, constraint "sessions_pkey" primary key ("id"));`,
    );
    this.addSql(
      `alter table "sessions" add constraint "sessions_secret_hash_unique" unique ("secret_hash");`,
    );
    this.addSql(`create index "sessions_user_id_index" on "sessions" ("user_id");`);
    this.addSql(`create index "sessions_expires_at_index" on "sessions" ("expires_at");`);
    this.addSql(
      `create table if not exists "sign_in_unknown" ("name_hash" varchar(64) not null, "failed_sign_ins" int not null, "locked_until" timestamptz not null, constraint "sign_in_unknown_pkey" primary key ("name_hash"));`,
    );
    this.addSql(`create index "sign_in_unknown_locked_until_index" on "sign_in_unknown" ("locked_until");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "sign_in_unknown" cascade;`);
    this.addSql(`drop table if exists "sessions" cascade;`);
    this.addSql(
      `alter table "users" drop column if exists "password_hash", drop column if exists "failed_sign_ins", drop column if exists "locked_until", drop column if exists "password_changed_at";`,
    );
  }
}
