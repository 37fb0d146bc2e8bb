import { type Kysely, sql } from 'kysely';

// Every intake asks for the clue's split relatives (`id = root or split_from_id = root`, clues.duplicates.ts). Without
// an index on split_from_id that is a sequential scan of the whole clue table per intake — invisible at 20,000 clues,
// the bottleneck at 1,000,000 (found by `npm run bench -- clues`). Split parts are rare, so the index is partial.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create index clue_split_from_idx on clue (split_from_id) where split_from_id is not null`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index if exists clue_split_from_idx`.execute(db);
}
