import { type Kysely, sql } from 'kysely';

// How many records of a run resolution could not place with certainty and left in the merge queue (主体合并) for a
// person: shown with the run's other counters, so the one who imported knows there is confirming to do.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table exchange_run add column if not exists queued integer not null default 0`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table exchange_run drop column if exists queued`.execute(db);
}
