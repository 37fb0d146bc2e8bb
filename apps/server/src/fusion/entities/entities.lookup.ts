import { type Kysely, sql, type Transaction } from 'kysely';
import type { DB } from '../../platform/db/schema.ts';

type Executor = Kysely<DB> | Transaction<DB>;

/** What another module needs to link a record to a market entity (a clue's respondent, an alarm's owner…). */
export interface EntityLink {
  id: number;
  uscc: string | null;
  name: string;
  address: string;
  gridId: number | null;
  stationId: number | null;
  lon: number | null;
  lat: number | null;
}

const base = (db: Executor) =>
  db
    .selectFrom('entity')
    .select(['id', 'uscc', 'name', 'address', 'grid_id', 'station_id', 'lon', 'lat'])
    .where('merged_into', 'is', null);

const toLink = (r: {
  id: number;
  uscc: string | null;
  name: string;
  address: string;
  grid_id: number | null;
  station_id: number | null;
  lon: number | null;
  lat: number | null;
}): EntityLink => ({
  id: Number(r.id),
  uscc: r.uscc,
  name: r.name,
  address: r.address,
  gridId: r.grid_id === null ? null : Number(r.grid_id),
  stationId: r.station_id === null ? null : Number(r.station_id),
  lon: r.lon,
  lat: r.lat,
});

/**
 * The entity a link points at, following 合并 (a merged record answers with the surviving one). No data scope:
 * callers are intake paths (a citizen's complaint names any shop); what they show is their own business.
 */
export async function findEntityLink(
  db: Executor,
  by: { id?: number; uscc?: string; name?: string },
): Promise<EntityLink | undefined> {
  return (await resolveEntityLink(db, by)).link;
}

/**
 * As `findEntityLink`, and when an exact name is shared by several entities (so none links by itself), those
 * entities (up to five) as candidates for a person to choose from.
 */
export async function resolveEntityLink(
  db: Executor,
  by: { id?: number; uscc?: string; name?: string },
): Promise<{ link?: EntityLink; candidates: EntityLink[] }> {
  if (by.id !== undefined) {
    const row = await db
      .selectFrom('entity')
      .select(['id', 'merged_into'])
      .where('id', '=', by.id)
      .executeTakeFirst();
    if (!row) return { candidates: [] };
    const target = row.merged_into === null ? Number(row.id) : Number(row.merged_into);
    const r = await base(db).where('id', '=', target).executeTakeFirst();
    return r ? { link: toLink(r), candidates: [] } : { candidates: [] };
  }
  if (by.uscc) {
    const r = await base(db).where('uscc', '=', by.uscc).executeTakeFirst();
    if (r) return { link: toLink(r), candidates: [] };
  }
  if (by.name && by.name.length >= 4) {
    // Only an exact, unambiguous name links by itself; anything fuzzier is a suggestion for a person.
    // Through the lower(name) index (no index on name itself): a sequential scan cost 2 ms per intake at 20,000.
    const rows = await base(db)
      .where(sql<string>`lower(name)`, '=', sql<string>`lower(${by.name})`)
      .where('name', '=', by.name)
      .orderBy('id')
      .limit(5)
      .execute();
    if (rows.length === 1) return { link: toLink(rows[0]!), candidates: [] };
    return { candidates: rows.map(toLink) };
  }
  return { candidates: [] };
}
