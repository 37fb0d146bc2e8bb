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
 * Fixed-window counters in the database, so every API node counts against the same numbers (nodes are
 * stateless). Each call counts one request in every rule's current window — refused requests count too, so a
 * flood does not reset itself — and throws 429 `RATE_LIMITED` when a window is over its limit. `onLimited` gets
 * the seconds until the longest exceeded window ends (for `Retry-After`).
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
    const row = await db
      .insertInto('rate_counter')
      .values({
        bucket: `${bucket}:${w}`,
        window_start: sql<Date>`to_timestamp(floor(extract(epoch from now()) / ${w}) * ${w})`,
        n: 1,
      })
      .onConflict((oc) =>
        oc.columns(['bucket', 'window_start']).doUpdateSet({ n: sql<number>`rate_counter.n + 1` }),
      )
      .returning([
        'n',
        sql<number>`ceil(extract(epoch from (window_start + make_interval(secs => ${w}) - now())))`.as(
          'left',
        ),
      ])
      .executeTakeFirstOrThrow();
    if (row.n > rule.max) retryAfter = Math.max(retryAfter, Math.max(1, Number(row.left)));
  }
  if (retryAfter > 0) {
    opts.onLimited?.(retryAfter);
    throw new AppError('RATE_LIMITED', opts.message ?? RATE_LIMITED_MESSAGE);
  }
}

/** Drop windows that ended more than two days ago (the cleanup job). */
export async function purgeRateCounters(db: Kysely<DB>): Promise<number> {
  const r = await db
    .deleteFrom('rate_counter')
    .where('window_start', '<', sql<Date>`now() - interval '2 days'`)
    .executeTakeFirst();
  return Number(r.numDeletedRows);
}
