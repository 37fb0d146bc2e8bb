import { CompiledQuery, type DatabaseConnection, type Dialect, type Driver, type QueryResult } from 'kysely';

/**
 * NOTIFY after commit, not inside it. PostgreSQL keeps a global lock on the notification queue from a notifying
 * transaction's pre-commit to the end of its commit — through the WAL flush — so every transaction that writes
 * and notifies commits one at a time: ≈ 280 commits/s on this class of machine against ≈ 1,460 without
 * (pgbench, 16 clients; docs/performance.md). Every ledger event notifies, so this capped every write path.
 *
 * The wrapped driver holds back the notifications a transaction asks for and sends them on the same connection
 * right after its commit (dropped on rollback), where a notify-only statement writes no WAL and takes the lock
 * only for an instant. Outside a transaction a notification goes at once. Listeners see the same thing as before:
 * nothing from rolled-back work, everything after its commit. If the process dies between commit and notify, the
 * notification is lost — the rows are not; live screens catch up from the ledger (SSE `Last-Event-ID`).
 */
const MARK = '/* rongjian:notify-after-commit */';

/** The statement `notify()` issues; the driver below intercepts it. */
export const NOTIFY_MARK = MARK;

interface Pending {
  channel: string;
  payload: string;
}

export function withNotifyAfterCommit(dialect: Dialect): Dialect {
  return {
    createAdapter: () => dialect.createAdapter(),
    createDriver: () => wrapDriver(dialect.createDriver()),
    createIntrospector: (db) => dialect.createIntrospector(db),
    createQueryCompiler: () => dialect.createQueryCompiler(),
  };
}

async function send(connection: DatabaseConnection, list: readonly Pending[]): Promise<void> {
  await connection.executeQuery(
    CompiledQuery.raw('select pg_notify(c, p) from unnest($1::text[], $2::text[]) as n(c, p)', [
      list.map((n) => n.channel),
      list.map((n) => n.payload),
    ]),
  );
}

function wrapDriver(d: Driver): Driver {
  const innerOf = new WeakMap<DatabaseConnection, DatabaseConnection>();
  /** Present while the connection is in a transaction: what it asked to notify. */
  const held = new WeakMap<DatabaseConnection, Pending[]>();
  const inner = (w: DatabaseConnection) => innerOf.get(w) ?? w;

  return {
    init: (o) => d.init(o),
    async acquireConnection(o) {
      const c = await d.acquireConnection(o);
      const w: DatabaseConnection = {
        async executeQuery<R>(q: CompiledQuery): Promise<QueryResult<R>> {
          if (q.sql.startsWith(MARK)) {
            const [channel, payloads] = q.parameters as [string, string[]];
            const items = payloads.map((payload) => ({ channel, payload }));
            const list = held.get(w);
            if (list) list.push(...items);
            else if (items.length > 0) await send(c, items);
            return { rows: [] };
          }
          return c.executeQuery<R>(q);
        },
        streamQuery: (q, chunkSize) => c.streamQuery(q, chunkSize),
      };
      innerOf.set(w, c);
      return w;
    },
    async beginTransaction(w, settings) {
      await d.beginTransaction(inner(w), settings);
      held.set(w, []);
    },
    async commitTransaction(w) {
      const list = held.get(w) ?? [];
      held.delete(w);
      await d.commitTransaction(inner(w));
      if (list.length === 0) return;
      try {
        await send(inner(w), list);
      } catch {
        // Committed work stays committed; a lost notification is caught up from the ledger.
      }
    },
    async rollbackTransaction(w) {
      held.delete(w);
      await d.rollbackTransaction(inner(w));
    },
    ...(d.savepoint && { savepoint: (w, name, compile) => d.savepoint!(inner(w), name, compile) }),
    ...(d.rollbackToSavepoint && {
      rollbackToSavepoint: (w, name, compile) => d.rollbackToSavepoint!(inner(w), name, compile),
    }),
    ...(d.releaseSavepoint && {
      releaseSavepoint: (w, name, compile) => d.releaseSavepoint!(inner(w), name, compile),
    }),
    releaseConnection: (w, o) => d.releaseConnection(inner(w), o),
    destroy: (o) => d.destroy(o),
  };
}
