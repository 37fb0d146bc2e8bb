import type { Generated } from 'kysely';
import type { GeneratedTimestamp, Timestamp } from '../../platform/db/schema.ts';

/** Public channels of 线索归集 (migration 0021): the public form's challenge and the Open311 clients. */
export interface ClueChannelTables {
  public_challenge: {
    id: string;
    /** sha256 of `<id>:<answer>`: the answer itself is never stored. */
    answer_hash: string;
    expires_at: Timestamp;
    used_at: Timestamp | null;
    created_at: GeneratedTimestamp;
  };
  open311_client: {
    id: Generated<number>;
    name: string;
    /** sha256 of the api_key (a random 32-byte key; shown once on creation). */
    api_key_hash: string;
    enabled: Generated<boolean>;
    created_by_name: Generated<string>;
    created_at: GeneratedTimestamp;
    updated_at: GeneratedTimestamp;
    last_used_at: Timestamp | null;
  };
}
