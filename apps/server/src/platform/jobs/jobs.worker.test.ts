import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createOrg, login } from '../../../test/fixtures.ts';
import { createTestApp, type TestContext } from '../../../test/support.ts';
import type { App } from '../http/app.ts';
import { json } from '../db/json.ts';
import { createJobQueue } from './jobs.service.ts';

let t: TestContext & { app: App };
let org: Awaited<ReturnType<typeof createOrg>>;
beforeAll(async () => {
  t = await createTestApp();
  org = await createOrg(t.ctx.db);
});
afterAll(() => t.close());

const deferred = () => {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
};

describe('the worker loop', () => {
  it('is safe to stop when never started', async () => {
    await createJobQueue({ db: t.ctx.db }).stopWorker();
  });

  it('writes the built-in schedules, runs enqueued jobs and waits for a running job when stopped', async () => {
    const { ctx } = t;
    const started = deferred();
    const gate = deferred();
    ctx.jobs.define({
      name: 'test.worker',
      payload: z.object({}),
      async handler() {
        started.resolve();
        await gate.promise;
      },
    });
    await ctx.jobs.startWorker(ctx, { pollMs: 10, concurrency: 2 });
    await ctx.jobs.startWorker(ctx); // a second start is a no-op
    const schedules = await ctx.db
      .selectFrom('job_schedule')
      .select(['name', 'cron', 'job_name'])
      .orderBy('name')
      .execute();
    expect(schedules).toEqual([
      { name: 'analysis.detect', cron: '15 4 * * *', job_name: 'analysis.detect' },
      { name: 'analysis.review.monthly', cron: '0 4 1 * *', job_name: 'analysis.review.monthly' },
      { name: 'clues.channels.cleanup', cron: '25 * * * *', job_name: 'clues.channels.cleanup' },
      { name: 'deadlines.sweep', cron: '5 * * * *', job_name: 'deadlines.sweep' },
      { name: 'dispatch.escalate', cron: '15 * * * *', job_name: 'dispatch.escalate' },
      { name: 'exchange.sweep', cron: '*/5 * * * *', job_name: 'exchange.sweep' },
      { name: 'fusion.resolution.refuse', cron: '40 2 * * *', job_name: 'fusion.resolution.refuse' },
      { name: 'fusion.risk.recompute', cron: '30 1 * * *', job_name: 'fusion.risk.recompute' },
      { name: 'gis.locate', cron: '10 3 * * *', job_name: 'gis.locate' },
      { name: 'platform.audit.archive', cron: '20 2 * * *', job_name: 'platform.audit.archive' },
      { name: 'platform.jobs.purge', cron: '30 3 * * *', job_name: 'platform.jobs.purge' },
      { name: 'platform.session.cleanup', cron: '*/10 * * * *', job_name: 'platform.session.cleanup' },
    ]);

    const id = (await ctx.jobs.enqueue(ctx.db, 'test.worker', {}))!;
    await started.promise;
    const stopping = ctx.jobs.stopWorker();
    gate.resolve();
    await stopping;
    const row = await ctx.db.selectFrom('job').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: 'succeeded', attempts: 1 });
    await ctx.jobs.stopWorker();
  });
});

describe('built-in jobs', () => {
  it('platform.session.cleanup removes expired and idle sessions only', async () => {
    const { ctx } = t;
    const userId = await org.user('sessionuser', 'director');
    const idle = ctx.config.sessionIdleMinutes + 5;
    await ctx.db
      .insertInto('session')
      .values([
        { id: 'expired', user_id: userId, expires_at: sql<Date>`now() - interval '1 minute'` },
        {
          id: 'idle',
          user_id: userId,
          expires_at: sql<Date>`now() + interval '1 hour'`,
          last_seen_at: sql<Date>`now() - make_interval(mins => ${idle})`,
        },
        { id: 'fresh', user_id: userId, expires_at: sql<Date>`now() + interval '1 hour'` },
      ])
      .execute();
    await ctx.jobs.enqueue(ctx.db, 'platform.session.cleanup', {});
    expect(await ctx.jobs.claimAndRun(ctx, 5)).toBe(1);
    const left = await ctx.db.selectFrom('session').select('id').where('user_id', '=', userId).execute();
    expect(left).toEqual([{ id: 'fresh' }]);
  });

  it('platform.jobs.purge removes old succeeded jobs and keeps dead ones', async () => {
    const { ctx } = t;
    const old = sql<Date>`now() - interval '30 days'`;
    const rows = await ctx.db
      .insertInto('job')
      .values([
        { payload: json({}), name: 'x.old', status: 'succeeded', finished_at: old },
        { payload: json({}), name: 'x.recent', status: 'succeeded', finished_at: sql<Date>`now()` },
        { payload: json({}), name: 'x.dead', status: 'dead', finished_at: old },
      ])
      .returning('name')
      .execute();
    expect(rows).toHaveLength(3);
    await ctx.jobs.enqueue(ctx.db, 'platform.jobs.purge', {});
    await ctx.jobs.claimAndRun(ctx, 5);
    const names = await ctx.db
      .selectFrom('job')
      .select('name')
      .where('name', 'like', 'x.%')
      .orderBy('name')
      .execute();
    expect(names.map((r) => r.name)).toEqual(['x.dead', 'x.recent']);
  });
});

describe('HTTP', () => {
  it('lists jobs and retries a dead one for a system administrator only', async () => {
    const { app, ctx } = t;
    await org.user('jobadmin', 'sysadmin');
    await org.user('jobdirector', 'director');
    const dead = await ctx.db
      .insertInto('job')
      .values({
        payload: json({}),
        name: 'platform.session.cleanup',
        status: 'dead',
        attempts: 5,
        last_error: 'Error: 故障',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const admin = await login(app, 'jobadmin');
    const director = await login(app, 'jobdirector');

    const list = await app.inject({
      method: 'GET',
      url: '/api/system/jobs?status=dead&limit=10',
      headers: admin.headers,
    });
    expect(list.statusCode).toBe(200);
    const items = list.json().items as { id: number; status: string; lastError: string }[];
    expect(items.map((j) => j.id)).toContain(Number(dead.id));
    expect(items.every((j) => j.status === 'dead')).toBe(true);
    expect(items[0]).toMatchObject({ lastError: 'Error: 故障' });
    const bad = await app.inject({
      method: 'GET',
      url: '/api/system/jobs?status=lost',
      headers: admin.headers,
    });
    expect(bad.statusCode).toBe(400);

    const forbidden = await app.inject({ method: 'GET', url: '/api/system/jobs', headers: director.headers });
    expect(forbidden.statusCode).toBe(403);
    const url = `/api/system/jobs/${dead.id}/retry`;
    expect((await app.inject({ method: 'POST', url, headers: director.headers })).statusCode).toBe(403);

    const retry = await app.inject({ method: 'POST', url, headers: admin.headers });
    expect(retry.statusCode).toBe(200);
    const row = await ctx.db
      .selectFrom('job')
      .selectAll()
      .where('id', '=', dead.id)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: 'pending', attempts: 0 });
    const again = await app.inject({ method: 'POST', url, headers: admin.headers });
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ code: 'JOB_NOT_DEAD' });
  });
});
