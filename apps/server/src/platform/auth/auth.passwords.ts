import type { Transaction } from 'kysely';
import type { DB } from '../db/schema.ts';
import { AppError, notFound } from '../errors.ts';
import type { PasswordPolicy } from './auth.settings.ts';
import { hashPassword, verifyPassword } from './password.ts';
import { checkPasswordPolicy } from './password-policy.ts';

/** History kept per account: enough for the largest `historyCount` the policy allows. */
const HISTORY_KEPT = 24;

export interface SetPasswordOptions {
  /** The person must choose a new password at the next sign-in (initial password, administrator reset). */
  mustChange: boolean;
  /** Field name for validation details (the caller's form field); default `password`. */
  field?: string;
}

/**
 * Password changes: policy (length, character classes, no username) and no reuse of the last N passwords. Used
 * for a person's own change and by user administration for new accounts and resets.
 */
export function createPasswordService(deps: { policy: () => PasswordPolicy }) {
  /** Reasons `plain` may not become the account's password (empty: it may). */
  async function problems(tx: Transaction<DB>, userId: number, username: string, plain: string) {
    const policy = deps.policy();
    const reasons = checkPasswordPolicy(policy, plain, { username });
    if (reasons.length === 0 && policy.historyCount > 0) {
      const recent = await tx
        .selectFrom('password_history')
        .select('password_hash')
        .where('user_id', '=', userId)
        .orderBy('id', 'desc')
        .limit(policy.historyCount)
        .execute();
      for (const r of recent) {
        if (await verifyPassword(plain, r.password_hash)) {
          reasons.push(`不能与最近 ${policy.historyCount} 次使用过的密码相同`);
          break;
        }
      }
    }
    return reasons;
  }

  return {
    /**
     * Give an account a new password inside the caller's transaction, enforcing the policy and the history;
     * throws VALIDATION_FAILED with Chinese details. With `mustChange` (an administrator set it) every session of
     * the account ends, because whoever holds one may be the reason for the reset.
     */
    async setUserPassword(
      tx: Transaction<DB>,
      userId: number,
      plain: string,
      opts: SetPasswordOptions,
    ): Promise<void> {
      const user = await tx
        .selectFrom('app_user')
        .select(['username'])
        .where('id', '=', userId)
        .executeTakeFirst();
      if (!user) throw notFound('用户');
      const reasons = await problems(tx, userId, user.username, plain);
      if (reasons.length > 0) {
        const field = opts.field ?? 'password';
        throw new AppError('VALIDATION_FAILED', `密码不符合安全策略：${reasons.join('；')}`, {
          details: reasons.map((message) => ({ path: field, message })),
        });
      }
      const hash = await hashPassword(plain);
      const now = new Date();
      await tx
        .updateTable('app_user')
        .set({
          password_hash: hash,
          password_changed_at: now,
          must_change_password: opts.mustChange,
          updated_at: now,
        })
        .where('id', '=', userId)
        .execute();
      await tx
        .insertInto('password_history')
        .values({ user_id: userId, password_hash: hash, changed_at: now })
        .execute();
      await tx
        .deleteFrom('password_history')
        .where('user_id', '=', userId)
        .where(
          'id',
          'not in',
          tx
            .selectFrom('password_history')
            .select('id')
            .where('user_id', '=', userId)
            .orderBy('id', 'desc')
            .limit(HISTORY_KEPT),
        )
        .execute();
      if (opts.mustChange) await tx.deleteFrom('session').where('user_id', '=', userId).execute();
    },
  };
}

export type PasswordService = ReturnType<typeof createPasswordService>;
