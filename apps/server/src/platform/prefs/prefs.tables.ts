import type { Generated } from 'kysely';
import type { GeneratedTimestamp, Json } from '../db/schema.ts';

export interface SavedViewTable {
  id: Generated<number>;
  user_id: number;
  /** The list page the filter belongs to (`clues`, …). */
  page: string;
  name: string;
  filter: Json;
  created_at: GeneratedTimestamp;
  updated_at: GeneratedTimestamp;
}

/** Row types of this module's tables (migration 0025). Merged into `DB` in platform/db/schema.ts. */
export interface PrefsTables {
  saved_view: SavedViewTable;
}
