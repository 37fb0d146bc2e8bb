import { randomBytes } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../db/schema.ts';
import type { SessionRestriction } from './auth.tables.ts';
import { sm3 } from './auth.user.ts';

type Executor = Kysely<DB> | Transaction<DB>;

export interface SessionLimits {
  idleMinutes: number;
  maxHours: number;
}

/** A session row that is still alive under `limits` (the limits may have been tightened since it was opened). */
export interface LiveSession {
  id: string;
  userId: number;
  restriction: SessionRestriction | null;
}

/** The columns of a session row that decide whether it is still alive. */
export interface SessionRow {
  id: string;
  user_id: number;
  created_at: Date | string;
  last_seen_at: Date | string;
  expires_at: Date | string;
  restriction: SessionRestriction | null;
}

/** Touch `last_seen_at` at most once a minute: a busy page should not turn every read into a write. */
const TOUCH_EVERY_MS = 60_000;

/**
 * Sessions live in the database (any API node serves any user). The cookie holds a random 256-bit token; the
 * table keeps only its SM3 hash, so a database reader cannot take over a session.
 */
export function createSessionStore(deps: { db: Kysely<DB>; limits: () => SessionLimits }) {
  const { db } = deps;

  return {
    async open(
      ex: Executor,
      input: {
        userId: number;
        ip: string | null;
        userAgent: string | null;
        restriction: SessionRestriction | null;
      },
    ): Promise<{ token: string; id: string }> {
      const token = randomBytes(32).toString('base64url');
      const id = sm3(token);
      const { maxHours } = deps.limits();
      await ex
        .insertInto('session')
        .values({
          id,
          user_id: input.userId,
          expires_at: new Date(Date.now() + maxHours * 3600_000),
          ip: input.ip,
          user_agent: input.userAgent?.slice(0, 500) ?? null,
          restriction: input.restriction,
        })
        .execute();
      return { token, id };
    },

    /** The session of a cookie token, sliding its idle timeout; null (and the row removed) when it ran out. */
    async resolve(token: string): Promise<LiveSession | null> {
      const id = sm3(token);
      const row = await db
        .selectFrom('session')
        .select(['id', 'user_id', 'created_at', 'last_seen_at', 'expires_at', 'restriction'])
        .where('id', '=', id)
        .executeTakeFirst();
      return row ? this.keepAlive(row) : null;
    },

    /**
     * A session row read by the caller (e.g. joined with its account): null, and the row removed, when it ran out
     * under the limits in force; else its idle timeout slides.
     */
    async keepAlive(row: SessionRow): Promise<LiveSession | null> {
      const now = Date.now();
      const { idleMinutes, maxHours } = deps.limits();
      const lastSeen = new Date(row.last_seen_at).getTime();
      if (
        new Date(row.expires_at).getTime() <= now ||
        new Date(row.created_at).getTime() + maxHours * 3600_000 <= now ||
        lastSeen + idleMinutes * 60_000 <= now
      ) {
        await db.deleteFrom('session').where('id', '=', row.id).execute();
        return null;
      }
      if (now - lastSeen > TOUCH_EVERY_MS) {
        await db
          .updateTable('session')
          .set({ last_seen_at: new Date(now) })
          .where('id', '=', row.id)
          .execute();
      }
      return { id: row.id, userId: row.user_id, restriction: row.restriction };
    },

    async setRestriction(ex: Executor, id: string, restriction: SessionRestriction | null): Promise<void> {
      await ex.updateTable('session').set({ restriction }).where('id', '=', id).execute();
    },

    async close(ex: Executor, token: string): Promise<void> {
      await ex.deleteFrom('session').where('id', '=', sm3(token)).execute();
    },

    /** End every other session of the account (after a password change). */
    async closeOthers(ex: Executor, userId: number, keepId: string): Promise<void> {
      await ex.deleteFrom('session').where('user_id', '=', userId).where('id', '!=', keepId).execute();
    },

    /** Sessions past their absolute lifetime are gone for good; idle ones are removed when next seen. */
    async sweepExpired(): Promise<void> {
      await db.deleteFrom('session').where('expires_at', '<=', new Date()).execute();
    },
  };
}

export type SessionStore = ReturnType<typeof createSessionStore>;
