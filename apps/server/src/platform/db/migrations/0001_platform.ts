import { type Kysely, sql } from 'kysely';

// Settings, the flow ledger (append-only) and the job queue.
export async function up(db: Kysely<unknown>): Promise<void> {
  for (const stmt of [
    sql`create extension if not exists pg_trgm`,
    sql`create table setting (
      key text primary key,
      value jsonb not null,
      updated_at timestamptz not null default now(),
      updated_by text
    )`,
    sql`create table ledger_event (
      id bigint generated always as identity primary key,
      occurred_at timestamptz not null default clock_timestamp(),
      actor_id bigint,
      actor_name text not null,
      subject_type text not null,
      subject_id text not null,
      clue_id bigint,
      department_id bigint,
      kind text not null,
      payload jsonb not null default '{}'::jsonb
    )`,
    sql`create index ledger_event_subject_idx on ledger_event (subject_type, subject_id, id)`,
    sql`create index ledger_event_clue_idx on ledger_event (clue_id, id) where clue_id is not null`,
    // The ledger is append-only: no statement may change or remove an event.
    sql`create function ledger_event_is_append_only() returns trigger language plpgsql as $$
      begin
        raise exception 'ledger_event is append-only (% refused)', tg_op using errcode = 'P0001';
      end $$`,
    sql`create trigger ledger_event_no_update before update or delete on ledger_event
      for each row execute function ledger_event_is_append_only()`,
    sql`create trigger ledger_event_no_truncate before truncate on ledger_event
      for each statement execute function ledger_event_is_append_only()`,
    sql`create table job (
      id bigint generated always as identity primary key,
      name text not null,
      payload jsonb not null default '{}'::jsonb,
      status text not null default 'pending' check (status in ('pending','running','succeeded','dead')),
      attempts int not null default 0,
      max_attempts int not null default 5,
      run_at timestamptz not null default now(),
      locked_by text,
      lease_until timestamptz,
      last_error text,
      dedupe_key text unique,
      created_at timestamptz not null default now(),
      finished_at timestamptz
    )`,
    sql`create index job_claim_idx on job (run_at, id) where status = 'pending'`,
    sql`create index job_lease_idx on job (lease_until) where status = 'running'`,
    sql`create table job_schedule (
      name text primary key,
      cron text not null,
      job_name text not null,
      payload jsonb not null default '{}'::jsonb,
      enabled boolean not null default true,
      last_fired_at timestamptz
    )`,
  ]) {
    await stmt.execute(db);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of ['job_schedule', 'job', 'ledger_event', 'setting']) {
    await sql`drop table if exists ${sql.table(t)} cascade`.execute(db);
  }
  await sql`drop function if exists ledger_event_is_append_only`.execute(db);
}
