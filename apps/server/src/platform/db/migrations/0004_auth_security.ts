import { type Kysely, sql } from 'kysely';

// Authentication hardening: failed-login lockout, password history, TOTP second factor, restricted sessions.
export async function up(db: Kysely<unknown>): Promise<void> {
  for (const stmt of [
    // Keyed by the username as typed, not by account: unknown usernames lock exactly like real ones, so the
    // 423 answer cannot be used to find out which usernames exist.
    sql`create table auth_lock (
      username text primary key,
      failed_count int not null default 0,
      last_failed_at timestamptz,
      locked_until timestamptz
    )`,
    sql`create index auth_lock_last_failed_idx on auth_lock (last_failed_at)`,
    sql`create table password_history (
      id bigint generated always as identity primary key,
      user_id bigint not null references app_user(id) on delete cascade,
      password_hash text not null,
      changed_at timestamptz not null default now()
    )`,
    sql`create index password_history_user_idx on password_history (user_id, id desc)`,
    // The password each existing account has now is the first entry of its history.
    sql`insert into password_history (user_id, password_hash, changed_at)
      select id, password_hash, password_changed_at from app_user`,
    // Secrets are vault tokens (SM4, kind 'secret'); last_step is the RFC 6238 time step of the last accepted
    // code, so a code is accepted at most once.
    sql`create table user_totp (
      user_id bigint primary key references app_user(id) on delete cascade,
      secret_enc text,
      pending_secret_enc text,
      enabled_at timestamptz,
      last_step bigint,
      updated_at timestamptz not null default now()
    )`,
    sql`alter table session add column restriction text
      check (restriction in ('password_change', 'mfa_enroll'))`,
    // The id administrators see and act on; the primary key (hash of the cookie token) never leaves the server.
    sql`alter table session add column public_id text not null default gen_random_uuid()::text`,
    sql`create unique index session_public_id_idx on session (public_id)`,
    sql`alter table session add column seq bigint generated always as identity`,
    sql`create index session_seq_idx on session (seq)`,
    sql`create index session_expires_idx on session (expires_at)`,
  ]) {
    await stmt.execute(db);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const stmt of [
    sql`drop index if exists session_expires_idx`,
    sql`drop index if exists session_seq_idx`,
    sql`alter table session drop column if exists seq`,
    sql`drop index if exists session_public_id_idx`,
    sql`alter table session drop column if exists public_id`,
    sql`alter table session drop column if exists restriction`,
    sql`drop table if exists user_totp`,
    sql`drop table if exists password_history`,
    sql`drop table if exists auth_lock`,
  ]) {
    await stmt.execute(db);
  }
}
