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
import type { RowError, RowValidator, ValidationCounts } from './exchange.validate.ts';

/**
 * What a run needs of the process: the database, audit, the vault (personnel), settings (fusion's rules) and the
 * queue (the follow-up job).
 */
export type RunDeps = Pick<AppContext, 'db' | 'database' | 'audit' | 'pii' | 'jobs' | 'settings'>;

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
  queued: number;
}

type Batch<R> = { records: R[]; cells: string[][]; errors: RowError[] };
type AlsoWrite = (tx: Transaction<DB>) => Promise<void>;

/** What one batch adds to the run's counters once it has committed. */
interface BatchDelta {
  inserted: number;
  updated: number;
  queued: number;
  known: number;
  /** Accepted rows the dataset refused when writing: they count as rejected… */
  refused: number;
  /** …and, per field, values that stop counting as valid. */
  invalid: Readonly<Record<string, number>>;
}

const NOTHING: BatchDelta = { inserted: 0, updated: 0, queued: 0, known: 0, refused: 0, invalid: {} };

/** One batch's transaction, as the batch after it sees it. */
interface Attempt<R> {
  seq: number;
  batch: Batch<R>;
  counts: ValidationCounts;
  /** The transaction holds its order lock (only taken when a successor may overlap). */
  locked: Promise<void>;
  /** Settles when the transaction has ended and, if it committed, its counters are added; never rejects. */
  done: Promise<{ ok: true } | { ok: false; error: unknown }>;
}

/** Written on its own: nothing overlaps it. */
const ALONE = { prev: null, ordered: false } as const;

/** A batch rolled back because the batch before it did not commit. */
class PreviousBatchFailed extends Error {}

const DEADLOCK = '40P01';
const isDeadlock = (err: unknown) => (err as { code?: string } | null)?.code === DEADLOCK;

/**
 * Writes one run's batches: each batch — its records, its row errors, the run's counters and whatever the caller
 * adds (the sync cursor) — is one transaction, so a failure or a crash loses at most the batch in flight.
 *
 * With `overlap` (a file import on PostgreSQL, a batch its dataset calls independent), the next batch is written
 * on a second connection while this one is still being written: both cores work for the database, and Node reads
 * the file meanwhile. Batches still commit in order — each waits, inside PostgreSQL, on an advisory lock its
 * predecessor holds until it ends — so the counters each commits are those of the rows up to it and a crash
 * leaves a prefix of the file written. Should the two ever lock each other (two records of one merged entity),
 * PostgreSQL's deadlock detector sees it; both are then written again one after the other.
 */
export class RunWriter<R extends { rowNo: number }> {
  private committed = NOTHING;
  /** Validation's counters as of the last batch committed. */
  private committedCounts: ValidationCounts;
  private inFlight: Attempt<R> | null = null;
  private seq = 0;
  /** The run's natural keys written so far (ApplyContext.linked). */
  private readonly linked = new Map<string, number>();

  constructor(
    private readonly deps: RunDeps,
    readonly runId: number,
    private readonly source: ExchangeSource,
    private readonly handler: DatasetHandler<R>,
    readonly validator: RowValidator<R>,
  ) {
    this.committedCounts = validator.snapshot();
  }

  /** The run's counters as of the last batch committed (a run that failed part-way counts what it wrote). */
  get totals(): RunTotals {
    return this.countersOf(this.committedCounts, this.committed).totals;
  }

  get written(): boolean {
    return this.committed.inserted + this.committed.updated > 0;
  }

  /** Write the batch just validated; resolves once it has committed. */
  async write(batch: Batch<R>, also?: AlsoWrite): Promise<void> {
    await this.submit(batch, { overlap: false, also });
    await this.drain();
  }

  /**
   * Write the batch just validated. With `overlap` it resolves as soon as the batch before it has committed and
   * this one is under way, so the caller can read and validate the next; `drain` waits for the last one.
   */
  async submit(batch: Batch<R>, opts: { overlap: boolean; also?: AlsoWrite }): Promise<void> {
    const counts = this.validator.snapshot();
    if (!opts.overlap) {
      await this.drain();
      await this.settle(this.attempt(batch, counts, ALONE, opts.also));
      return;
    }
    const prev = this.inFlight;
    const next = this.attempt(batch, counts, { prev, ordered: true }, opts.also);
    await next.locked;
    if (prev) {
      const outcome = await prev.done;
      if (!outcome.ok) {
        // `next` rolls back on its own (it waits for `prev`); written again after `prev`, one at a time.
        await next.done;
        this.inFlight = null;
        await this.retry(prev, outcome.error);
        await this.settle(this.attempt(next.batch, next.counts, ALONE, opts.also));
        return;
      }
    }
    this.inFlight = next;
  }

  /** Wait for the batch still being written. */
  async drain(): Promise<void> {
    const last = this.inFlight;
    this.inFlight = null;
    if (last) await this.settle(last);
  }

  private async settle(a: Attempt<R>): Promise<void> {
    const outcome = await a.done;
    if (!outcome.ok) await this.retry(a, outcome.error);
  }

  /** A batch that failed is written again alone when it lost a deadlock; any other failure ends the run. */
  private async retry(a: Attempt<R>, error: unknown): Promise<void> {
    if (!isDeadlock(error)) throw error;
    const again = await this.attempt(a.batch, a.counts, ALONE).done;
    if (!again.ok) throw again.error;
  }

  /**
   * One transaction for the batch. `ordered`: it holds its own order lock for its whole life (a successor may
   * overlap it) and, after `prev`, commits only once `prev` has.
   */
  private attempt(
    batch: Batch<R>,
    counts: ValidationCounts,
    order: { prev: Attempt<R> | null; ordered: boolean },
    also?: AlsoWrite,
  ): Attempt<R> {
    const seq = ++this.seq;
    const { prev } = order;
    const orderKey = (n: number) =>
      sql`select pg_advisory_xact_lock(${this.runId % 2 ** 31}::int, ${n}::int)`;
    let signal!: () => void;
    const locked = new Promise<void>((resolve) => {
      signal = resolve;
    });
    const tx = this.deps.db.transaction().execute(async (tx) => {
      if (order.ordered) await orderKey(seq).execute(tx);
      signal();
      const { delta, errors } = await this.apply(tx, batch);
      if (prev) {
        await orderKey(prev.seq).execute(tx); // until the batch before has committed or rolled back
        if (!(await prev.done).ok) throw new PreviousBatchFailed('上一批未能写入');
      }
      await this.saveErrors(tx, errors); // after the batch before: the report lists rows in file order
      await this.saveCounters(tx, this.countersOf(counts, this.add(this.committed, delta)));
      await also?.(tx);
      return delta;
    });
    const done = tx.then(
      (delta) => {
        this.committed = this.add(this.committed, delta);
        this.committedCounts = counts;
        return { ok: true as const };
      },
      (error: unknown) => {
        signal();
        return { ok: false as const, error };
      },
    );
    return { seq, batch, counts, locked, done };
  }

  private add(a: BatchDelta, b: BatchDelta): BatchDelta {
    const invalid = { ...a.invalid };
    for (const [f, n] of Object.entries(b.invalid)) invalid[f] = (invalid[f] ?? 0) + n;
    return {
      inserted: a.inserted + b.inserted,
      updated: a.updated + b.updated,
      queued: a.queued + b.queued,
      known: a.known + b.known,
      refused: a.refused + b.refused,
      invalid,
    };
  }

  /** The dataset writes the batch. Returns what the batch adds to the counters, and its row errors. */
  private async apply(
    tx: Transaction<DB>,
    batch: Batch<R>,
  ): Promise<{ delta: BatchDelta; errors: RowError[] }> {
    const delta = { ...NOTHING, invalid: {} as Record<string, number> };
    const errors = [...batch.errors];
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
          linked: this.linked,
        },
        batch.records,
      );
      if (r.rejected.length > 0) {
        const at = new Map(batch.records.map((rec, i) => [rec.rowNo, i]));
        for (const x of r.rejected) {
          const cells = batch.cells[at.get(x.rowNo)!] ?? [];
          const field = this.validator.refusedField(x.field, cells);
          delta.refused++;
          if (field !== null) delta.invalid[field] = (delta.invalid[field] ?? 0) + 1;
          errors.push({ rowNo: x.rowNo, field: x.field, reason: x.reason, raw: this.validator.rawOf(cells) });
        }
        errors.sort((a, b) => a.rowNo - b.rowNo);
      }
      delta.inserted = r.inserted;
      delta.updated = r.updated;
      delta.queued = r.queued;
      // A queued record made its own entity (counted in `inserted`) and waits beside it in the merge queue.
      delta.known = batch.records.length - r.rejected.length - r.inserted;
    }
    return { delta, errors };
  }

  private async saveErrors(tx: Transaction<DB>, errors: RowError[]): Promise<void> {
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
  }

  /** Validation's counters corrected by the batches committed: refused rows move to the rejected side. */
  private countersOf(v: ValidationCounts, c: BatchDelta) {
    const totals: RunTotals = {
      rowsIn: v.rowsIn,
      accepted: v.accepted - c.refused,
      rejected: v.rejected + c.refused,
      inserted: c.inserted,
      updated: c.updated,
      duplicates: v.duplicates,
      known: c.known,
      queued: c.queued,
    };
    const quality = v.quality.map((f) => ({ ...f, valid: f.valid - (c.invalid[f.field] ?? 0) }));
    return { totals, quality, newest: v.newest };
  }

  private async saveCounters(tx: Transaction<DB>, c: ReturnType<RunWriter<R>['countersOf']>): Promise<void> {
    await tx
      .updateTable('exchange_run')
      .set({
        rows_in: c.totals.rowsIn,
        accepted: c.totals.accepted,
        rejected: c.totals.rejected,
        inserted: c.totals.inserted,
        updated: c.totals.updated,
        duplicates: c.totals.duplicates,
        known: c.totals.known,
        queued: c.totals.queued,
        quality: json(c.quality),
        columns: json(this.validator.columnOrder()),
        newest_record_at: c.newest,
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
    await this.drain().catch(() => {}); // a failure of the last batch is already the run's failure
    await finishRun(this.deps, this.runId, this.source.name, r, {
      totals: this.totals,
      save: (tx) => this.saveCounters(tx, this.countersOf(this.committedCounts, this.committed)),
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
