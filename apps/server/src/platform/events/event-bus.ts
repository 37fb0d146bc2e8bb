import type { Kysely } from 'kysely';
import type { SessionUser } from '../auth/auth.service.ts';
import type { Database } from '../db/database.ts';
import type { DB } from '../db/schema.ts';
import { eventsByIds, LEDGER_CHANNEL, type LedgerEvent } from '../ledger/ledger.service.ts';

export type EventHandler = (event: LedgerEvent) => void;

/**
 * Fans ledger events out to in-process subscribers (SSE streams, reactions). The trigger is PostgreSQL's
 * NOTIFY on commit — from any node in server mode, in-process inside PGlite — so every node sees every event.
 */
export function createEventBus(database: Database) {
  const handlers = new Set<EventHandler>();
  let unlisten: (() => Promise<void>) | undefined;
  let pending: number[] = [];
  let flushing: Promise<void> | undefined;

  async function flush(db: Kysely<DB>) {
    while (pending.length > 0) {
      const ids = pending;
      pending = [];
      try {
        for (const event of await eventsByIds(db, ids)) {
          for (const h of handlers) {
            try {
              h(event);
            } catch {
              // One failing subscriber must not starve the others.
            }
          }
        }
      } catch {
        // Database closing; the events stay in the ledger and are replayed through Last-Event-ID.
      }
    }
    flushing = undefined;
  }

  return {
    async start(): Promise<void> {
      if (unlisten) return;
      unlisten = await database.listen(LEDGER_CHANNEL, (payload) => {
        const id = Number(payload);
        if (!Number.isSafeInteger(id)) return;
        pending.push(id);
        flushing ??= Promise.resolve().then(() => flush(database.db));
      });
    },
    subscribe(handler: EventHandler): () => void {
      handlers.add(handler);
      return () => handlers.delete(handler);
    },
    /** Resolves once every notification received so far has been delivered (tests, shutdown). */
    async drain(): Promise<void> {
      while (flushing) await flushing;
    },
    async stop(): Promise<void> {
      await unlisten?.();
      unlisten = undefined;
      handlers.clear();
    },
  };
}

export type EventBus = ReturnType<typeof createEventBus>;

/** Whether `user` may see `event`: department-scoped events follow the user's data scope. */
export function canSeeEvent(user: SessionUser, event: LedgerEvent): boolean {
  if (user.scope.all || event.departmentId === null) return true;
  if (user.scope.departmentIds.includes(event.departmentId)) return true;
  return user.scope.self && event.actorId === user.id;
}
