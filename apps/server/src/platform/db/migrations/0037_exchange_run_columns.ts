import { type Kysely, sql } from 'kysely';

// The columns of a run's file (or API records) in their own order. A rejected row's `raw` is `jsonb`, which keeps
// its keys in an order of its own (shorter first), so the error report listed 统一社会信用代码 — a file's first
// column — last. The report now follows this list.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table exchange_run add column if not exists columns jsonb`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table exchange_run drop column if exists columns`.execute(db);
}
