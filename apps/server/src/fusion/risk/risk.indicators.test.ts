import type { EntityRisk } from '@rongjian/shared/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../../../test/support.ts';
import { licenceExpiryWarningSetting } from '../entities/entities.settings.ts';
import { recomputeRisk } from './risk.compute.ts';
import { AS_OF, day, riskTestOrg } from './risk.test-support.ts';
import { loadEntityRisk } from './risk.view.ts';

let t: TestContext;
let org: Awaited<ReturnType<typeof riskTestOrg>>;

beforeAll(async () => {
  t = await createTestContext();
  org = await riskTestOrg(t.ctx.db);
});
afterAll(() => t?.close());

/** Classify one entity as of today and return its explanation. */
async function classify(id: number): Promise<EntityRisk> {
  await recomputeRisk(t.ctx, { entityIds: [id] }, { asOf: AS_OF });
  const risk = await loadEntityRisk(t.ctx.db, id);
  if (!risk) throw new Error('not classified');
  return risk;
}
const points = (r: EntityRisk) => Object.fromEntries(r.contributions.map((c) => [c.key, c.points]));

describe('credit indicators', () => {
  it('scores a listing on the 经营异常名录 only while it is not removed', async () => {
    const listed = await org.entity('异常名录在列商行');
    await org.credit(listed, {
      kind: 'abnormal_operation',
      decidedOn: day(-100),
      reason: '未按照规定的期限公示年度报告',
    });
    const r = await classify(listed);
    expect(r).toMatchObject({ riskClass: 'C', label: '较高风险', score: 30 });
    expect(r.contributions).toEqual([
      {
        key: 'abnormalOperation',
        label: '列入经营异常名录',
        value: 1,
        weight: 30,
        points: 30,
        detail: `列入经营异常名录（${day(-100)}，未移出）：未按照规定的期限公示年度报告`,
      },
    ]);

    const removed = await org.entity('已移出异常名录商行');
    await org.credit(removed, { kind: 'abnormal_operation', decidedOn: day(-300), removedOn: day(-20) });
    const future = await org.entity('尚未列入商行');
    await org.credit(future, { kind: 'abnormal_operation', decidedOn: day(5) });
    for (const id of [removed, future])
      expect(await classify(id)).toMatchObject({ riskClass: 'A', score: 0, contributions: [] });
  });

  it('puts an entity on the 严重违法失信名单 in class D, that reason first', async () => {
    const id = await org.entity('失信名单商行');
    await org.credit(id, {
      kind: 'serious_violation',
      decidedOn: day(-400),
      reason: '列入经营异常名录届满 3 年',
    });
    await org.credit(id, { kind: 'abnormal_operation', decidedOn: day(-1500) });
    const r = await classify(id);
    expect(r).toMatchObject({ riskClass: 'D', label: '高风险', score: 90 });
    expect(r.contributions.map((c) => c.key)).toEqual(['seriousViolation', 'abnormalOperation']);
    expect(r.contributions[0]!.detail).toBe(
      `列入严重违法失信名单（${day(-400)}，未移出）：列入经营异常名录届满 3 年`,
    );
  });

  it('counts 行政处罚 of the last three years, a large one twice, up to the cap', async () => {
    const two = await org.entity('处罚两次商行');
    await org.credit(two, {
      kind: 'administrative_penalty',
      decidedOn: day(-500),
      amount: 5000,
      reason: '虚假宣传',
    });
    await org.credit(two, {
      kind: 'administrative_penalty',
      decidedOn: day(-30),
      amount: 120_000,
      reason: '销售过期食品',
    });
    await org.credit(two, { kind: 'administrative_penalty', decidedOn: day(-1200), amount: 3000 });
    const r = await classify(two);
    expect(r.contributions).toEqual([
      expect.objectContaining({
        key: 'administrativePenalty',
        value: 3,
        weight: 10,
        points: 30,
        detail: `近 3 年行政处罚 2 次，罚没合计 125,000 元，最近一次 ${day(-30)}（销售过期食品）；其中大额罚没（≥ 100,000 元）1 次，加计 1 次`,
      }),
    ]);
    expect(r.riskClass).toBe('C');

    const one = await org.entity('处罚一次商行');
    await org.credit(one, { kind: 'administrative_penalty', decidedOn: day(-10), amount: 2000 });
    expect(await classify(one)).toMatchObject({ riskClass: 'B', score: 10 });

    const many = await org.entity('多次处罚商行');
    for (const n of [10, 20, 30, 40, 50]) {
      await org.credit(many, { kind: 'administrative_penalty', decidedOn: day(-n), amount: 1000 });
    }
    const capped = await classify(many);
    expect(capped.contributions[0]).toMatchObject({ value: 5, points: 30 });
    expect(capped.score).toBe(30);
  });
});

describe('licence indicators', () => {
  it('scores a licence that expired while the entity still trades, unless it was renewed or the entity closed', async () => {
    const lapsed = await org.entity('过期未换证商行');
    await org.licence(lapsed, { validUntil: day(-45) });
    const r = await classify(lapsed);
    expect(r).toMatchObject({ riskClass: 'B', score: 15 });
    expect(r.contributions[0]).toMatchObject({ key: 'licenceExpiredOperating', label: '许可证过期仍在经营' });
    expect(r.contributions[0]!.detail).toMatch(
      new RegExp(`^食品经营许可证 JY\\d+ 已于 ${day(-45)} 过期；主体登记状态仍为“存续”$`),
    );

    const renewed = await org.entity('已换证商行');
    await org.licence(renewed, { validUntil: day(-45), status: '过期' });
    await org.licence(renewed, { validUntil: day(1800) });
    const closed = await org.entity('已注销商行', { status: '注销' });
    await org.licence(closed, { validUntil: day(-45), status: '过期' });
    for (const id of [renewed, closed])
      expect(await classify(id)).toMatchObject({ riskClass: 'A', score: 0 });

    const twoLapsed = await org.entity('两证过期商行');
    await org.licence(twoLapsed, { validUntil: day(-45) });
    await org.licence(twoLapsed, { validUntil: day(-5), kind: 'drug_business' });
    expect(await classify(twoLapsed)).toMatchObject({ riskClass: 'C', score: 30 });
  });

  it('scores a revoked licence', async () => {
    const id = await org.entity('许可被吊销商行');
    await org.licence(id, { validUntil: day(600), status: '吊销' });
    const r = await classify(id);
    expect(points(r)).toEqual({ licenceRevoked: 30 });
    expect(r.contributions[0]!.detail).toMatch(/^食品经营许可证 JY\d+ 已被吊销$/);
  });

  it('scores an expiring licence by the tiers of 许可证到期预警, nearest first', async () => {
    const soon = await org.entity('即将到期商行');
    await org.licence(soon, { validUntil: day(10) });
    await org.licence(soon, { validUntil: day(70), kind: 'drug_business' });
    const r = await classify(soon);
    expect(r).toMatchObject({ riskClass: 'B', score: 12 });
    expect(r.contributions[0]).toMatchObject({ key: 'licenceExpiring', value: 3, weight: 4, points: 12 });
    expect(r.contributions[0]!.detail).toMatch(
      new RegExp(
        `^食品经营许可证 JY\\d+ 将于 ${day(10)} 到期（剩 10 天）；药品经营许可证 JY\\d+ 将于 ${day(70)} 到期（剩 70 天）$`,
      ),
    );
    const later = await org.entity('两月内到期商行');
    await org.licence(later, { validUntil: day(45) });
    expect(points(await classify(later))).toEqual({ licenceExpiring: 8 });
    const far = await org.entity('远期到期商行');
    await org.licence(far, { validUntil: day(120) });
    expect(points(await classify(far))).toEqual({});

    // The same setting that colours the profile's warning tags moves the tiers here.
    await t.ctx.settings.set({ id: null, name: '测试' }, licenceExpiryWarningSetting, {
      days: [50, 100, 150],
    });
    expect(points(await classify(far))).toEqual({ licenceExpiring: 4 });
    expect(points(await classify(later))).toEqual({ licenceExpiring: 12 });
  });
});

describe('registration indicators', () => {
  it('flags a revoked or deregistered entity that still holds a live licence', async () => {
    const id = await org.entity('吊销仍持证商行', { status: '吊销，未注销' });
    await org.licence(id, { validUntil: day(300) });
    const r = await classify(id);
    expect(r).toMatchObject({ riskClass: 'C', score: 40 });
    expect(r.contributions[0]!.detail).toMatch(
      /^登记状态为“吊销，未注销”，仍持有效许可证 1 张：食品经营许可证 JY\d+$/,
    );
    const quiet = await org.entity('吊销无证商行', { status: '吊销' });
    expect(await classify(quiet)).toMatchObject({ riskClass: 'A', score: 0 });
  });

  it('puts an entity younger than a year in class B', async () => {
    const young = await org.entity('新开商行', { establishedOn: day(-100) });
    const r = await classify(young);
    expect(r).toMatchObject({ riskClass: 'B', score: 10 });
    expect(r.contributions[0]!.detail).toBe(`成立于 ${day(-100)}，不满 12 个月`);
    const older = await org.entity('老字号商行', { establishedOn: day(-400) });
    const unknown = await org.entity('成立日期不详商行', { establishedOn: null });
    for (const id of [older, unknown]) expect(await classify(id)).toMatchObject({ riskClass: 'A' });
  });
});
