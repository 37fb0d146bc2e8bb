import { type Kysely, type Selectable, sql, type Transaction } from 'kysely';
import type { DB, JobStatus, JobTable } from '../db/schema.ts';

export type Executor = Kysely<DB> | Transaction<DB>;
export type JobRow = Selectable<JobTable>;

/** What a worker knows about a job it claimed: the id plus the attempt number, which fences stale writers. */
interface Claimed {
  id: number;
  attempts: number;
}

const LEASE_EXPIRED = '执行超时或工作进程中断（租约过期）';

/**
 * Claim up to `limit` due jobs for `workerId`. SKIP LOCKED lets concurrent workers pass over rows another claim
 * holds, and the outer status check re-runs on a row changed since the snapshot, so a job is claimed once.
 * Only jobs this process defines are claimed, so a worker of an older release leaves newer kinds of job alone.
 */
export async function claimDueJobs(
  db: Kysely<DB>,
  c: { workerId: string; names: string[]; limit: number; leaseSeconds: number },
) {
  if (c.names.length === 0 || c.limit < 1) return [];
  const { rows } = await sql<JobRow>`
    update job
       set status = 'running', locked_by = ${c.workerId}, attempts = attempts + 1,
           lease_until = now() + make_interval(secs => ${c.leaseSeconds})
     where status = 'pending' and id in (
       select id from job
        where status = 'pending' and run_at <= now() and name in (${sql.join(c.names)})
        order by run_at, id
        limit ${c.limit}
        for update skip locked)
    returning *`.execute(db);
  return rows.map((r) => ({ ...r, id: Number(r.id) }));
}

/** Put the jobs of workers whose lease ran out back in the queue (or dead-letter them when out of attempts). */
export async function reapExpiredLeases(db: Kysely<DB>): Promise<number> {
  const r = await db
    .updateTable('job')
    .set({
      status: sql<JobStatus>`case when attempts >= max_attempts then 'dead' else 'pending' end`,
      finished_at: sql<Date | null>`case when attempts >= max_attempts then now() end`,
      run_at: sql<Date>`now()`,
      locked_by: null,
      lease_until: null,
      last_error: LEASE_EXPIRED,
    })
    .where('status', '=', 'running')
    .where('lease_until', '<', sql<Date>`now()`)
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}

export async function extendLeases(db: Kysely<DB>, workerId: string, ids: number[], leaseSeconds: number) {
  await db
    .updateTable('job')
    .set({ lease_until: sql<Date>`now() + make_interval(secs => ${leaseSeconds})` })
    .where('id', 'in', ids)
    .where('status', '=', 'running')
    .where('locked_by', '=', workerId)
    .execute();
}

/** Guarded by worker and attempt: a worker whose lease was taken over cannot overwrite the new run's outcome. */
export async function completeJob(db: Kysely<DB>, job: Claimed, workerId: string): Promise<void> {
  await db
    .updateTable('job')
    .set({ status: 'succeeded', finished_at: sql<Date>`now()`, locked_by: null, lease_until: null })
    .where('id', '=', job.id)
    .where('attempts', '=', job.attempts)
    .where('locked_by', '=', workerId)
    .where('status', '=', 'running')
    .execute();
}

export async function failJob(
  db: Kysely<DB>,
  job: Claimed & { maxAttempts: number },
  workerId: string,
  error: string,
  delaySeconds: number,
): Promise<void> {
  const dead = job.attempts >= job.maxAttempts;
  await db
    .updateTable('job')
    .set({
      status: dead ? 'dead' : 'pending',
      run_at: sql<Date>`now() + make_interval(secs => ${Math.max(0, delaySeconds)})`,
      finished_at: dead ? sql<Date>`now()` : null,
      last_error: error,
      locked_by: null,
      lease_until: null,
    })
    .where('id', '=', job.id)
    .where('attempts', '=', job.attempts)
    .where('locked_by', '=', workerId)
    .where('status', '=', 'running')
    .execute();
}

/** A dead job gets a fresh set of attempts. Returns false when the job does not exist or is not dead. */
export async function retryDeadJob(db: Kysely<DB>, id: number): Promise<boolean> {
  const r = await db
    .updateTable('job')
    .set({ status: 'pending', attempts: 0, run_at: sql<Date>`now()`, finished_at: null })
    .where('id', '=', id)
    .where('status', '=', 'dead')
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export interface JobSummary {
  id: number;
  name: string;
  payload: Record<string, unknown>;
  status: JobStatus;
  attempts: number;
  maxAttempts: number;
  runAt: string;
  lockedBy: string | null;
  lastError: string | null;
  dedupeKey: string | null;
  createdAt: string;
  finishedAt: string | null;
}

const iso = (d: Date | string) => new Date(d).toISOString();

/** Newest first; `after` continues below that id (keyset). */
export async function listJobs(
  db: Kysely<DB>,
  q: { status?: JobStatus; limit: number; after?: number },
): Promise<JobSummary[]> {
  let query = db.selectFrom('job').selectAll().orderBy('id', 'desc').limit(Math.min(q.limit, 500));
  if (q.status) query = query.where('status', '=', q.status);
  if (q.after) query = query.where('id', '<', q.after);
  const rows = await query.execute();
  return rows.map((r) => ({
    id: Number(r.id),
    name: r.name,
    payload: r.payload,
    status: r.status,
    attempts: r.attempts,
    maxAttempts: r.max_attempts,
    runAt: iso(r.run_at),
    lockedBy: r.locked_by,
    lastError: r.last_error,
    dedupeKey: r.dedupe_key,
    createdAt: iso(r.created_at),
    finishedAt: r.finished_at === null ? null : iso(r.finished_at),
  }));
}
