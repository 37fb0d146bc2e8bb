import { AppError } from '../../platform/errors.ts';
import { addressKeys, keyList } from './gis.address.ts';
import { bestMatch, entryKey, findEntries, type GazetteerEntry } from './gis.gazetteer.ts';
import type { GazetteerPrecision } from './gis.tables.ts';
import type { Executor } from './grids.repo.ts';

/**
 * Address → point. Adapters: the local gazetteer (always) and an online service (天地图) when configured. Tests
 * replace the online service by a fake HTTP server behind the same adapter, never by a test-only branch here.
 */
export interface GeocodeResult {
  lon: number;
  lat: number;
  precision: GazetteerPrecision;
  /** The adapter that answered: `local`, `tianditu`. */
  provider: string;
}

export interface Geocoder {
  readonly provider: string;
  /** A point for the address, null when the service has none; throws GeocoderError when the service fails. */
  geocode(address: string): Promise<GeocodeResult | null>;
}

/** A geocoding service that could not answer (as opposed to answering "nothing found"). */
export class GeocoderError extends AppError {
  /** The service refuses every request (bad key): stop asking it for the rest of the run. */
  readonly fatal: boolean;
  constructor(code: string, message: string, opts: { status?: number; fatal?: boolean } = {}) {
    super(code, message, { status: opts.status ?? 502 });
    this.fatal = opts.fatal ?? false;
  }
}

const RANK: Record<GazetteerPrecision, number> = { door: 0, road: 1, village: 2, town: 3 };
/** A result at least this precise ends the chain; a coarser one lets the next provider try to do better. */
const GOOD_ENOUGH = RANK.road;

export const morePrecise = (a: GeocodeResult | null, b: GeocodeResult | null): GeocodeResult | null =>
  !a ? b : !b ? a : RANK[b.precision] < RANK[a.precision] ? b : a;

export const goodEnough = (r: GeocodeResult | null) => r !== null && RANK[r.precision] <= GOOD_ENOUGH;

/** The local gazetteer. `prefetch` loads the entries for a whole batch of addresses in one query. */
export function createLocalGeocoder(db: Executor) {
  let cache = new Map<string, GazetteerEntry>();
  const toResult = (e: GazetteerEntry | null): GeocodeResult | null =>
    e && { lon: e.lon, lat: e.lat, precision: e.precision, provider: 'local' };
  return {
    provider: 'local',
    async prefetch(addresses: readonly string[]): Promise<void> {
      const keys = addresses.flatMap((a) => keyList(addressKeys(a)));
      cache = new Map((await findEntries(db, keys)).map((e) => [entryKey(e), e]));
    },
    /** From the prefetched batch only (no query). */
    cached(address: string): GeocodeResult | null {
      return toResult(bestMatch(address, cache));
    },
    async geocode(address: string): Promise<GeocodeResult | null> {
      const entries = await findEntries(db, keyList(addressKeys(address)));
      return toResult(bestMatch(address, new Map(entries.map((e) => [entryKey(e), e]))));
    },
  };
}
export type LocalGeocoder = ReturnType<typeof createLocalGeocoder>;

/**
 * Ask each provider in turn until one gives a door or road match; otherwise the most precise answer any gave.
 * Errors propagate: the caller decides whether one failure stops the run (see assignLocations).
 */
export async function geocodeInChain(
  chain: readonly Geocoder[],
  address: string,
): Promise<GeocodeResult | null> {
  let best: GeocodeResult | null = null;
  for (const g of chain) {
    best = morePrecise(best, await g.geocode(address));
    if (goodEnough(best)) break;
  }
  return best;
}
