import { type Kysely, sql } from 'kysely';

// Entity search at a million rows (issue 4, performance; figures and the designs measured in docs/performance.md).
//
// pg_trgm cannot serve a pattern shorter than three characters, and two-character Chinese searches (烧烤, 老王)
// are the common case. A GIN index over the set of lower-cased character bigrams of the name finds them:
// `entity_name_bigrams(name) @> entity_name_bigrams('烧烤')` holds exactly when the name contains the fragment.
// It is an expression index, so every insert and update of a name — imports, merges, hand edits — keeps it current
// without a column, trigger or application code. (A stored generated column was measured too: same index, but
// 150 bytes more per row, +78 % table size.) The function is plpgsql: of the bigram functions tried it was the
// fastest (~2.5 µs per name, against ~6 µs for SQL with generate_series and ~7 µs for a regular expression).
//
// A btree on the lower-cased name serves the first tier of the relevance order (the name equal to the fragment)
// without reading the fragment's other matches.
export async function up(db: Kysely<unknown>): Promise<void> {
  for (const stmt of [
    sql`create function entity_name_bigrams(t text) returns text[]
      language plpgsql immutable strict parallel safe as $$
      declare
        l text := lower(t);
        n int := char_length(l);
        r text[] := '{}';
      begin
        for i in 1 .. n - 1 loop
          r := r || substr(l, i, 2);
        end loop;
        return r;
      end
      $$`,
    sql`create index entity_name_bigram_idx on entity using gin (entity_name_bigrams(name))`,
    sql`create index entity_name_lower_idx on entity (lower(name))`,
  ]) {
    await stmt.execute(db);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const stmt of [
    sql`drop index if exists entity_name_lower_idx`,
    sql`drop index if exists entity_name_bigram_idx`,
    sql`drop function if exists entity_name_bigrams(text)`,
  ]) {
    await stmt.execute(db);
  }
}
