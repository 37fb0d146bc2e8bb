import type { EntityProfile, EntityRiskView, RiskOverview } from '@rongjian/shared/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login } from '../../../test/fixtures.ts';
import { createTestApp, type TestContext } from '../../../test/support.ts';
import type { App } from '../../platform/http/app.ts';
import { appendEvent } from '../../platform/ledger/ledger.service.ts';
import { recomputeRisk } from './risk.compute.ts';
import { RECOMPUTE_JOB } from './risk.repo.ts';
import { day, riskTestOrg } from './risk.test-support.ts';

let t: TestContext & { app: App };
let org: Awaited<ReturnType<typeof riskTestOrg>>;
let ids: { listed: number; clean: number; other: number; fresh: number };
const headers: Record<string, Record<string, string>> = {};

beforeAll(async () => {
  t = await createTestApp();
  org = await riskTestOrg(t.ctx.db);
  await org.user('director', 'director');
  await org.user('officer', 'officer', org.stationA);
  await org.user('sys', 'sysadmin');
  for (const u of ['director', 'officer', 'sys']) headers[u] = (await login(t.app, u)).headers;
  ids = {
    listed: await org.entity('城东异常名录商行'),
    clean: await org.entity('城东守信商行'),
    other: await org.entity('城西吊销仍持证商行', { station: org.stationB, status: '吊销' }),
    fresh: await org.entity('城东未评定商行'),
  };
  await org.credit(ids.listed, {
    kind: 'abnormal_operation',
    decidedOn: day(-12),
    reason: '未按照规定的期限公示年度报告',
  });
  await org.licence(ids.other, { validUntil: day(200) });
  await recomputeRisk(t.ctx, { entityIds: [ids.listed, ids.clean, ids.other] });
});
afterAll(() => t?.close());

const get = (user: string, url: string) => t.app.inject({ url, headers: headers[user] });
const post = (user: string, url: string) => t.app.inject({ method: 'POST', url, headers: headers[user] });

describe('GET /api/entities/:id/risk', () => {
  it('explains the class: score, each indicator’s points and reason, model version and time', async () => {
    const res = await get('officer', `/api/entities/${ids.listed}/risk`);
    expect(res.statusCode).toBe(200);
    const { risk } = res.json<EntityRiskView>();
    expect(risk).toMatchObject({
      riskClass: 'C',
      label: '较高风险',
      score: 30,
      thresholds: [10, 30, 60],
      modelVersion: 'default',
      contributions: [
        {
          label: '列入经营异常名录',
          points: 30,
          detail: `列入经营异常名录（${day(-12)}，未移出）：未按照规定的期限公示年度报告`,
        },
      ],
    });
    expect(Date.parse(risk!.computedAt)).not.toBeNaN();
    expect((await get('officer', `/api/entities/${ids.fresh}/risk`)).json()).toEqual({
      entityId: ids.fresh,
      risk: null,
    });
  });

  it('shows the same explanation in the 一户一档', async () => {
    const profile = (await get('officer', `/api/entities/${ids.listed}`)).json<EntityProfile>();
    expect(profile.riskClass).toBe('C');
    expect(profile.risk).toMatchObject({
      riskClass: 'C',
      score: 30,
      contributions: [{ key: 'abnormalOperation' }],
    });
  });

  it('answers 404 outside the data scope or for a missing entity, 400 for a bad id', async () => {
    const other = await get('officer', `/api/entities/${ids.other}/risk`);
    expect(other.statusCode).toBe(404);
    expect(other.body).not.toContain('吊销');
    expect(
      (await get('director', `/api/entities/${ids.other}/risk`)).json<EntityRiskView>().risk?.riskClass,
    ).toBe('C');
    expect((await get('director', '/api/entities/999999/risk')).statusCode).toBe(404);
    expect((await get('director', '/api/entities/abc/risk')).statusCode).toBe(400);
  });
});

describe('POST /api/entities/:id/risk/recompute', () => {
  it('recomputes one entity for a holder of the permission, audited, and names him on the class change', async () => {
    expect((await post('officer', `/api/entities/${ids.clean}/risk/recompute`)).statusCode).toBe(403);
    await org.credit(ids.clean, {
      kind: 'administrative_penalty',
      decidedOn: day(-3),
      amount: 8000,
      reason: '虚假宣传',
    });
    const res = await post('director', `/api/entities/${ids.clean}/risk/recompute`);
    expect(res.statusCode).toBe(200);
    expect(res.json<EntityRiskView>().risk).toMatchObject({ riskClass: 'B', score: 10 });
    const audit = await t.ctx.db
      .selectFrom('audit_log')
      .select(['action', 'actor_name', 'detail', 'result'])
      .where('action', '=', 'entity:risk:recompute')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    expect(audit).toMatchObject({ actor_name: 'director', result: 'success' });
    expect(audit.detail).toBe('重新计算信用风险分类：城东守信商行，结果 B 类（一般风险，10 分）');
    const event = await t.ctx.db
      .selectFrom('ledger_event')
      .select(['actor_name', 'payload'])
      .where('kind', '=', 'entity.risk.changed')
      .where('subject_id', '=', String(ids.clean))
      .executeTakeFirstOrThrow();
    expect(event).toMatchObject({ actor_name: 'director', payload: { from: 'A', to: 'B' } });
    expect((await post('director', `/api/entities/${ids.other + 1000}/risk/recompute`)).statusCode).toBe(404);
  });
});

describe('the risk overview', () => {
  it('counts classes per 所 within the data scope, with each indicator’s hits and the model in force', async () => {
    const all = (await get('director', '/api/risk/overview')).json<RiskOverview>();
    expect(all.total).toEqual({ A: 0, B: 1, C: 2, D: 0, none: 1 });
    expect(all.byStation.map((s) => [s.stationName, s.counts])).toEqual([
      ['城东市场监管所', { A: 0, B: 1, C: 1, D: 0, none: 1 }],
      ['城西市场监管所', { A: 0, B: 0, C: 1, D: 0, none: 0 }],
    ]);
    const hits = Object.fromEntries(all.indicators.map((i) => [i.key, i.entities]));
    expect(hits).toMatchObject({
      abnormalOperation: 1,
      registrationAbnormal: 1,
      administrativePenalty: 1,
      seriousViolation: 0,
    });
    expect(all.model).toEqual({ version: 'default', thresholds: [10, 30, 60] });

    const mine = (await get('officer', '/api/risk/overview')).json<RiskOverview>();
    expect(mine.total).toEqual({ A: 0, B: 1, C: 1, D: 0, none: 1 });
    expect(mine.byStation.map((s) => s.stationName)).toEqual(['城东市场监管所']);
    expect(mine.indicators.find((i) => i.key === 'registrationAbnormal')?.entities).toBe(0);
  });

  it('queues one full recomputation at a time; the job then classifies everyone', async () => {
    expect((await post('officer', '/api/risk/recompute')).statusCode).toBe(403);
    const first = await post('director', '/api/risk/recompute');
    expect(first.statusCode).toBe(200);
    const queued = first.json<{ jobId: number; queued: boolean }>();
    expect(queued.queued).toBe(true);
    expect((await post('director', '/api/risk/recompute')).json()).toEqual({
      jobId: queued.jobId,
      queued: false,
    });
    expect((await get('director', '/api/risk/overview')).json<RiskOverview>().lastRun).toMatchObject({
      jobId: queued.jobId,
      status: 'pending',
    });
    await t.ctx.jobs.claimAndRun(t.ctx, 5);
    const after = (await get('director', '/api/risk/overview')).json<RiskOverview>();
    expect(after.total.none).toBe(0);
    expect(after.lastRun).toMatchObject({ jobId: queued.jobId, status: 'succeeded' });
  });
});

describe('reacting to other modules', () => {
  it('recomputes an entity after a merge moved records onto it', async () => {
    const survivor = await org.entity('合并存续商行');
    await org.credit(survivor, { kind: 'serious_violation', decidedOn: day(-8) });
    await appendEvent(t.ctx.db, {
      actor: { id: null, name: '测试' },
      subjectType: 'entity',
      subjectId: survivor,
      departmentId: org.stationA,
      kind: 'entity.merged',
      payload: { role: 'survivor' },
    });
    // The reaction runs when the event arrives (PostgreSQL delivers NOTIFY asynchronously): wait for its job.
    const pendingJob = () =>
      t.ctx.db
        .selectFrom('job')
        .select(['payload', 'status'])
        .where('name', '=', RECOMPUTE_JOB)
        .where('status', '=', 'pending')
        .executeTakeFirst();
    await expect
      .poll(async () => (await pendingJob())?.payload, { timeout: 10_000 })
      .toEqual({
        entityIds: [survivor],
      });
    await t.ctx.jobs.claimAndRun(t.ctx, 5);
    expect(
      (await get('director', `/api/entities/${survivor}/risk`)).json<EntityRiskView>().risk?.riskClass,
    ).toBe('D');
  });
});

describe('the model in 参数设置', () => {
  it('rejects a bad model with a Chinese message and keeps the one in force', async () => {
    const put = (value: Record<string, unknown>) =>
      t.app.inject({
        method: 'PUT',
        url: '/api/system/settings/fusion.riskModel',
        headers: headers.sys,
        payload: { value, effectiveFrom: day(7) },
      });
    const list = (await get('sys', '/api/system/settings')).json<{
      items: { key: string; value: Record<string, unknown> }[];
    }>();
    const current = list.items.find((s) => s.key === 'fusion.riskModel')!.value;
    const bad = await put({ ...current, thresholds: ['40', '20', '60'], seriousViolationWeight: -1 });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().message).toBe(
      '参数值不符合要求：分类分界（分）：三个分界应由低到高递增；列入严重违法失信名单：分值：不能为负数',
    );
    expect(t.ctx.settings.versions('fusion.riskModel')).toEqual([]);
    const ok = await put({ ...current, thresholds: ['15', '35', '60'] });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().upcoming).toMatchObject({ effectiveFrom: day(7), value: { thresholds: [15, 35, 60] } });
  });
});
