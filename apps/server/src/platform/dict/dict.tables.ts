import type { Generated } from 'kysely';
import type { GeneratedTimestamp } from '../db/schema.ts';

export interface DictTypeTable {
  /** Stable identifier code depends on, e.g. `clue_kind`. */
  code: string;
  name: string;
  description: Generated<string>;
  /** Built-in types are seeded by migrations and cannot be deleted. */
  builtin: Generated<boolean>;
  created_at: GeneratedTimestamp;
}

export interface DictItemTable {
  id: Generated<number>;
  type_code: string;
  /** Stored in business records; fixed for built-in items because code compares against it. */
  value: string;
  label: string;
  /** Value of the parent item of the same type (two-level code tables such as the 12315 categories). */
  parent_value: string | null;
  sort: Generated<number>;
  enabled: Generated<boolean>;
  /** Tag colour on screens (antd preset name or hex), optional. */
  color: string | null;
  builtin: Generated<boolean>;
  created_at: GeneratedTimestamp;
  updated_at: GeneratedTimestamp;
}

/** Row types of this module's tables: dictionaries (码表). Merged into `DB` in platform/db/schema.ts. */
export interface DictTables {
  dict_type: DictTypeTable;
  dict_item: DictItemTable;
}
