import { type Kysely, sql } from 'kysely';
import type { AuditService } from '../audit/audit.service.ts';
import type { DB } from '../db/schema.ts';
import { AppError } from '../errors.ts';
import type { LockoutPolicy } from './auth.settings.ts';

/** Failures older than this no longer count towards a lock: a typo a week does not add up to a lockout. */
const FAILURE_MEMORY_MS = 24 * 3600_000;

export function lockedError(lockedUntil: Date): AppError {
  const minutes = Math.max(1, Math.ceil((lockedUntil.getTime() - Date.now()) / 60_000));
  return new AppError('ACCOUNT_LOCKED', `账号已锁定，请 ${minutes} 分钟后再试`);
}

/**
 * Failed-login lockout, counted per username as typed (see migration 0004): `maxFailures` consecutive failures
 * lock the name for `lockMinutes`, during which even the right password is refused.
 */
export function createLockout(deps: { db: Kysely<DB>; audit: AuditService; policy: () => LockoutPolicy }) {
  const { db, audit } = deps;

  return {
    /** The time the name stays locked until, or null when it is not locked. */
    async lockedUntil(username: string): Promise<Date | null> {
      const row = await db
        .selectFrom('auth_lock')
        .select('locked_until')
        .where('username', '=', username)
        .executeTakeFirst();
      const until = row?.locked_until ? new Date(row.locked_until) : null;
      return until && until.getTime() > Date.now() ? until : null;
    },

    /**
     * Count one failure; returns the lock end when this failure locked the name. The lock is a security event in
     * the audit trail. Runs in its own transaction: the failure must be counted even though the request fails.
     */
    async fail(username: string, who: { userId: number | null; ip: string | null }): Promise<Date | null> {
      const policy = deps.policy();
      const now = new Date();
      const lockedNow = await db.transaction().execute(async (tx) => {
        await tx
          .insertInto('auth_lock')
          .values({ username, failed_count: 0 })
          .onConflict((oc) => oc.column('username').doNothing())
          .execute();
        const row = await tx
          .selectFrom('auth_lock')
          .selectAll()
          .where('username', '=', username)
          .forUpdate()
          .executeTakeFirstOrThrow();
        const lockOver = row.locked_until !== null && new Date(row.locked_until).getTime() <= now.getTime();
        const stale =
          row.last_failed_at !== null &&
          now.getTime() - new Date(row.last_failed_at).getTime() > FAILURE_MEMORY_MS;
        const count = lockOver || stale ? 1 : row.failed_count + 1;
        const until =
          count >= policy.maxFailures ? new Date(now.getTime() + policy.lockMinutes * 60_000) : null;
        await tx
          .updateTable('auth_lock')
          .set({ failed_count: until ? 0 : count, last_failed_at: now, locked_until: until })
          .where('username', '=', username)
          .execute();
        if (until) {
          await audit.record(tx, {
            actor: { id: who.userId, name: username },
            ip: who.ip,
            action: 'auth.lockout',
            objectType: 'user',
            ...(who.userId !== null ? { objectId: who.userId } : {}),
            result: 'success',
            detail: `连续 ${policy.maxFailures} 次登录失败，账号“${username}”锁定 ${policy.lockMinutes} 分钟`,
          });
        }
        return until;
      });
      // Names nobody has failed with for a day (mostly typos and guesses of unknown names) are forgotten.
      await db
        .deleteFrom('auth_lock')
        .where('last_failed_at', '<', new Date(now.getTime() - FAILURE_MEMORY_MS))
        .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', sql<Date>`now()`)]))
        .execute();
      return lockedNow;
    },

    /** A successful sign-in ends the run of failures. */
    async clear(username: string): Promise<void> {
      await db.deleteFrom('auth_lock').where('username', '=', username).execute();
    },
  };
}

export type Lockout = ReturnType<typeof createLockout>;
