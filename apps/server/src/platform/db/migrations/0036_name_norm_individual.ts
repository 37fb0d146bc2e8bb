import { type Kysely, sql } from 'kysely';

// Entity resolution's name normal form (resolution.normalize.ts) now also drops the 个体工商户 marker 个体 — 城厢镇晓红快餐
// （个体） and 城厢镇晓红快餐 are one name. The normal forms stored before are reset for the names that carry it:
// resolution fills missing normal forms before it next matches (fillMissingNorms, entity_norm_missing_idx), and the
// nightly re-fusion writes them for entities with records. Numbered 0036: 0035 is another change's.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`update entity set name_norm = null where name_norm is not null and name ~ '个[[:space:]　]*体'`.execute(
    db,
  );
}

// Nothing to undo: a reset normal form is computed again, by whichever normaliser runs.
export async function down(): Promise<void> {}
