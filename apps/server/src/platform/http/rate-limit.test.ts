import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestContext } from '../../../test/support.ts';
import { AppError } from '../errors.ts';
import { hitRateLimit, slidingWait } from './rate-limit.ts';

let t: TestContext;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

/** Put `n` requests into the window before the current one (as a flood just before a boundary leaves it). */
async function previousWindow(bucket: string, windowSeconds: number, n: number): Promise<void> {
  await sql`
    insert into rate_counter (bucket, window_start, n)
    values (${`${bucket}:${windowSeconds}`},
      to_timestamp(floor(extract(epoch from now()) / ${windowSeconds}) * ${windowSeconds} - ${windowSeconds}), ${n})`.execute(
    t.ctx.db,
  );
}

async function attempt(bucket: string, max: number, windowSeconds = 3600): Promise<number | 'ok'> {
  let retryAfter = 0;
  try {
    await hitRateLimit(t.ctx.db, bucket, [{ windowSeconds, max }], { onLimited: (s) => (retryAfter = s) });
    return 'ok';
  } catch (err) {
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('RATE_LIMITED');
    return retryAfter;
  }
}

describe('rate limits over sliding windows', () => {
  it('allows the limit, then refuses with a Retry-After, and keeps counting refused requests', async () => {
    const results = [];
    for (let i = 0; i < 5; i++) results.push(await attempt('test:fresh', 3));
    expect(results.slice(0, 3)).toEqual(['ok', 'ok', 'ok']);
    expect(results[3]).toBeGreaterThan(0);
    expect(results[4]).toBeGreaterThanOrEqual(results[3] as number);
    const counted = await t.ctx.db
      .selectFrom('rate_counter')
      .select('n')
      .where('bucket', '=', 'test:fresh:3600')
      .executeTakeFirstOrThrow();
    expect(counted.n).toBe(5);
  });

  it('a flood just before a window boundary still counts after it', async () => {
    // The previous day's flood still weighs in the new day: a fresh fixed window alone would let it start again.
    // (Its share shrinks over the day; a million requests keep it over 5 until the day's last half second.)
    await previousWindow('test:boundary', 86400, 1_000_000);
    expect(await attempt('test:boundary', 5, 86400)).toBeGreaterThan(0);
    // Another address is not affected.
    expect(await attempt('test:other', 5)).toBe('ok');
  });

  it('a quiet previous window does not hold back the current one', async () => {
    await previousWindow('test:quiet', 3600, 2);
    for (let i = 0; i < 3; i++) expect(await attempt('test:quiet', 5)).toBe('ok');
  });
});

describe('slidingWait', () => {
  const w = 60;
  it('is zero while the estimate is within the limit', () => {
    expect(slidingWait({ current: 3, previous: 4, elapsed: 30, window: w, max: 5 })).toBe(0); // 2 + 3
  });
  it('waits for the previous window to fade when the current one alone is within the limit', () => {
    // 6 × (1 − 10/60) + 2 = 7 > 5; back at 5 when 6 × (1 − x/60) = 3 → x = 30, i.e. 20 s from now.
    expect(slidingWait({ current: 2, previous: 6, elapsed: 10, window: w, max: 5 })).toBeCloseTo(20);
  });
  it('waits into the next window when the current one alone is over the limit', () => {
    // 10 requests now, 50 s into the window: 10 s left, then 10 × (1 − y/60) ≤ 5 → y = 30.
    expect(slidingWait({ current: 10, previous: 0, elapsed: 50, window: w, max: 5 })).toBeCloseTo(40);
  });
});
