import type { Generated } from 'kysely';
import type { GeneratedTimestamp } from '../../platform/db/schema.ts';

/** Text messages to citizens (migration 0022). The phone number is sealed by the PII vault. */
export interface SmsOutboxTable {
  id: Generated<number>;
  clue_id: number | null;
  party_id: number | null;
  department_id: number | null;
  phone_enc: string;
  template: string;
  text: string;
  gateway: string;
  status: 'sent' | 'failed';
  error: string | null;
  actor_name: Generated<string>;
  created_at: GeneratedTimestamp;
}

export interface SmsCredentialTable {
  id: number;
  key_enc: string | null;
  updated_at: GeneratedTimestamp;
}

export interface SmsTables {
  sms_outbox: SmsOutboxTable;
  sms_credential: SmsCredentialTable;
}
