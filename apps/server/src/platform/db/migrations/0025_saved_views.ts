import { type Kysely, sql } from 'kysely';

// 保存的筛选 (platform/prefs): a user's named filter sets per list page (the clue list first), kept on the server
// so they follow the user from one browser to another. At most 20 per page and user (checked by the service).
export async function up(db: Kysely<unknown>): Promise<void> {
  for (const stmt of [
    sql`create table saved_view (
      id bigint generated always as identity primary key,
      user_id bigint not null references app_user(id) on delete cascade,
      page text not null,
      name text not null,
      filter jsonb not null default '{}'::jsonb,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )`,
    sql`create unique index saved_view_user_page_name_uq on saved_view (user_id, page, name)`,
  ]) {
    await stmt.execute(db);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table if exists saved_view cascade`.execute(db);
}
