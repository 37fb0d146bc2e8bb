import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../../../test/support.ts';
import { buildGrids } from './county.ts';
import { planDemoClues } from './clues.plan.ts';
import { planCountyEntities, seedDemoCounty } from './seed.ts';
import { createRng } from './random.ts';

const TODAY = '2026-11-20';

describe('planned demo clues', () => {
  const grids = buildGrids(createRng(7, 'grids'));
  const { entities } = planCountyEntities(7, grids, 400, TODAY);
  const plan = planDemoClues(7, entities, grids, 2000, TODAY);

  it('is the same for the same seed and spreads over six months before today, oldest first', () => {
    expect(planDemoClues(7, entities, grids, 2000, TODAY)).toEqual(plan);
    const days = plan.map((p) => p.receivedAt.slice(0, 10));
    expect(days[0]! >= '2026-05-20').toBe(true);
    expect(days.at(-1)! <= TODAY).toBe(true);
    expect([...days].sort()).toEqual(days);
  });

  it('mixes kinds, channels and business lines like a county’s intake, and settles old clues', () => {
    const share = (f: (p: (typeof plan)[number]) => boolean) => plan.filter(f).length / plan.length;
    expect(share((p) => p.kind === 'complaint')).toBeGreaterThan(0.4);
    expect(share((p) => p.kind === 'report')).toBeGreaterThan(0.1);
    expect(share((p) => p.kind === 'inquiry')).toBeGreaterThan(0.03);
    expect(share((p) => p.channel === '12315')).toBeGreaterThan(0.25);
    expect(new Set(plan.map((p) => p.businessLine)).size).toBeGreaterThanOrEqual(10);
    const old = plan.filter((p) => p.receivedAt < '2026-08-01');
    expect(
      old.every((p) => !['registering', 'sorting', 'analysing', 'dispatching'].includes(p.finalStatus)),
    ).toBe(true);
    // Respondents are real planned entities, named in the text.
    const linked = plan.filter((p) => p.entityIndex !== null);
    expect(linked.length / plan.length).toBeGreaterThan(0.5);
    expect(linked.filter((p) => p.content.includes(p.respondentName)).length / linked.length).toBeGreaterThan(
      0.6,
    );
    // 12315/12345 orders carry unique order numbers (imports are idempotent by them).
    const orders = plan.filter((p) => p.externalNo).map((p) => p.externalNo);
    expect(new Set(orders).size).toBe(orders.length);
  });
});

describe('seeded demo clues', () => {
  let t: TestContext;
  beforeAll(async () => {
    t = await createTestContext();
    await seedDemoCounty(t.ctx, {
      seed: 42,
      entities: 300,
      staff: 30,
      password: 'Demo-Pass-2026',
      via: 'direct',
      clues: 400,
    });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('writes every planned clue with a unique day number, history at its own times and recent ones live', async () => {
    const rows = await t.ctx.db
      .selectFrom('clue')
      .select(['id', 'number', 'receipt_day', 'status', 'received_at'])
      .execute();
    expect(rows).toHaveLength(400);
    expect(new Set(rows.map((r) => r.number)).size).toBe(400);
    for (const r of rows) expect(r.number.slice(2, 10)).toBe(r.receipt_day.replace(/-/g, ''));
    const received = await t.ctx.db
      .selectFrom('ledger_event')
      .select(['clue_id', 'occurred_at'])
      .where('kind', '=', 'clue.received')
      .execute();
    expect(received).toHaveLength(400);
    const at = new Map(rows.map((r) => [Number(r.id), new Date(r.received_at).getTime()]));
    const historyOnTime = received.filter(
      (e) => Math.abs(new Date(e.occurred_at).getTime() - at.get(Number(e.clue_id))!) < 1000,
    );
    expect(historyOnTime.length).toBeGreaterThan(250);
    // The live part started its legal limits through the service.
    const limits = await t.ctx.db.selectFrom('deadline').select(['rule_key']).execute();
    expect(limits.length).toBeGreaterThan(0);
  });

  it('keeps complainants sealed and a new intake continues the day’s numbering', async () => {
    const raw = await t.ctx.db.selectFrom('clue_party').select(['phone_enc']).limit(5).execute();
    expect(raw.every((r) => r.phone_enc?.startsWith('v'))).toBe(true);
    const { createClueService } = await import('../../supervision/clues/clues.service.ts');
    const latest = await t.ctx.db
      .selectFrom('clue')
      .select(['number', 'received_at'])
      .orderBy('received_at', 'desc')
      .limit(1)
      .executeTakeFirstOrThrow();
    const created = await createClueService(t.ctx).intake(
      {
        kind: 'complaint',
        channel: 'phone',
        content: '补录一条同日的电话投诉，核对编号连续。',
        receivedAt: new Date(latest.received_at).toISOString(),
        confidential: false,
        anonymous: true,
      },
      { actor: { id: null, name: '测试' } },
    );
    expect(created.number.slice(0, 10)).toBe(latest.number.slice(0, 10));
    expect(Number(created.number.slice(-6))).toBeGreaterThan(Number(latest.number.slice(-6)));
  });
});
