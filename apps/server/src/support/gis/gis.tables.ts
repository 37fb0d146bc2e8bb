import type { ColumnType, Generated } from 'kysely';
import type { GeneratedTimestamp, Json } from '../../platform/db/schema.ts';

/** Where an entity's point came from: the source record, a geocoder, or a person on the map. */
export type GeoSource = 'import' | 'geocoder' | 'manual';
/** How precise the point is: exact coordinates, or the gazetteer level a geocoder matched. */
export type GeoPrecision = 'point' | 'door' | 'road' | 'village' | 'town';
export type GazetteerPrecision = Exclude<GeoPrecision, 'point'>;
export type AssignmentTrigger = 'import' | 'grid' | 'schedule' | 'manual';

/**
 * Columns migration 0015 adds to `entity` (a table of fusion/entities): declared here, next to the code that owns
 * them, and merged into the entity row type by module augmentation.
 */
declare module '../../platform/db/schema.ts' {
  interface EntityTable {
    geo_source: ColumnType<GeoSource | null, GeoSource | null | undefined, GeoSource | null>;
    geo_provider: ColumnType<string | null, string | null | undefined, string | null>;
    geo_precision: ColumnType<GeoPrecision | null, GeoPrecision | null | undefined, GeoPrecision | null>;
    geo_updated_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
    geo_tried_address: ColumnType<string | null, string | null | undefined, string | null>;
    located_lon: ColumnType<number | null, number | null | undefined, number | null>;
    located_lat: ColumnType<number | null, number | null | undefined, number | null>;
    located_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  }
}

/** One entity whose point came from its own data (source or manual): what the gazetteer is built from. */
export interface GisAddressPointTable {
  entity_id: number;
  address: string;
  lon: number;
  lat: number;
  door_key: string | null;
  road_key: string | null;
  village_key: string | null;
  town_key: string | null;
}

/** Normalised address key → mean point of the address points sharing it. */
export interface GisGazetteerTable {
  precision: GazetteerPrecision;
  key: string;
  lon: number;
  lat: number;
  samples: number;
  updated_at: GeneratedTimestamp;
}

export interface AssignmentCounts {
  /** Entities without coordinates that a geocoder placed. */
  geocoded: number;
  /** Entities still without coordinates after every provider was asked. */
  notGeocoded: number;
  /** Points tested against the grids. */
  checked: number;
  /** Points that got a grid they did not have (from none or from another grid). */
  assigned: number;
  /** Of `assigned`, points that changed from one grid to another. */
  moved: number;
  /** Points that lie in no grid (未落格). */
  outside: number;
  unchanged: number;
  /** Address points added to or refreshed in the gazetteer. */
  gazetteerUpdated: number;
  /** The online geocoder's error that stopped it for the rest of the run, if any. */
  geocoderError?: string;
}

export interface GisAssignmentRunTable {
  id: Generated<number>;
  trigger: AssignmentTrigger;
  exchange_run_id: number | null;
  started_at: GeneratedTimestamp;
  finished_at: Date | null;
  counts: Json<Partial<AssignmentCounts>>;
}

/** Row types of this module's tables (migration 0015), merged into `DB` in platform/db/schema.ts. */
export interface GisTables {
  gis_address_point: GisAddressPointTable;
  gis_gazetteer: GisGazetteerTable;
  gis_assignment_run: GisAssignmentRunTable;
}
