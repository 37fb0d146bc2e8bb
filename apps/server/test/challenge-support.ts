import type { Kysely } from 'kysely';
import type { DB } from '../src/platform/db/schema.ts';
import { hashAnswer } from '../src/supervision/clues/clues.challenge.ts';

/**
 * Test-only: the answer of a stored challenge, read from the table. Only a salted hash is stored, so the helper
 * tries the (small) answer space against it — what anyone with database access could do, nothing more.
 */
export async function challengeAnswer(db: Kysely<DB>, id: string): Promise<string> {
  const row = await db
    .selectFrom('public_challenge')
    .select('answer_hash')
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
  for (let n = -100; n <= 1000; n++) {
    if (hashAnswer(id, String(n)) === row.answer_hash) return String(n);
  }
  throw new Error(`challenge ${id}: no answer found`);
}
