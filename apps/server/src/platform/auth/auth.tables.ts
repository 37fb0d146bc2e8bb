import type { Generated } from 'kysely';
import type { GeneratedTimestamp, Timestamp } from '../db/schema.ts';

/** Row types of this module's tables: login failures, password history, TOTP. Merged into `DB` in platform/db/schema.ts. */

/** Consecutive failed logins per username as typed (unknown usernames included, see migration 0004). */
export interface AuthLockTable {
  username: string;
  failed_count: Generated<number>;
  last_failed_at: Timestamp | null;
  locked_until: Timestamp | null;
}

/** Every password an account has had, newest last; the last N may not be chosen again. */
export interface PasswordHistoryTable {
  id: Generated<number>;
  user_id: number;
  password_hash: string;
  changed_at: GeneratedTimestamp;
}

/** The TOTP second factor of one account. Secrets are vault tokens (kind 'secret'), never plaintext. */
export interface UserTotpTable {
  user_id: number;
  /** Active secret; null until the first code has been confirmed. */
  secret_enc: string | null;
  /** Secret shown during enrollment, waiting for its first code. */
  pending_secret_enc: string | null;
  enabled_at: Timestamp | null;
  /** RFC 6238 time step of the last accepted code: a code of this step or an earlier one is refused (replay). */
  last_step: number | null;
  updated_at: GeneratedTimestamp;
}

/** What a signed-in session may do before the account is in order (restricted sessions). */
export type SessionRestriction = 'password_change' | 'mfa_enroll';

export interface AuthSecurityTables {
  auth_lock: AuthLockTable;
  password_history: PasswordHistoryTable;
  user_totp: UserTotpTable;
}
