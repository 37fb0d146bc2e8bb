import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { NOTIFY_MARK, withNotifyAfterCommit } from './after-commit.ts';
import { acquireDataDirLock, type DataDirLock } from './datadir-lock.ts';
import type { DB } from './schema.ts';

export type Backend = 'pglite' | 'postgresql';

export interface Database {
  db: Kysely<DB>;
  backend: Backend;
  /** Subscribe to a NOTIFY channel; returns the unsubscribe function. */
  listen(channel: string, onPayload: (payload: string) => void): Promise<() => Promise<void>>;
  /** True when this open had to clean up after a crashed previous run (embedded mode). */
  recoveredFromCrash: boolean;
  close(): Promise<void>;
}

export class DatabaseUnavailableError extends Error {}

// int8 (count(*), bigint ids) as JS numbers and `date` as ISO strings, identically on both backends.
const INT8 = 20;
const DATE = 1082;
const NUMERIC = 1700;
const toNumber = (v: string) => Number(v);
const asText = (v: string) => v;

export interface OpenOptions {
  databaseUrl?: string | undefined;
  /** Directory for PGlite; `undefined` with no URL means an in-memory database (tests). */
  dataDir?: string | undefined;
  /** Load a PGlite data directory dump (tests start from a migrated template). */
  loadDataDir?: Blob;
}

export async function openDatabase(opts: OpenOptions): Promise<Database> {
  return opts.databaseUrl ? openPostgres(opts.databaseUrl) : openPGlite(opts);
}

async function openPGlite(opts: OpenOptions): Promise<Database> {
  const { PGliteDialect } = await import('./pglite-dialect.ts');
  let lock: DataDirLock | undefined;
  if (opts.dataDir) lock = acquireDataDirLock(opts.dataDir);
  let pglite: PGlite;
  try {
    pglite = await PGlite.create({
      ...(opts.dataDir ? { dataDir: opts.dataDir } : {}),
      ...(opts.loadDataDir ? { loadDataDir: opts.loadDataDir } : {}),
      extensions: { pg_trgm },
      // PostgreSQL's default 128 MB of shared buffers lives in the WASM heap and never shrinks; 32 MB keeps the
      // embedded server's idle memory well under 400 MB and is ample for one county's working set.
      postgresqlconf: ['shared_buffers=32MB'],
      parsers: { [INT8]: toNumber, [DATE]: asText, [NUMERIC]: asText },
    });
  } catch (err) {
    lock?.release();
    throw err;
  }
  const db = new Kysely<DB>({ dialect: withNotifyAfterCommit(new PGliteDialect(pglite)) });
  let closed = false;
  return {
    db,
    backend: 'pglite',
    recoveredFromCrash: lock?.recoveredFromCrash ?? false,
    async listen(channel, onPayload) {
      const unsubscribe = await pglite.listen(channel, onPayload);
      return async () => {
        if (!pglite.closed) await unsubscribe();
      };
    },
    async close() {
      if (closed) return;
      closed = true;
      await db.destroy();
      await pglite.close();
      lock?.release();
    },
  };
}

async function openPostgres(url: string): Promise<Database> {
  const types = {
    getTypeParser: (oid: number, format?: string) => {
      if (oid === INT8) return toNumber;
      if (oid === DATE || oid === NUMERIC) return asText;
      return pg.types.getTypeParser(oid, format as 'text');
    },
  };
  const pool = new pg.Pool({ connectionString: url, max: 10, types, connectionTimeoutMillis: 10_000 });
  pool.on('error', () => {
    // An idle client lost its connection; the pool replaces it on next use.
  });
  try {
    const client = await pool.connect();
    client.release();
  } catch (err) {
    await pool.end().catch(() => {});
    throw new DatabaseUnavailableError(
      `无法连接 DATABASE_URL 指定的 PostgreSQL（${redactUrl(url)}）：${(err as Error).message}`,
    );
  }
  const db = new Kysely<DB>({ dialect: withNotifyAfterCommit(new PostgresDialect({ pool })) });
  let listener: pg.Client | undefined;
  const handlers = new Map<string, Set<(payload: string) => void>>();
  let closed = false;

  async function ensureListener(): Promise<pg.Client> {
    if (listener) return listener;
    const client = new pg.Client({ connectionString: url, types });
    client.on('notification', (msg) => {
      for (const h of handlers.get(msg.channel) ?? []) h(msg.payload ?? '');
    });
    client.on('error', () => {});
    await client.connect();
    listener = client;
    return client;
  }

  return {
    db,
    backend: 'postgresql',
    recoveredFromCrash: false,
    async listen(channel, onPayload) {
      const client = await ensureListener();
      let set = handlers.get(channel);
      if (!set) {
        set = new Set();
        handlers.set(channel, set);
        await client.query(`listen ${pg.escapeIdentifier(channel)}`);
      }
      set.add(onPayload);
      return async () => {
        set.delete(onPayload);
      };
    },
    async close() {
      if (closed) return;
      closed = true;
      await listener?.end().catch(() => {});
      await db.destroy();
    },
  };
}

export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(无法解析的地址)';
  }
}

/**
 * Publish a NOTIFY through the given executor. Inside a transaction it is sent right after the commit (never for
 * a rollback) — not as part of it, which would serialise every committing writer (after-commit.ts).
 */
export async function notify(db: Kysely<DB>, channel: string, payload: string): Promise<void> {
  await notifyMany(db, channel, [payload]);
}

/** Several notifications on one channel: held until commit inside a transaction, one statement outside. */
export async function notifyMany(
  db: Kysely<DB>,
  channel: string,
  payloads: readonly string[],
): Promise<void> {
  await sql`${sql.raw(NOTIFY_MARK)} select ${channel}, ${[...payloads]}`.execute(db);
}
