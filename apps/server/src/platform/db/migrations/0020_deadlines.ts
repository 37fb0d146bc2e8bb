import { type Kysely, sql } from 'kysely';

// 法定时限 (platform/deadlines): one row per legal time limit of any subject (a clue, a dispatch order, a case…),
// its pauses (中止) and extensions (延期) with approval. Also completes the stored versions of the complaint rules
// with the 举报核查 limits, and lets a notice be addressed to single users (deadline warnings reach the assignee).
export async function up(db: Kysely<unknown>): Promise<void> {
  for (const stmt of [
    sql`create table deadline (
      id bigint generated always as identity primary key,
      subject_type text not null,
      subject_id text not null,
      subject_label text,
      clue_id bigint,
      department_id bigint,
      assignee_id bigint,
      rule_key text not null,
      label text not null,
      regulation text not null,
      rule_effective_from text not null,
      day_kind text not null check (day_kind in ('working','natural')),
      days integer not null check (days between 1 and 1000),
      max_extension_days integer not null default 0 check (max_extension_days >= 0),
      extension_after_due boolean not null default false,
      extended_days integer not null default 0,
      start_on date not null,
      due_on date not null,
      warn_on date not null,
      status text not null default 'running' check (status in ('running','paused','met','cancelled')),
      warned_at timestamptz,
      overdue_at timestamptz,
      closed_on date,
      closed_at timestamptz,
      closed_by text,
      met_in_time boolean,
      version integer not null default 1,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )`,
    // At most one open deadline per subject and rule: start() is idempotent on it.
    sql`create unique index deadline_open_uq on deadline (subject_type, subject_id, rule_key)
      where status in ('running','paused')`,
    sql`create index deadline_subject_idx on deadline (subject_type, subject_id, id)`,
    sql`create index deadline_clue_idx on deadline (clue_id, id) where clue_id is not null`,
    // The board: open deadlines by due date, overall and per department.
    sql`create index deadline_board_idx on deadline (status, due_on, id)`,
    sql`create index deadline_department_idx on deadline (department_id, status, due_on, id)`,
    // The sweep only looks at what still has to be marked.
    sql`create index deadline_warn_due_idx on deadline (warn_on) where status = 'running' and warned_at is null`,
    sql`create index deadline_overdue_due_idx on deadline (due_on) where status = 'running' and overdue_at is null`,
    sql`create table deadline_pause (
      id bigint generated always as identity primary key,
      deadline_id bigint not null references deadline(id) on delete cascade,
      from_on date not null,
      to_on date,
      reason text not null,
      actor_id bigint,
      actor_name text not null,
      resumed_by text,
      created_at timestamptz not null default now()
    )`,
    sql`create index deadline_pause_deadline_idx on deadline_pause (deadline_id, id)`,
    sql`create unique index deadline_pause_open_uq on deadline_pause (deadline_id) where to_on is null`,
    sql`create table deadline_extension (
      id bigint generated always as identity primary key,
      deadline_id bigint not null references deadline(id) on delete cascade,
      days integer not null check (days > 0),
      reason text not null,
      requested_by bigint,
      requested_by_name text not null,
      requested_at timestamptz not null default now(),
      status text not null default 'pending' check (status in ('pending','approved','rejected')),
      decided_by bigint,
      decided_by_name text,
      decided_at timestamptz,
      note text
    )`,
    sql`create index deadline_extension_deadline_idx on deadline_extension (deadline_id, id)`,
    sql`create unique index deadline_extension_pending_uq on deadline_extension (deadline_id)
      where status = 'pending'`,
    // Notices addressed to single users (in addition to everybody / departments).
    sql`alter table notice add column target_user_ids jsonb not null default '[]'::jsonb`,
    sql`create index notice_target_user_idx on notice using gin (target_user_ids jsonb_path_ops)`,
    // 举报核查 15 个工作日，经批准可延长 15 个工作日 [U]: both seeded rule versions get the new properties.
    sql`update setting_version
      set value = '{"reportVerifyDays":15,"reportVerifyExtensionDays":15}'::jsonb || value
      where key = 'rules.complaintDeadlines'`,
    sql`update setting
      set value = '{"reportVerifyDays":15,"reportVerifyExtensionDays":15}'::jsonb || value
      where key = 'rules.complaintDeadlines'`,
  ]) {
    await stmt.execute(db);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table if exists deadline_extension`.execute(db);
  await sql`drop table if exists deadline_pause`.execute(db);
  await sql`drop table if exists deadline`.execute(db);
  await sql`drop index if exists notice_target_user_idx`.execute(db);
  await sql`alter table notice drop column if exists target_user_ids`.execute(db);
}
