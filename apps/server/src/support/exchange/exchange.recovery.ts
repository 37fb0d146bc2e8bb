import { hostname } from 'node:os';
import { sql, type Transaction } from 'kysely';
import { AFTER_IMPORT_JOB } from '../../fusion/entities/entities.jobs.ts';
import type { DB } from '../../platform/db/schema.ts';
import { appendEvent, systemActor } from '../../platform/ledger/ledger.service.ts';
import { PROCESS_OWNER, type RunDeps, STALE_AFTER_MS } from './exchange.run.ts';

/** Crash recovery: a run left `running` by a process that is gone is closed, and an API sync is resumed. */

export const SYNC_JOB = 'exchange.sync';
export const INTERRUPTED = '进程中断：已提交的批次已保留';

/**
 * Whether the process that owns a running run is gone: its heartbeat is older than STALE_AFTER_MS, or it ran on
 * this machine under a pid that no longer exists (or that is now ours, reused after a restart).
 */
export function ownerIsGone(
  owner: string | null,
  heartbeatAt: Date | string | null,
  now = Date.now(),
): boolean {
  if (!owner || !heartbeatAt || now - new Date(heartbeatAt).getTime() > STALE_AFTER_MS) return true;
  const parts = owner.split(':');
  const pid = Number(parts.at(-2));
  const host = parts.slice(0, -2).join(':');
  if (host !== hostname() || !Number.isInteger(pid)) return false;
  if (pid === process.pid) return owner !== PROCESS_OWNER;
  try {
    process.kill(pid, 0);
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/**
 * Close one interrupted run inside `tx`: failed with INTERRUPTED, a ledger event and an audit record; the
 * follow-up job for what its committed batches wrote; and for an enabled `http` source a resume from the cursor.
 * Returns false when the run was no longer running.
 */
export async function closeInterruptedRun(
  deps: Pick<RunDeps, 'audit' | 'jobs'>,
  tx: Transaction<DB>,
  runId: number,
): Promise<boolean> {
  const run = await tx
    .updateTable('exchange_run')
    .set({ status: 'failed', error: INTERRUPTED, finished_at: sql<Date>`now()` })
    .where('id', '=', runId)
    .where('status', '=', 'running')
    .returning(['source', 'inserted', 'updated', 'rows_in'])
    .executeTakeFirst();
  if (!run) return false;
  await appendEvent(tx, {
    actor: systemActor,
    subjectType: 'exchange_run',
    subjectId: runId,
    kind: 'exchange.run.failed',
    payload: { source: run.source, error: INTERRUPTED, rowsIn: run.rows_in },
  });
  await deps.audit.record(tx, {
    actor: systemActor,
    action: 'exchange.recover',
    objectType: 'exchange_run',
    objectId: runId,
    result: 'failure',
    detail: `导入批次 ${runId} 所在进程已中断，标记为失败（已提交 ${run.rows_in} 行，新增 ${run.inserted}，更新 ${run.updated}，均保留）`,
  });
  if (run.inserted + run.updated > 0) {
    await deps.jobs.enqueue(tx, AFTER_IMPORT_JOB, { runId }, { dedupeKey: `${AFTER_IMPORT_JOB}:${runId}` });
  }
  const source = await tx
    .selectFrom('exchange_source')
    .select(['kind', 'enabled'])
    .where('name', '=', run.source)
    .executeTakeFirst();
  if (source?.kind === 'http' && source.enabled) {
    await deps.jobs.enqueue(tx, SYNC_JOB, { source: run.source }, { dedupeKey: `exchange.resume:${runId}` });
  }
  return true;
}

/** Close every run whose process is gone (the sweeper job, and at worker start). Returns their ids. */
export async function sweepInterruptedRuns(deps: RunDeps): Promise<number[]> {
  const running = await deps.db
    .selectFrom('exchange_run')
    .select(['id', 'owner', 'heartbeat_at'])
    .where('status', '=', 'running')
    .execute();
  const closed: number[] = [];
  for (const r of running) {
    if (!ownerIsGone(r.owner, r.heartbeat_at)) continue;
    const done = await deps.db.transaction().execute((tx) => closeInterruptedRun(deps, tx, Number(r.id)));
    if (done) closed.push(Number(r.id));
  }
  return closed;
}
