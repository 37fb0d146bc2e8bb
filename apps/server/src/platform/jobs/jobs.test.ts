import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createTestContext, type TestContext } from '../../../test/support.ts';
import type { AppContext } from '../context.ts';
import { claimDueJobs, completeJob, extendLeases, failJob } from './jobs.repo.ts';
import { createJobQueue, type JobQueue } from './jobs.service.ts';

let t: TestContext;
let ctx: AppContext;
beforeAll(async () => {
  t = await createTestContext();
  ctx = t.ctx;
});
afterAll(() => t.close());
beforeEach(async () => {
  await ctx.db.deleteFrom('job').execute();
  await ctx.db.deleteFrom('job_schedule').execute();
});

const job = (id: number | null) =>
  ctx.db.selectFrom('job').selectAll().where('id', '=', id!).executeTakeFirstOrThrow();
const secondsFromNow = async (column: 'run_at' | 'lease_until', id: number | null) => {
  const q = sql<{
    s: number;
  }>`select extract(epoch from ${sql.ref(column)} - now())::float8 as s from job where id = ${id}`;
  return (await q.execute(ctx.db)).rows[0]!.s;
};
/** Stand-in for the clock moving on: make every pending job due now. */
const makeDue = () => sql`update job set run_at = now() where status = 'pending'`.execute(ctx.db);

/** A queue with one job that counts its executions per job id and can be told to fail. */
function countingQueue(
  workerId: string,
  opts: { fail?: () => boolean; backoff?: number; maxAttempts?: number } = {},
) {
  const runs = new Map<number, number>();
  const queue = createJobQueue({ db: ctx.db, workerId });
  queue.define({
    name: 'test.count',
    payload: z.object({ n: z.number().int() }),
    maxAttempts: opts.maxAttempts ?? 3,
    backoffSeconds: (attempt) => (opts.backoff ?? 60) * attempt,
    async handler(_payload, run) {
      runs.set(run.job.id, (runs.get(run.job.id) ?? 0) + 1);
      await new Promise((r) => setImmediate(r));
      if (opts.fail?.()) throw new Error('盘点失败');
    },
  });
  return { queue, runs };
}

describe('running jobs', () => {
  it('runs a due job once and marks it succeeded', async () => {
    const { queue, runs } = countingQueue('w1');
    const id = await queue.enqueue(ctx.db, 'test.count', { n: 1 });
    expect(await queue.claimAndRun(ctx, 10)).toBe(1);
    expect(await queue.claimAndRun(ctx, 10)).toBe(0);
    expect(runs.get(id!)).toBe(1);
    const row = await job(id);
    expect(row).toMatchObject({ status: 'succeeded', attempts: 1, locked_by: null, last_error: null });
    expect(row.finished_at).not.toBeNull();
  });

  it('does not run a job before its run_at', async () => {
    const { queue, runs } = countingQueue('w1');
    const id = await queue.enqueue(
      ctx.db,
      'test.count',
      { n: 1 },
      { runAt: new Date(Date.now() + 3_600_000) },
    );
    expect(await queue.claimAndRun(ctx, 10)).toBe(0);
    expect(runs.size).toBe(0);
    expect((await job(id)).status).toBe('pending');
  });

  it('retries a failing job with backoff, then dead-letters it with its error', async () => {
    const { queue, runs } = countingQueue('w1', { fail: () => true, backoff: 60, maxAttempts: 3 });
    const id = await queue.enqueue(ctx.db, 'test.count', { n: 1 });
    expect(await queue.claimAndRun(ctx)).toBe(1);
    let row = await job(id);
    expect(row).toMatchObject({ status: 'pending', attempts: 1, locked_by: null });
    expect(row.last_error).toContain('盘点失败');
    expect(await secondsFromNow('run_at', id)).toBeGreaterThan(50);
    expect(await queue.claimAndRun(ctx)).toBe(0); // not due yet

    for (const attempt of [2, 3]) {
      await makeDue();
      expect(await queue.claimAndRun(ctx)).toBe(1);
      expect((await job(id)).attempts).toBe(attempt);
    }
    row = await job(id);
    expect(row.status).toBe('dead');
    expect(row.last_error).toContain('盘点失败');
    expect(row.finished_at).not.toBeNull();
    await makeDue();
    expect(await queue.claimAndRun(ctx)).toBe(0);
    expect(runs.get(id!)).toBe(3);
  });

  it('sends a dead job back to the queue with fresh attempts', async () => {
    let failing = true;
    const { queue, runs } = countingQueue('w1', { fail: () => failing, maxAttempts: 1 });
    const id = (await queue.enqueue(ctx.db, 'test.count', { n: 1 }))!;
    await queue.claimAndRun(ctx);
    expect((await job(id)).status).toBe('dead');
    failing = false;
    await queue.retryDead(id);
    expect(await job(id)).toMatchObject({ status: 'pending', attempts: 0, finished_at: null });
    expect(await queue.claimAndRun(ctx)).toBe(1);
    expect(await job(id)).toMatchObject({ status: 'succeeded', attempts: 1 });
    expect(runs.get(id)).toBe(2);
    await expect(queue.retryDead(id)).rejects.toMatchObject({ code: 'JOB_NOT_DEAD', status: 409 });
    await expect(queue.retryDead(999_999)).rejects.toMatchObject({ code: 'JOB_NOT_DEAD' });
  });

  it('lists jobs newest first, by status, with a keyset cursor', async () => {
    const { queue } = countingQueue('w1');
    const ids = [];
    for (let n = 0; n < 5; n++) ids.push((await queue.enqueue(ctx.db, 'test.count', { n }))!);
    await queue.claimAndRun(ctx, 2);
    const page1 = await queue.list({ limit: 3 });
    expect(page1.map((j) => j.id)).toEqual([ids[4], ids[3], ids[2]]);
    const page2 = await queue.list({ limit: 3, after: page1[2]!.id });
    expect(page2.map((j) => j.id)).toEqual([ids[1], ids[0]]);
    const done = await queue.list({ status: 'succeeded', limit: 10 });
    expect(done.map((j) => j.id)).toEqual([ids[1], ids[0]]);
    expect(done[0]).toMatchObject({ name: 'test.count', payload: { n: 1 }, attempts: 1, maxAttempts: 3 });
  });
});

describe('enqueueing', () => {
  it('rejects unknown jobs and payloads that do not match the schema', async () => {
    const { queue } = countingQueue('w1');
    await expect(queue.enqueue(ctx.db, 'test.count', { n: 'x' })).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    });
    await expect(queue.enqueue(ctx.db, 'test.count', {})).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    });
    await expect(queue.enqueue(ctx.db, 'test.nope', {})).rejects.toMatchObject({ code: 'JOB_UNKNOWN' });
    expect(await ctx.db.selectFrom('job').select('id').execute()).toEqual([]);
  });

  it('enqueues a dedupe key once', async () => {
    const { queue } = countingQueue('w1');
    const first = await queue.enqueue(ctx.db, 'test.count', { n: 1 }, { dedupeKey: 'k1' });
    expect(first).toBeTypeOf('number');
    expect(await queue.enqueue(ctx.db, 'test.count', { n: 2 }, { dedupeKey: 'k1' })).toBeNull();
    expect(await ctx.db.selectFrom('job').select('id').execute()).toHaveLength(1);
  });

  it('never runs a job enqueued in a transaction that rolled back', async () => {
    const { queue, runs } = countingQueue('w1');
    await expect(
      ctx.db.transaction().execute(async (tx) => {
        await queue.enqueue(tx, 'test.count', { n: 1 });
        throw new Error('rollback');
      }),
    ).rejects.toThrow('rollback');
    expect(await queue.claimAndRun(ctx, 10)).toBe(0);
    expect(runs.size).toBe(0);
    expect(await ctx.db.selectFrom('job').select('id').execute()).toEqual([]);
  });
});

describe('several workers', () => {
  it('two queues racing over 50 jobs run every job exactly once', async () => {
    const a = countingQueue('worker-a');
    const b = countingQueue('worker-b');
    const ids = new Set<number>();
    for (let n = 0; n < 50; n++) ids.add((await a.queue.enqueue(ctx.db, 'test.count', { n }))!);
    const drain = async (q: JobQueue) => {
      while ((await q.claimAndRun(ctx, 3)) > 0);
    };
    await Promise.all([drain(a.queue), drain(b.queue), drain(a.queue), drain(b.queue)]);

    const merged = new Map<number, number>();
    for (const [id, n] of [...a.runs, ...b.runs]) merged.set(id, (merged.get(id) ?? 0) + n);
    expect(new Set(merged.keys())).toEqual(ids);
    expect([...merged.values()].every((n) => n === 1)).toBe(true);
    expect(a.runs.size).toBeGreaterThan(0);
    expect(b.runs.size).toBeGreaterThan(0);
    const statuses = await ctx.db.selectFrom('job').select(['status', 'attempts']).execute();
    expect(statuses).toHaveLength(50);
    expect(statuses.every((r) => r.status === 'succeeded' && r.attempts === 1)).toBe(true);
  });

  it("reclaims a crashed worker's job once its lease expires, and fences the stale worker", async () => {
    const { queue, runs } = countingQueue('survivor');
    const id = (await queue.enqueue(ctx.db, 'test.count', { n: 1 }))!;
    const [claimed] = await claimDueJobs(ctx.db, {
      workerId: 'crashed',
      names: ['test.count'],
      limit: 1,
      leaseSeconds: 300,
    });
    expect(claimed).toMatchObject({ id, status: 'running', locked_by: 'crashed' });
    expect(await queue.claimAndRun(ctx)).toBe(0); // the lease still holds
    const leaseLeft = () => secondsFromNow('lease_until', id);
    await extendLeases(ctx.db, 'survivor', [id], 3600); // not its job: no effect
    expect(await leaseLeft()).toBeLessThanOrEqual(300);
    await extendLeases(ctx.db, 'crashed', [id], 3600); // the heartbeat of the job's own worker
    expect(await leaseLeft()).toBeGreaterThan(3000);

    await sql`update job set lease_until = now() - interval '1 second' where id = ${id}`.execute(ctx.db);
    expect(await queue.claimAndRun(ctx)).toBe(1);
    expect(await job(id)).toMatchObject({ status: 'succeeded', attempts: 2 });
    expect(runs.get(id)).toBe(1);

    // The crashed worker comes back and reports on its old attempt: nothing changes.
    await failJob(ctx.db, { id, attempts: 1, maxAttempts: 3 }, 'crashed', 'late', 0);
    await completeJob(ctx.db, { id, attempts: 1 }, 'crashed');
    expect(await job(id)).toMatchObject({ status: 'succeeded', attempts: 2 });
  });

  it('enqueues a cron firing once however many queues tick at the same due time', async () => {
    const a = countingQueue('worker-a');
    const b = countingQueue('worker-b');
    await a.queue.schedule('test.every-minute', '* * * * *', 'test.count', { n: 7 });
    await b.queue.schedule('test.every-minute', '* * * * *', 'test.count', { n: 7 });
    const at = new Date(Date.now() + 5 * 60_000);
    const counts = await Promise.all([
      a.queue.tickSchedules(at),
      b.queue.tickSchedules(at),
      a.queue.tickSchedules(at),
    ]);
    expect(counts.reduce((x, y) => x + y, 0)).toBe(1);
    const fire = new Date(at);
    fire.setUTCSeconds(0, 0);
    const rows = await ctx.db.selectFrom('job').selectAll().execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      name: 'test.count',
      payload: { n: 7 },
      dedupe_key: `cron:test.every-minute:${fire.toISOString()}`,
    });
    const schedule = await ctx.db.selectFrom('job_schedule').selectAll().executeTakeFirstOrThrow();
    expect(new Date(schedule.last_fired_at!).toISOString()).toBe(fire.toISOString());

    expect(await b.queue.tickSchedules(at)).toBe(0);
    expect(await b.queue.tickSchedules(new Date(at.getTime() + 60_000))).toBe(1);
    await expect(a.queue.schedule('bad', 'not a cron', 'test.count', { n: 1 })).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    });
  });
});
