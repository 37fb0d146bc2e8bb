import { type Kysely, sql } from 'kysely';

// 指挥调度 (supervision/dispatch): routing rules as data, officer availability (请假, 回避), dispatch orders (调度单)
// with the clues they cover and their officers, and the day counter of order numbers (DD + date + sequence).
// analysis_judgment (migration 0030) comes later, so judgment_id carries no foreign key.
export async function up(db: Kysely<unknown>): Promise<void> {
  for (const stmt of [
    sql`create table dispatch_rule (
      id bigint generated always as identity primary key,
      name text not null,
      business_line text null,
      grid_id bigint null references grid(id) on delete cascade,
      station_id bigint null references department(id) on delete cascade,
      module text not null check (module in ('inspection', 'enforcement')),
      department_id bigint not null references department(id),
      priority integer not null default 0,
      enabled boolean not null default true,
      note text not null default '',
      updated_by text not null default '',
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      check (grid_id is null or station_id is null)
    )`,
    sql`create index dispatch_rule_module_idx on dispatch_rule (module) where enabled`,
    sql`create table officer_leave (
      id bigint generated always as identity primary key,
      user_id bigint not null references app_user(id) on delete cascade,
      from_on text not null,
      to_on text not null,
      reason text not null,
      created_by text not null,
      created_at timestamptz not null default now(),
      check (from_on <= to_on)
    )`,
    sql`create index officer_leave_user_idx on officer_leave (user_id, to_on)`,
    sql`create table officer_conflict (
      id bigint generated always as identity primary key,
      user_id bigint not null references app_user(id) on delete cascade,
      entity_id bigint not null references entity(id) on delete cascade,
      reason text not null,
      created_by text not null,
      created_at timestamptz not null default now(),
      unique (user_id, entity_id)
    )`,
    sql`create index officer_conflict_entity_idx on officer_conflict (entity_id)`,
    sql`create table dispatch_day_counter (day text primary key, last integer not null)`,
    sql`create table dispatch_order (
      id bigint generated always as identity primary key,
      number text not null unique,
      module text not null check (module in ('inspection', 'enforcement')),
      status text not null check (status in ('pending', 'signed', 'handling', 'completed', 'returned')),
      title text not null,
      department_id bigint not null references department(id),
      judgment_id bigint null,
      entity_id bigint null references entity(id),
      business_line text null,
      grid_id bigint null references grid(id),
      lng double precision null,
      lat double precision null,
      instructions text not null default '',
      rule_id bigint null references dispatch_rule(id) on delete set null,
      override jsonb null,
      due_on text null,
      pending_transfer jsonb null,
      result jsonb null,
      outcome text null,
      return_reason text null,
      urges jsonb not null default '[]'::jsonb,
      urged_at timestamptz null,
      escalated_at timestamptz null,
      signed_at timestamptz null,
      completed_at timestamptz null,
      created_by bigint null,
      created_by_name text not null,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      version integer not null default 1
    )`,
    // The board: open orders by department and due day; keyset by id.
    sql`create index dispatch_order_dept_status_idx on dispatch_order (department_id, status, id desc)`,
    sql`create index dispatch_order_status_idx on dispatch_order (status, id desc)`,
    sql`create table dispatch_order_clue (
      order_id bigint not null references dispatch_order(id) on delete cascade,
      clue_id bigint not null references clue(id),
      active boolean not null default true,
      primary key (order_id, clue_id)
    )`,
    // At most one open order per clue: the last line of defence behind the clue row lock.
    sql`create unique index dispatch_order_clue_active_uq on dispatch_order_clue (clue_id) where active`,
    sql`create index dispatch_order_clue_clue_idx on dispatch_order_clue (clue_id)`,
    sql`create table dispatch_order_officer (
      order_id bigint not null references dispatch_order(id) on delete cascade,
      user_id bigint not null references app_user(id),
      lead boolean not null default false,
      primary key (order_id, user_id)
    )`,
    sql`create index dispatch_order_officer_user_idx on dispatch_order_officer (user_id)`,
  ]) {
    await stmt.execute(db);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of [
    'dispatch_order_officer',
    'dispatch_order_clue',
    'dispatch_order',
    'dispatch_day_counter',
    'officer_conflict',
    'officer_leave',
    'dispatch_rule',
  ]) {
    await sql`drop table if exists ${sql.raw(t)} cascade`.execute(db);
  }
}
