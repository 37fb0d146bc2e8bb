import { type Kysely, sql } from 'kysely';
import type { DB, Timestamp } from '../db/schema.ts';
import { AppError } from '../errors.ts';

/** Rows of migration 0021 (`rate_counter`). */
export interface RateLimitTables {
  rate_counter: {
    bucket: string;
    window_start: Timestamp;
    n: number;
  };
}

export interface RateRule {
  /** Length of the fixed window in seconds (60 = per minute, 86400 = per day). */
  windowSeconds: number;
  /** Requests allowed per window; the next one is refused until the window ends. */
  max: number;
}

export const RATE_LIMITED_MESSAGE = '提交过于频繁，请稍后再试';

/**
 * Sliding-window limits over counters in the database, so every API node counts against the same numbers (nodes are
 * stateless). Each rule keeps one counter per fixed window; a request is judged by the current window's count plus the
 * previous window's, weighted by how much of it still lies within the last `windowSeconds` (the usual two-window
 * estimate) — a flood cannot start again at a window boundary, as it could with fixed windows alone. Each call
 * counts one request in every rule's current window — refused requests count too, so a flood does not reset
 * itself — and throws 429 `RATE_LIMITED` when a rule is over its limit. `onLimited` gets the seconds until every
 * exceeded rule would allow a request again if no more came (for `Retry-After`).
 */
export async function hitRateLimit(
  db: Kysely<DB>,
  bucket: string,
  rules: RateRule[],
  opts: { onLimited?: (retryAfterSeconds: number) => void; message?: string } = {},
): Promise<void> {
  let retryAfter = 0;
  for (const rule of rules) {
    const w = Math.max(1, Math.floor(rule.windowSeconds));
    const key = `${bucket}:${w}`;
    const r = await sql<{ n: number; prev: number | null; elapsed: number }>`
      with cur as (
        insert into rate_counter (bucket, window_start, n)
        values (${key}, to_timestamp(floor(extract(epoch from now()) / ${w}) * ${w}), 1)
        on conflict (bucket, window_start) do update set n = rate_counter.n + 1
        returning n, window_start
      )
      select cur.n, extract(epoch from (now() - cur.window_start))::float8 as elapsed,
        (select p.n from rate_counter p
          where p.bucket = ${key} and p.window_start = cur.window_start - make_interval(secs => ${w})) as prev
      from cur`.execute(db);
    const row = r.rows[0]!;
    const wait = slidingWait({
      current: Number(row.n),
      previous: Number(row.prev ?? 0),
      elapsed: Math.min(w, Math.max(0, Number(row.elapsed))),
      window: w,
      max: rule.max,
    });
    if (wait > 0) retryAfter = Math.max(retryAfter, Math.max(1, Math.ceil(wait)));
  }
  if (retryAfter > 0) {
    opts.onLimited?.(retryAfter);
    throw new AppError('RATE_LIMITED', opts.message ?? RATE_LIMITED_MESSAGE);
  }
}

/**
 * Seconds until the two-window estimate falls back to `max` if no request comes; 0 when it is within `max` now.
 * `elapsed` is how far into the current window we are.
 */
export function slidingWait(c: {
  current: number;
  previous: number;
  elapsed: number;
  window: number;
  max: number;
}): number {
  const { current, previous, elapsed, window: w, max } = c;
  const estimate = previous * (1 - elapsed / w) + current;
  if (estimate <= max) return 0;
  const left = w - elapsed;
  if (current <= max && previous > 0) {
    // Still in this window: the previous window's share shrinks until the estimate is back at the limit.
    const t = w * (1 - (max - current) / previous) - elapsed;
    if (t <= left) return Math.max(0, t);
  }
  // In the next window this window becomes the previous one: its share must shrink to the limit.
  return left + Math.max(0, w * (1 - max / current));
}

/** Drop windows that ended more than two days ago (the cleanup job). */
export async function purgeRateCounters(db: Kysely<DB>): Promise<number> {
  const r = await db
    .deleteFrom('rate_counter')
    .where('window_start', '<', sql<Date>`now() - interval '2 days'`)
    .executeTakeFirst();
  return Number(r.numDeletedRows);
}
