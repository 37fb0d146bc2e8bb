import { type Kysely, sql } from 'kysely';

// 综合研判 · 自动分拣模型 (supervision/analysis, issue 6): every trained version of the triage model with its
// figures on the held-out split and its bytes (gzipped JSON). Exactly one version per task is active; the
// process-local cache reloads when the active version changes. The shipped model is imported on first start.
export async function up(db: Kysely<unknown>): Promise<void> {
  for (const stmt of [
    sql`create table analysis_model (
      id bigint generated always as identity primary key,
      version text not null unique,
      task text not null default 'triage' check (task in ('triage')),
      active boolean not null default false,
      source text not null default 'trained' check (source in ('shipped', 'trained')),
      metrics jsonb not null,
      trained_on jsonb not null default '{}'::jsonb,
      model bytea not null,
      reason text not null default '',
      decision text not null default '',
      auto_activated boolean not null default false,
      job_id bigint,
      created_at timestamptz not null default now(),
      created_by bigint references app_user(id) on delete set null,
      created_by_name text not null default '系统',
      activated_at timestamptz,
      activated_by_name text
    )`,
    sql`create unique index analysis_model_active_uq on analysis_model (task) where active`,
    sql`create index analysis_model_job_idx on analysis_model (job_id) where job_id is not null`,
  ]) {
    await stmt.execute(db);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table if exists analysis_model cascade`.execute(db);
}
