import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Kysely } from 'kysely';
import type { z } from 'zod';
import type { AppContext } from '../context.ts';
import { json } from '../db/json.ts';
import type { DB, JobStatus } from '../db/schema.ts';
import { AppError } from '../errors.ts';
import {
  claimDueJobs,
  completeJob,
  type Executor,
  extendLeases,
  failJob,
  type JobRow,
  type JobSummary,
  listJobs,
  reapExpiredLeases,
  retryDeadJob,
} from './jobs.repo.ts';
import { tickSchedules, upsertSchedule } from './jobs.schedules.ts';
import { type PollingLoop, startPolling } from './jobs.worker.ts';

/**
 * The database-backed job queue (STYLE.md "jobs as definitions"). Jobs are rows in `job`; any number of workers
 * claim them with `FOR UPDATE SKIP LOCKED`, so each job runs on one worker at a time. A claimed job holds a lease
 * that its worker keeps extending; a lease that runs out (the worker died) puts the job back in the queue.
 */
export interface JobRun {
  ctx: AppContext;
  job: { id: number; attempts: number };
}

export interface JobDefinition<P> {
  name: string;
  payload: z.ZodType<P>;
  handler: (payload: P, run: JobRun) => Promise<void>;
  maxAttempts?: number;
  /** Delay before the next attempt after `attempt` failed. Default: 2^attempt s (≤ 1 h) plus jitter. */
  backoffSeconds?: (attempt: number) => number;
  /** Run on this cron pattern (Asia/Shanghai): the worker keeps a schedule named after the job. */
  cron?: string;
}

export interface EnqueueOptions {
  runAt?: Date;
  /** At most one job ever exists with this key (as long as its row is kept); a repeat returns null. */
  dedupeKey?: string;
  maxAttempts?: number;
}

export interface WorkerOptions {
  pollMs?: number;
  concurrency?: number;
}

const LEASE_SECONDS = 300;

export function defaultBackoffSeconds(attempt: number): number {
  return Math.min(2 ** attempt, 3600) * (1 + Math.random() * 0.1);
}

export function createJobQueue(deps: { db: Kysely<DB>; workerId?: string }) {
  const { db } = deps;
  const workerId = deps.workerId ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  // biome-ignore lint/suspicious/noExplicitAny: definitions of different payload types share one map
  const definitions = new Map<string, JobDefinition<any>>();
  const running = new Set<number>();
  let worker: PollingLoop | null = null;

  function definition(name: string): JobDefinition<unknown> {
    const def = definitions.get(name);
    if (!def) throw new AppError('JOB_UNKNOWN', `未定义的后台任务：${name}`, { status: 500 });
    return def;
  }

  function validPayload(def: JobDefinition<unknown>, payload: unknown): Record<string, unknown> {
    const parsed = def.payload.safeParse(payload ?? {});
    if (!parsed.success) {
      const details = parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
      throw new AppError('VALIDATION_FAILED', `后台任务 ${def.name} 的参数不合法`, { details });
    }
    return parsed.data as Record<string, unknown>;
  }

  async function runOne(ctx: AppContext, row: JobRow): Promise<void> {
    const job = { id: row.id, attempts: row.attempts };
    try {
      const def = definition(row.name);
      await def.handler(validPayload(def, row.payload), { ctx, job });
      await completeJob(db, job, workerId);
    } catch (err) {
      const def = definitions.get(row.name);
      const delay =
        row.attempts < row.max_attempts ? (def?.backoffSeconds ?? defaultBackoffSeconds)(row.attempts) : 0;
      const message = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
      await failJob(db, { ...job, maxAttempts: row.max_attempts }, workerId, message.slice(0, 4000), delay);
    }
  }

  const queue = {
    workerId,

    define<P>(def: JobDefinition<P>) {
      if (definitions.has(def.name)) throw new Error(`job ${def.name} is defined twice`);
      definitions.set(def.name, def);
      return {
        name: def.name,
        enqueue: (executor: Executor, payload: P, opts?: EnqueueOptions) =>
          queue.enqueue(executor, def.name, payload, opts),
      };
    },

    /** Insert a job through `executor` — pass the caller's transaction so the job exists only if it commits. */
    async enqueue(
      executor: Executor,
      name: string,
      payload: unknown,
      opts: EnqueueOptions = {},
    ): Promise<number | null> {
      const def = definition(name);
      const values = {
        name,
        payload: json(validPayload(def, payload)),
        max_attempts: opts.maxAttempts ?? def.maxAttempts ?? 5,
        ...(opts.runAt ? { run_at: opts.runAt } : {}),
        dedupe_key: opts.dedupeKey ?? null,
      };
      let q = executor.insertInto('job').values(values);
      if (opts.dedupeKey) q = q.onConflict((oc) => oc.column('dedupe_key').doNothing());
      const row = await q.returning('id').executeTakeFirst();
      return row ? Number(row.id) : null;
    },

    /** Create or change a recurring schedule; its next firing after now is the first one to run. */
    async schedule(name: string, cron: string, jobName: string, payload: unknown = {}): Promise<void> {
      await upsertSchedule(db, { name, cron, jobName, payload: validPayload(definition(jobName), payload) });
    },

    /** Enqueue every schedule's latest due firing (once across all workers). Returns how many were enqueued. */
    async tickSchedules(now: Date = new Date()): Promise<number> {
      return tickSchedules(
        db,
        now,
        (executor, jobName, payload, dedupeKey) => queue.enqueue(executor, jobName, payload, { dedupeKey }),
        (jobName) => definitions.has(jobName),
      );
    },

    /** Reap expired leases, claim up to `limit` due jobs and run them. Returns how many ran. */
    async claimAndRun(ctx: AppContext, limit = 1): Promise<number> {
      await reapExpiredLeases(db);
      const names = [...definitions.keys()];
      const rows = await claimDueJobs(db, { workerId, names, limit, leaseSeconds: LEASE_SECONDS });
      for (const r of rows) running.add(r.id);
      try {
        // allSettled: every job of the batch has finished (and left `running`) before an error propagates.
        const results = await Promise.allSettled(rows.map((r) => runOne(ctx, r)));
        const failure = results.find((r) => r.status === 'rejected');
        if (failure) throw failure.reason;
      } finally {
        for (const r of rows) running.delete(r.id);
      }
      return rows.length;
    },

    async startWorker(ctx: AppContext, opts: WorkerOptions = {}): Promise<void> {
      if (worker) return;
      for (const def of definitions.values()) {
        if (def.cron) await queue.schedule(def.name, def.cron, def.name, {});
      }
      if (worker) return; // started by a concurrent call meanwhile
      worker = startPolling({
        pollMs: opts.pollMs ?? 1000,
        tick: () => queue.tickSchedules(),
        claimAndRun: () => queue.claimAndRun(ctx, opts.concurrency ?? 4),
        // Keep the leases of running jobs alive, so only a dead worker's jobs are reclaimed.
        heartbeat: async () => {
          if (running.size) await extendLeases(db, workerId, [...running], LEASE_SECONDS);
        },
        heartbeatMs: (LEASE_SECONDS * 1000) / 3,
      });
    },

    /** Stop polling and wait for the jobs this worker is running. Safe to call when never started. */
    async stopWorker(): Promise<void> {
      const w = worker;
      worker = null;
      await w?.stop();
    },

    async retryDead(id: number): Promise<void> {
      if (!(await retryDeadJob(db, id))) {
        throw new AppError('JOB_NOT_DEAD', '任务不存在或不是失败（死信）状态，无法重试', { status: 409 });
      }
    },

    /** Newest first; `after` continues below that id (keyset). */
    async list(q: { status?: JobStatus; limit: number; after?: number }): Promise<JobSummary[]> {
      return listJobs(db, q);
    },
  };

  return queue;
}

export type JobQueue = ReturnType<typeof createJobQueue>;
export type { Executor, JobSummary };
