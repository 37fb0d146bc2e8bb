import { sql } from 'kysely';
import { z } from 'zod';
import type { AppContext } from '../../platform/context.ts';
import { AppError } from '../../platform/errors.ts';
import { getSource, listSources } from './exchange.connector.ts';
import { syncSource } from './exchange.http.ts';
import { ownerIsGone, SYNC_JOB, sweepInterruptedRuns } from './exchange.recovery.ts';

/** Background work of the exchange: API syncs (scheduled, on request, resumed) and the interrupted-run sweeper. */
export const SWEEP_JOB = 'exchange.sweep';
const SCHEDULE_PREFIX = `${SYNC_JOB}:`;

export function registerExchangeJobs(ctx: AppContext): void {
  ctx.jobs.define({
    name: SYNC_JOB,
    payload: z.object({ source: z.string().min(1).max(64), requestedBy: z.string().max(100).optional() }),
    // The sync retries pages itself and records a failed run; a job attempt more would only repeat that.
    maxAttempts: 2,
    async handler({ source, requestedBy }, run) {
      const s = await getSource(run.ctx.db, source).catch(() => null);
      if (s?.kind !== 'http' || (!s.enabled && !requestedBy)) return;
      try {
        await syncSource(run.ctx, source, { actor: { id: null, name: requestedBy ?? '定时同步' } });
      } catch (err) {
        // Another process is syncing this source right now: that sync covers this request.
        if (err instanceof AppError && err.code === 'CONFLICT') return;
        throw err;
      }
    },
  });
  ctx.jobs.define({
    name: SWEEP_JOB,
    payload: z.object({}),
    cron: '*/5 * * * *',
    async handler(_payload, run) {
      await recoverExchange(run.ctx);
    },
  });
}

/** Close runs of dead processes (resuming API syncs) and align the sync schedules with the sources. */
export async function recoverExchange(ctx: AppContext): Promise<number[]> {
  const closed = await sweepInterruptedRuns(ctx);
  await reconcileSchedules(ctx);
  return closed;
}

/** One schedule `exchange.sync:<source>` per enabled `http` source with a cron pattern; none for the others. */
export async function reconcileSchedules(ctx: Pick<AppContext, 'db' | 'jobs'>): Promise<void> {
  const wanted = (await listSources(ctx.db)).filter((s) => s.kind === 'http' && s.enabled && s.http?.cron);
  for (const s of wanted) {
    await ctx.jobs.schedule(`${SCHEDULE_PREFIX}${s.name}`, s.http!.cron, SYNC_JOB, { source: s.name });
  }
  let stale = ctx.db.deleteFrom('job_schedule').where('name', 'like', `${SCHEDULE_PREFIX}%`);
  if (wanted.length > 0)
    stale = stale.where(
      'name',
      'not in',
      wanted.map((s) => `${SCHEDULE_PREFIX}${s.name}`),
    );
  await stale.execute();
}

/**
 * 立即同步: queue a sync of one source, unless one is already queued or running (then false). A person may sync
 * a disabled source by hand (testing a configuration); only the schedule skips disabled sources.
 */
export async function requestSync(
  ctx: Pick<AppContext, 'db' | 'jobs'>,
  name: string,
  requestedBy: string,
): Promise<boolean> {
  const source = await getSource(ctx.db, name);
  if (source.kind !== 'http')
    throw new AppError('VALIDATION_FAILED', `数据源“${source.label}”不是接口数据源`);
  if (!source.http?.baseUrl)
    throw new AppError('VALIDATION_FAILED', `数据源“${source.label}”尚未配置接口地址`);
  const queued = await ctx.db
    .selectFrom('job')
    .select('id')
    .where('name', '=', SYNC_JOB)
    .where('status', 'in', ['pending', 'running'])
    .where(sql<string>`payload->>'source'`, '=', name)
    .executeTakeFirst();
  if (queued) return false;
  const running = await ctx.db
    .selectFrom('exchange_run')
    .select(['owner', 'heartbeat_at'])
    .where('source', '=', name)
    .where('status', '=', 'running')
    .execute();
  if (running.some((r) => !ownerIsGone(r.owner, r.heartbeat_at))) return false;
  await ctx.jobs.enqueue(ctx.db, SYNC_JOB, { source: name, requestedBy });
  return true;
}
