import type { GeneratedTimestamp, Timestamp } from '../db/schema.ts';

/**
 * `staged`: a new version every process loads (and can decrypt with) before it is used; `active`: encrypts new
 * values (exactly one); `retiring`: replaced by a newer version while `keys rotate`
 * re-encrypts the values still under it; `retired`: no registered column uses it any more — kept, wrapped, so
 * that values in older backups can still be decrypted.
 */
export type PiiKeyState = 'staged' | 'active' | 'retiring' | 'retired';

export interface PiiKeyTable {
  version: number;
  /** The 16-byte SM4 data key, sealed (SM4-CBC + HMAC-SM3) under the key-encryption key derived from the master key. */
  wrapped_key: string;
  state: PiiKeyState;
  created_at: GeneratedTimestamp;
  retired_at: Timestamp | null;
}

/** Row types of this module's tables: personal-information vault keys. Merged into `DB` in platform/db/schema.ts. */
export interface PiiTables {
  pii_key: PiiKeyTable;
}
