import { type Kysely, sql, type Transaction } from 'kysely';
import { json } from '../db/json.ts';
import type { DB } from '../db/schema.ts';
import {
  AUDIT_CHAIN_LOCK,
  buildSummary,
  type ChainContent,
  chainHash,
  cleanText,
  GENESIS_HASH,
} from './audit.chain.ts';
import type { AuditResult } from './audit.tables.ts';

import { verifyChain } from './audit.verify.ts';

export { verifyChain, type VerifyResult } from './audit.verify.ts';

/**
 * The audit trail (DB3205/T 1112-2024 security audit): every mutating request and every security event becomes
 * one append-only, hash-chained record; login attempts additionally go to the login log. Records are written in
 * the caller's transaction when one is passed, so a change and its audit record commit together.
 */

export type Executor = Kysely<DB> | Transaction<DB>;

export interface AuditActor {
  id: number | null;
  name: string;
}

export interface AuditEntry {
  /** `null`: nobody signed in (e.g. an anonymous request). */
  actor: AuditActor | null;
  ip?: string | null;
  /** Dotted action name, e.g. `auth.login`, `system.user.update`, `pii.reveal`. */
  action: string;
  objectType?: string;
  objectId?: string | number;
  result: AuditResult;
  before?: unknown;
  after?: unknown;
  detail?: string;
}

export interface LoginEntry {
  userId: number | null;
  username: string;
  ip: string | null | undefined;
  userAgent: string | null | undefined;
  result: AuditResult;
  /** Chinese reason: 成功 / 用户名或密码错误 / 账号已锁定 / 需要动态口令 … */
  reason: string;
}

export const ANONYMOUS_ACTOR_NAME = '匿名';

/** The hash of the newest record, live table first (archived records are always older). */
async function lastHash(tx: Executor): Promise<string> {
  const live = await tx
    .selectFrom('audit_log')
    .select('hash')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (live) return live.hash;
  const archived = await tx
    .selectFrom('audit_archive')
    .select('hash')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return archived?.hash ?? GENESIS_HASH;
}

/** Take the chain lock for the rest of the transaction: appends happen one at a time, in id order. */
export async function lockChain(tx: Transaction<DB>): Promise<void> {
  await sql`select pg_advisory_xact_lock(${AUDIT_CHAIN_LOCK})`.execute(tx);
}

/** Append records in order through one chain lock: ids, times and hashes follow the order given. */
async function appendMany(tx: Transaction<DB>, entries: readonly AuditEntry[]): Promise<number[]> {
  await lockChain(tx);
  let prevHash = await lastHash(tx);
  const seq = await sql<{ id: string }>`
    select nextval(pg_get_serial_sequence('audit_log', 'id')) as id
    from generate_series(1, ${entries.length}::int) as g(n) order by g.n`.execute(tx);
  const rows = entries.map((entry, i) => {
    const id = Number(seq.rows[i]?.id);
    const content: ChainContent = {
      id,
      // Chosen here, after taking the lock, so time order follows chain order and the verifier can recompute it.
      occurredAt: new Date().toISOString(),
      actorId: entry.actor?.id ?? null,
      actorName: cleanText(entry.actor?.name, 200) || ANONYMOUS_ACTOR_NAME,
      ip: cleanText(entry.ip, 100),
      action: cleanText(entry.action, 200) ?? '',
      objectType: cleanText(entry.objectType, 100),
      objectId: entry.objectId === undefined ? null : cleanText(String(entry.objectId), 200),
      result: entry.result,
      summary: buildSummary(entry.before, entry.after),
      detail: cleanText(entry.detail),
    };
    const hash = chainHash(prevHash, content);
    const row = {
      id,
      occurred_at: content.occurredAt,
      actor_id: content.actorId,
      actor_name: content.actorName,
      ip: content.ip,
      action: content.action,
      object_type: content.objectType,
      object_id: content.objectId,
      result: content.result,
      summary: json(content.summary),
      detail: content.detail,
      prev_hash: prevHash,
      hash,
    };
    prevHash = hash;
    return row;
  });
  await tx.insertInto('audit_log').values(rows).execute();
  return rows.map((r) => r.id);
}

const MAX_BATCH = 200;

/**
 * Group commit for records written outside a caller's transaction (every mutating request's record). The chain
 * lock is held from the first statement to the commit, including every round trip to this process; with one
 * transaction per record, concurrent requests queued behind it (≈ 75 records/s at 16 concurrent intakes). Records
 * that arrive while a batch is being written go together in the next one: each caller still resolves only after
 * its record has committed. A failing batch is retried record by record, so one bad record fails alone.
 */
function createGroupWriter(db: Kysely<DB>) {
  let pending: { entry: AuditEntry; resolve: () => void; reject: (e: unknown) => void }[] = [];
  let running = false;
  async function drain() {
    running = true;
    while (pending.length > 0) {
      const batch = pending.slice(0, MAX_BATCH);
      pending = pending.slice(batch.length);
      try {
        await db.transaction().execute((tx) =>
          appendMany(
            tx,
            batch.map((b) => b.entry),
          ),
        );
        for (const b of batch) b.resolve();
      } catch (err) {
        if (batch.length === 1) {
          batch[0]?.reject(err);
          continue;
        }
        for (const b of batch) {
          await db
            .transaction()
            .execute((tx) => appendMany(tx, [b.entry]))
            .then(b.resolve, b.reject);
        }
      }
    }
    running = false;
  }
  return (entry: AuditEntry) =>
    new Promise<void>((resolve, reject) => {
      pending.push({ entry, resolve, reject });
      if (!running) void drain();
    });
}

export function createAuditService(deps: { db: Kysely<DB> }) {
  const { db } = deps;
  const writers = new WeakMap<Kysely<DB>, ReturnType<typeof createGroupWriter>>();

  return {
    /** Append one record to the chain, inside `executor`'s transaction when it is one (else in a short one). */
    async record(executor: Executor, entry: AuditEntry): Promise<void> {
      if (executor.isTransaction) {
        await appendMany(executor as Transaction<DB>, [entry]);
        return;
      }
      let write = writers.get(executor);
      if (!write) {
        write = createGroupWriter(executor);
        writers.set(executor, write);
      }
      await write(entry);
    },

    /** One row of the login log (every attempt, successful or not). */
    async recordLogin(executor: Executor, entry: LoginEntry): Promise<void> {
      await executor
        .insertInto('login_log')
        .values({
          occurred_at: new Date().toISOString(),
          user_id: entry.userId,
          username: cleanText(entry.username, 200) ?? '',
          ip: cleanText(entry.ip, 100),
          user_agent: cleanText(entry.userAgent, 500),
          result: entry.result,
          reason: cleanText(entry.reason, 200) ?? '',
        })
        .execute();
    },

    /** Walk the whole chain (archive, then live records). */
    verify: () => verifyChain(db),
  };
}

export type AuditService = ReturnType<typeof createAuditService>;
