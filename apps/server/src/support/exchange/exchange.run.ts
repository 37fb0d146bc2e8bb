import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { type Kysely, sql, type Transaction } from 'kysely';
import { AFTER_IMPORT_JOB } from '../../fusion/entities/entities.jobs.ts';
import type { AppContext } from '../../platform/context.ts';
import { json } from '../../platform/db/json.ts';
import type { DB } from '../../platform/db/schema.ts';
import { type Actor, appendEvent } from '../../platform/ledger/ledger.service.ts';
import type { ExchangeSource } from './exchange.connector.ts';
import type { DatasetHandler } from './exchange.datasets.ts';
import type { RowError, RowValidator } from './exchange.validate.ts';

/**
 * What a run needs of the process: the database, audit, the vault (personnel), settings (fusion's rules) and the
 * queue (the follow-up job).
 */
export type RunDeps = Pick<AppContext, 'db' | 'audit' | 'pii' | 'jobs' | 'settings'>;

/** This process, as recorded on the runs it executes: `host:pid:token` (the token tells a reused pid apart). */
export const PROCESS_OWNER = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
/** A live run refreshes its heartbeat at least this often… */
export const HEARTBEAT_MS = 30_000;
/** …so one silent for this long belongs to a process that is gone. */
export const STALE_AFTER_MS = 5 * 60_000;
/** Row errors per insert statement. */
const ERROR_CHUNK = 500;

export async function startRun(
  db: Kysely<DB>,
  r: { source: string; fileName: string; sha256: string | null; actorName: string },
): Promise<number> {
  const { id } = await db
    .insertInto('exchange_run')
    .values({
      source: r.source,
      file_name: r.fileName.slice(0, 255),
      sha256: r.sha256,
      actor_name: r.actorName,
      quality: json([]),
      owner: PROCESS_OWNER,
      heartbeat_at: sql<Date>`now()`,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(id);
}

/** Keep the run's heartbeat fresh while it waits (an API page, a retry's backoff). Returns the stop function. */
export function startHeartbeat(db: Kysely<DB>, runId: number): () => void {
  const timer = setInterval(() => {
    db.updateTable('exchange_run')
      .set({ heartbeat_at: sql<Date>`now()` })
      .where('id', '=', runId)
      .where('status', '=', 'running')
      .execute()
      .catch(() => {});
  }, HEARTBEAT_MS);
  timer.unref();
  return () => clearInterval(timer);
}

export interface RunTotals {
  rowsIn: number;
  accepted: number;
  rejected: number;
  inserted: number;
  updated: number;
  duplicates: number;
  known: number;
}

/**
 * Writes one run's batches: each batch — its records, its row errors, the run's counters and whatever the caller
 * adds (the sync cursor) — is one transaction, so a failure or a crash loses at most the batch in flight.
 */
export class RunWriter<R extends { rowNo: number }> {
  inserted = 0;
  updated = 0;
  queued = 0;
  known = 0;

  constructor(
    private readonly deps: RunDeps,
    readonly runId: number,
    private readonly source: ExchangeSource,
    private readonly handler: DatasetHandler<R>,
    readonly validator: RowValidator<R>,
  ) {}

  get totals(): RunTotals {
    const v = this.validator;
    return {
      rowsIn: v.rowsIn,
      accepted: v.accepted,
      rejected: v.rejected,
      inserted: this.inserted,
      updated: this.updated,
      duplicates: v.duplicates,
      known: this.known,
    };
  }

  get written(): boolean {
    return this.inserted + this.updated > 0;
  }

  async write(
    batch: { records: R[]; cells: string[][]; errors: RowError[] },
    also?: (tx: Transaction<DB>) => Promise<void>,
  ): Promise<void> {
    await this.deps.db.transaction().execute(async (tx) => {
      const errors = batch.errors;
      if (batch.records.length > 0) {
        const r = await this.handler.apply(
          {
            tx,
            pii: this.deps.pii,
            settings: this.deps.settings,
            source: this.source.name,
            runId: this.runId,
            trustedRank: this.source.trustedRank,
            receivedAt: new Date(),
          },
          batch.records,
        );
        if (r.rejected.length > 0) {
          const at = new Map(batch.records.map((rec, i) => [rec.rowNo, i]));
          for (const x of r.rejected) {
            const cells = batch.cells[at.get(x.rowNo)!] ?? [];
            this.validator.rejectAccepted(x.field, cells);
            errors.push({
              rowNo: x.rowNo,
              field: x.field,
              reason: x.reason,
              raw: this.validator.rawOf(cells),
            });
          }
          errors.sort((a, b) => a.rowNo - b.rowNo);
        }
        this.inserted += r.inserted;
        this.updated += r.updated;
        this.queued += r.queued;
        this.known += batch.records.length - r.rejected.length - r.inserted - r.queued;
      }
      for (let i = 0; i < errors.length; i += ERROR_CHUNK) {
        await tx
          .insertInto('exchange_run_error')
          .values(
            errors.slice(i, i + ERROR_CHUNK).map((e) => ({
              run_id: this.runId,
              row_no: e.rowNo,
              field: e.field,
              reason: e.reason,
              raw: json(e.raw),
            })),
          )
          .execute();
      }
      await this.saveCounters(tx);
      await also?.(tx);
    });
  }

  private async saveCounters(tx: Transaction<DB>): Promise<void> {
    const t = this.totals;
    await tx
      .updateTable('exchange_run')
      .set({
        rows_in: t.rowsIn,
        accepted: t.accepted,
        rejected: t.rejected,
        inserted: t.inserted,
        updated: t.updated,
        duplicates: t.duplicates,
        known: t.known,
        quality: json(this.validator.quality()),
        newest_record_at: this.validator.newest,
        heartbeat_at: sql<Date>`now()`,
      })
      .where('id', '=', this.runId)
      .execute();
  }

  /**
   * The run's final transaction: status, counters, a ledger event, the audit record and — when the run wrote
   * anything — the `entities.afterImport` job (locate, assign grids, risk), once per run.
   */
  async finish(
    r: { actor: Actor; ip?: string | null; action: string; what: string; failure: string | null },
    opts: { afterImport: boolean },
  ): Promise<void> {
    await finishRun(this.deps, this.runId, this.source.name, r, {
      totals: this.totals,
      save: (tx) => this.saveCounters(tx),
      afterImport: opts.afterImport && this.written,
    });
  }
}

/** Close a run (also one that failed before it had a writer: no counters then). */
export async function finishRun(
  deps: RunDeps,
  runId: number,
  source: string,
  r: { actor: Actor; ip?: string | null; action: string; what: string; failure: string | null },
  w: { totals: RunTotals | null; save?: (tx: Transaction<DB>) => Promise<void>; afterImport: boolean },
): Promise<void> {
  const t = w.totals;
  const counts = t
    ? `读入 ${t.rowsIn} 行，接收 ${t.accepted}，拒绝 ${t.rejected}，新增 ${t.inserted}，更新 ${t.updated}`
    : '未读入数据';
  const summary = `${r.what}：${counts}`;
  await deps.db.transaction().execute(async (tx) => {
    // A run the sweeper already closed (its process looked dead) keeps that outcome.
    const closed = await tx
      .updateTable('exchange_run')
      .set({ status: r.failure ? 'failed' : 'succeeded', error: r.failure, finished_at: sql<Date>`now()` })
      .where('id', '=', runId)
      .where('status', '=', 'running')
      .executeTakeFirst();
    if (Number(closed.numUpdatedRows) === 0) return;
    await w.save?.(tx);
    await appendEvent(tx, {
      actor: r.actor,
      subjectType: 'exchange_run',
      subjectId: runId,
      kind: r.failure ? 'exchange.run.failed' : 'exchange.run.succeeded',
      payload: { source, what: r.what, ...t, error: r.failure },
    });
    await deps.audit.record(tx, {
      actor: r.actor,
      ip: r.ip ?? null,
      action: r.action,
      objectType: 'exchange_run',
      objectId: runId,
      result: r.failure ? 'failure' : 'success',
      detail: r.failure ? `${summary}；失败：${r.failure}` : summary,
    });
    if (w.afterImport) {
      await deps.jobs.enqueue(tx, AFTER_IMPORT_JOB, { runId }, { dedupeKey: `${AFTER_IMPORT_JOB}:${runId}` });
    }
  });
}
