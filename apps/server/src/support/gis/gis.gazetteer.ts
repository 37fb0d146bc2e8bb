import { sql } from 'kysely';
import type { Executor } from './grids.repo.ts';
import { type AddressKeys, addressKeys, keyList, PRECISION_ORDER } from './gis.address.ts';
import type { GazetteerPrecision } from './gis.tables.ts';

/**
 * The local gazetteer: every entity whose point came from its own data (the source record or a person on the map)
 * is an address point; each normalised address key (门牌 / 道路 / 村社区 / 乡镇) maps to the mean of the address
 * points that share it. Geocoded points never feed it, so a guess cannot breed further guesses.
 */
export interface GazetteerEntry {
  precision: GazetteerPrecision;
  key: string;
  lon: number;
  lat: number;
  samples: number;
}

const KEY_COLUMN = {
  door: 'door_key',
  road: 'road_key',
  village: 'village_key',
  town: 'town_key',
} as const satisfies Record<GazetteerPrecision, string>;

/** Entries for any of the keys, in no particular order. */
export async function findEntries(
  db: Executor,
  keys: readonly { precision: GazetteerPrecision; key: string }[],
): Promise<GazetteerEntry[]> {
  if (keys.length === 0) return [];
  return db
    .selectFrom('gis_gazetteer')
    .select(['precision', 'key', 'lon', 'lat', 'samples'])
    .where('key', 'in', [...new Set(keys.map((k) => k.key))])
    .execute();
}

/** The most precise entry that matches the address, or null. */
export function bestMatch(
  address: string,
  entries: ReadonlyMap<string, GazetteerEntry>,
): GazetteerEntry | null {
  for (const { precision, key } of keyList(addressKeys(address))) {
    const e = entries.get(`${precision}:${key}`);
    if (e) return e;
  }
  return null;
}

export const entryKey = (e: { precision: GazetteerPrecision; key: string }) => `${e.precision}:${e.key}`;

/** Keys touched by a refresh, per precision, so their means are recomputed once at the end of a run. */
export type TouchedKeys = Record<GazetteerPrecision, Set<string>>;
export const noTouchedKeys = (): TouchedKeys => ({
  door: new Set(),
  road: new Set(),
  village: new Set(),
  town: new Set(),
});

function touch(touched: TouchedKeys, keys: Partial<AddressKeys> | undefined) {
  if (!keys) return;
  for (const p of PRECISION_ORDER) {
    const k = keys[p];
    if (k) touched[p].add(k);
  }
}

/** A point the entity's own data gave (source record or a person on the map), not a geocoder's guess. */
const OWN_SOURCES = ['import', 'manual'] as const;

/**
 * Refresh the address points of one batch of entities (ids ascending after `afterId`): add those whose own point
 * is new or moved or whose address changed, drop those that no longer have an own point. Returns the last id seen
 * (null when done) and how many points were written.
 */
export async function refreshAddressPoints(
  tx: Executor,
  afterId: number,
  limit: number,
  touched: TouchedKeys,
): Promise<{ lastId: number | null; written: number }> {
  const rows = await tx
    .selectFrom('entity as e')
    .leftJoin('gis_address_point as p', 'p.entity_id', 'e.id')
    .select([
      'e.id',
      'e.address',
      'e.lon',
      'e.lat',
      'e.geo_source',
      'e.merged_into',
      'p.entity_id as point_id',
      'p.door_key',
      'p.road_key',
      'p.village_key',
      'p.town_key',
    ])
    .where('e.id', '>', afterId)
    .where((eb) => {
      const own = eb.and([
        eb('e.geo_source', 'in', OWN_SOURCES),
        eb('e.lon', 'is not', null),
        eb('e.lat', 'is not', null),
        eb('e.merged_into', 'is', null),
      ]);
      return eb.or([
        eb.and([
          own,
          eb.or([
            eb('p.entity_id', 'is', null),
            sql<boolean>`p.lon <> e.lon`,
            sql<boolean>`p.lat <> e.lat`,
            sql<boolean>`p.address <> e.address`,
          ]),
        ]),
        eb.and([eb.not(own), eb('p.entity_id', 'is not', null)]),
      ]);
    })
    .orderBy('e.id')
    .limit(limit)
    .execute();
  if (rows.length === 0) return { lastId: null, written: 0 };

  const stale = rows.filter((r) => r.point_id !== null);
  for (const r of stale) {
    touch(touched, { door: r.door_key, road: r.road_key, village: r.village_key, town: r.town_key });
  }
  if (stale.length > 0) {
    await tx
      .deleteFrom('gis_address_point')
      .where(
        'entity_id',
        'in',
        stale.map((r) => Number(r.id)),
      )
      .execute();
  }
  const fresh = rows
    .filter(
      (r) =>
        r.lon !== null &&
        r.lat !== null &&
        r.merged_into === null &&
        (OWN_SOURCES as readonly string[]).includes(r.geo_source ?? ''),
    )
    .map((r) => ({ r, keys: addressKeys(r.address) }))
    .filter(({ keys }) => keys.town || keys.road || keys.village);
  if (fresh.length > 0) {
    await tx
      .insertInto('gis_address_point')
      .values(
        fresh.map(({ r, keys }) => ({
          entity_id: Number(r.id),
          address: r.address,
          lon: r.lon!,
          lat: r.lat!,
          door_key: keys.door,
          road_key: keys.road,
          village_key: keys.village,
          town_key: keys.town,
        })),
      )
      .execute();
    for (const { keys } of fresh) touch(touched, keys);
  }
  return { lastId: Number(rows[rows.length - 1]!.id), written: fresh.length };
}

/** Recompute the mean point of touched keys (in chunks), and drop keys no address point carries any more. */
export async function recomputeEntries(db: Executor, touched: TouchedKeys): Promise<void> {
  const CHUNK = 2000;
  for (const precision of PRECISION_ORDER) {
    const keys = [...touched[precision]];
    const column = sql.ref(`p.${KEY_COLUMN[precision]}`);
    for (let i = 0; i < keys.length; i += CHUNK) {
      const chunk = keys.slice(i, i + CHUNK);
      await sql`
        insert into gis_gazetteer (precision, key, lon, lat, samples, updated_at)
        select ${precision}, ${column}, avg(p.lon), avg(p.lat), count(*), now()
        from gis_address_point p
        where ${column} in (${sql.join(chunk)})
        group by ${column}
        on conflict (key, precision) do update
          set lon = excluded.lon, lat = excluded.lat, samples = excluded.samples, updated_at = excluded.updated_at
      `.execute(db);
      await sql`
        delete from gis_gazetteer g
        where g.precision = ${precision} and g.key in (${sql.join(chunk)})
          and not exists (select 1 from gis_address_point p where ${column} = g.key)
      `.execute(db);
    }
  }
}
