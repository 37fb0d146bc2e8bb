import { type Kysely, sql } from 'kysely';

// Personal-information vault: wrapped SM4 data keys by version; staff phone numbers encrypted + blind-indexed.
export async function up(db: Kysely<unknown>): Promise<void> {
  for (const stmt of [
    sql`create table pii_key (
      version int primary key check (version > 0),
      wrapped_key text not null,
      state text not null check (state in ('staged','active','retiring','retired')),
      created_at timestamptz not null default now(),
      retired_at timestamptz
    )`,
    // At most one version encrypts new values.
    sql`create unique index pii_key_one_active on pii_key ((true)) where state = 'active'`,
    sql`alter table app_user add column phone_enc text, add column phone_bidx text`,
    sql`create index app_user_phone_bidx_idx on app_user (phone_bidx) where phone_bidx is not null`,
  ]) {
    await stmt.execute(db);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index if exists app_user_phone_bidx_idx`.execute(db);
  await sql`alter table app_user drop column if exists phone_enc, drop column if exists phone_bidx`.execute(
    db,
  );
  await sql`drop table if exists pii_key`.execute(db);
}
