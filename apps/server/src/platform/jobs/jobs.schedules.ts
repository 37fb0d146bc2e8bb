import { Cron } from 'croner';
import { type Kysely, sql } from 'kysely';
import { json } from '../db/json.ts';
import type { DB } from '../db/schema.ts';
import { AppError } from '../errors.ts';
import type { Executor } from './jobs.repo.ts';

/** Cron patterns are read in the bureau's local time. */
export const SCHEDULE_TIMEZONE = 'Asia/Shanghai';

type Enqueue = (
  executor: Executor,
  jobName: string,
  payload: unknown,
  dedupeKey: string,
) => Promise<number | null>;

function parseCron(pattern: string): Cron {
  try {
    return new Cron(pattern, { timezone: SCHEDULE_TIMEZONE, paused: true });
  } catch (err) {
    throw new AppError('VALIDATION_FAILED', `定时规则不合法：${pattern}（${(err as Error).message}）`);
  }
}

/**
 * The latest firing of `cron` in (after, now], or null when none is due. Missed firings (the workers were down)
 * collapse into the latest one: a recurring job catches up once, not once per missed slot.
 */
export function latestDueFiring(cron: Cron, after: Date, now: Date): Date | null {
  let fire = cron.nextRun(after);
  if (!fire || fire > now) return null;
  // previousRuns() skips firings within now's own second; the loop below picks those up.
  const prev = cron.previousRuns(1, now)[0];
  if (prev && prev > fire) fire = prev;
  for (let next = cron.nextRun(fire); next && next <= now; next = cron.nextRun(fire)) fire = next;
  return fire;
}

/** Create or change a schedule. A new schedule starts from now, so its first firing is the next one due. */
export async function upsertSchedule(
  db: Kysely<DB>,
  s: { name: string; cron: string; jobName: string; payload: Record<string, unknown> },
): Promise<void> {
  parseCron(s.cron);
  await db
    .insertInto('job_schedule')
    .values({
      name: s.name,
      cron: s.cron,
      job_name: s.jobName,
      payload: json(s.payload),
      last_fired_at: sql`now()`,
    })
    .onConflict((oc) =>
      oc.column('name').doUpdateSet({ cron: s.cron, job_name: s.jobName, payload: json(s.payload) }),
    )
    .execute();
}

/**
 * Enqueue each enabled schedule's latest due firing. The dedupe key `cron:<name>:<fire time>` makes the firing
 * unique across every worker that computes it; `last_fired_at` only moves forward.
 */
export async function tickSchedules(
  db: Kysely<DB>,
  now: Date,
  enqueue: Enqueue,
  isDefined: (jobName: string) => boolean,
): Promise<number> {
  const schedules = await db.selectFrom('job_schedule').selectAll().where('enabled', '=', true).execute();
  let enqueued = 0;
  for (const s of schedules) {
    if (!isDefined(s.job_name)) continue;
    const fire = latestDueFiring(parseCron(s.cron), new Date(s.last_fired_at ?? now), now);
    if (!fire) continue;
    await db.transaction().execute(async (tx) => {
      const id = await enqueue(tx, s.job_name, s.payload, `cron:${s.name}:${fire.toISOString()}`);
      if (id !== null) enqueued++;
      await tx
        .updateTable('job_schedule')
        .set({ last_fired_at: sql<Date>`greatest(last_fired_at, ${fire.toISOString()}::timestamptz)` })
        .where('name', '=', s.name)
        .execute();
    });
  }
  return enqueued;
}
