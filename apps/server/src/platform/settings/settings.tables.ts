import type { Generated } from 'kysely';
import type { GeneratedTimestamp, Json } from '../db/schema.ts';

/** One version of a setting: the value in force from `effective_from` until the next version's date. */
export interface SettingVersionTable {
  id: Generated<number>;
  key: string;
  value: Json;
  /** ISO date `YYYY-MM-DD` (both drivers return `date` columns as text). */
  effective_from: string;
  created_by: string;
  created_by_id: number | null;
  created_at: GeneratedTimestamp;
}

/** Row types of this module's tables: (setting table lives in schema.ts) extra settings tables. Merged into `DB` in platform/db/schema.ts. */
export interface SettingsTables {
  setting_version: SettingVersionTable;
}
