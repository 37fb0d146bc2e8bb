import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoCounty } from '../../platform/demo/seed.ts';
import { login, TEST_PASSWORD } from '../../../test/fixtures.ts';
import { caller, insertRole, insertUser } from '../../../test/roles-support.ts';
import { createTestApp, type TestContext } from '../../../test/support.ts';
import type { App } from '../../platform/http/app.ts';
import { linkEntities, nameCore, nameSimilarity, readSignals } from './analysis.linking.ts';
import {
  encodeLinkingSet,
  evaluateLinking,
  generateLinkingSet,
  LINKING_SET_PATH,
  LINKING_SET_SPEC,
  readLinkingSet,
} from './analysis.linking.set.ts';

/**
 * Measured on the demo county's first 3,000 entities (the pool the set is drawn from): top-1 0.950 (304/320),
 * top-3 0.981 (docs/analysis-patterns.md). The bar sits a little below, so a change that costs accuracy fails here.
 */
const TOP1_THRESHOLD = 0.9;
const PASSWORD = 'Demo-Pass-2026';

describe('reading a text', () => {
  it('finds a valid USCC, a mistyped one, phones, names and road + number addresses', () => {
    const s = readSignals(
      '投诉示范县城厢镇老王烧烤店（人民南路八十八号），代码92320599MA1XXXXXX0 不对，正确的是 913205996703856125；老板电话138 1234 5678，店里座机0512-53581234。',
    );
    expect(s.names).toContain('老王烧烤');
    // The road keeps the two characters before 路 (where a road's name starts is not known).
    expect(s.addresses).toContain('民南路88号');
    expect(s.towns).toContain('城厢镇');
    expect(s.phones).toEqual(expect.arrayContaining(['13812345678', '051253581234']));
    expect(s.usccs.length + s.usccTypos.length).toBeGreaterThanOrEqual(1);
  });

  it('takes quoted names and company names, and strips places and organisational forms', () => {
    expect(readSignals('举报「恒瑞食品」卖假货').names).toContain('恒瑞食品');
    expect(nameCore('苏州恒瑞食品有限公司')).toBe('恒瑞食品');
    expect(nameCore('示范县城厢镇老王烧烤店')).toBe('老王烧烤');
    expect(readSignals('I bought fake goods at a shop, no name').names).toEqual([]);
  });

  it('scores a one-character typo well above an unrelated name', () => {
    expect(nameSimilarity('老汪烧烤', '老王烧烤')).toBeGreaterThan(0.3);
    expect(nameSimilarity('老王烧烤', '老王烧烤')).toBe(1);
    expect(nameSimilarity('老王烧烤', '惠民超市')).toBe(0);
  });
});

describe('the labelled set', () => {
  it('is the file the generator writes, with at least 300 lines', () => {
    const items = generateLinkingSet();
    expect(items.length).toBeGreaterThanOrEqual(300);
    expect(readFileSync(LINKING_SET_PATH, 'utf8')).toBe(encodeLinkingSet(items));
    expect(readLinkingSet(LINKING_SET_PATH)).toEqual(items);
  });
});

describe('linking against the demo county', () => {
  let t: TestContext & { app: App };
  let as: ReturnType<typeof caller>;
  let officer: ReturnType<typeof caller>;

  beforeAll(async () => {
    t = await createTestApp();
    await seedDemoCounty(t.ctx, {
      seed: LINKING_SET_SPEC.seed,
      entities: LINKING_SET_SPEC.pool,
      staff: 40,
      password: PASSWORD,
      via: 'direct',
      today: LINKING_SET_SPEC.today,
    });
    as = caller(t.app, await login(t.app, 'analyst', PASSWORD));
    officer = caller(t.app, await login(t.app, 'officer1', PASSWORD));
  }, 300_000);
  afterAll(async () => {
    await t?.close();
  });

  it(`reaches top-1 accuracy ≥ ${TOP1_THRESHOLD} on the labelled set`, async () => {
    const r = await evaluateLinking(t.ctx.db, readLinkingSet(LINKING_SET_PATH), { vault: t.ctx.pii });
    expect(r.evaluated).toBe(r.total);
    expect(r.top1Accuracy).toBeGreaterThanOrEqual(TOP1_THRESHOLD);
    expect(r.top3Accuracy).toBeGreaterThanOrEqual(r.top1Accuracy);
  }, 300_000);

  it('puts the entity first on its USCC and on its owner phone, with the reason', async () => {
    const e = await t.ctx.db
      .selectFrom('entity')
      .select(['id', 'uscc', 'name'])
      .where('uscc', 'is not', null)
      .orderBy('id')
      .offset(17)
      .executeTakeFirstOrThrow();
    const byCode = await linkEntities(t.ctx.db, `营业执照号 ${e.uscc} 的商家卖过期食品`);
    expect(byCode[0]).toMatchObject({ entityId: Number(e.id), name: e.name });
    expect(byCode[0]!.reasons).toContain('统一社会信用代码一致');
    expect(byCode[0]!.score).toBeGreaterThan(0.95);

    const phone = '13999887766';
    await t.ctx.db
      .updateTable('entity_person')
      .set({ phone_enc: t.ctx.pii.encrypt('phone', phone), phone_bidx: t.ctx.pii.blindIndex('phone', phone) })
      .where('entity_id', '=', Number(e.id))
      .execute();
    const byPhone = await linkEntities(t.ctx.db, `老板电话 139-9988-7766，东西有问题不给退`, {
      vault: t.ctx.pii,
    });
    expect(byPhone[0]?.entityId).toBe(Number(e.id));
    expect(byPhone[0]!.reasons).toContain('电话一致');
    // Without the vault the phone cannot be matched (entity phones are stored sealed only).
    expect(await linkEntities(t.ctx.db, '老板电话 139-9988-7766')).toEqual([]);
  });

  it('never returns an entity merged into another', async () => {
    const [a, b] = await t.ctx.db
      .selectFrom('entity')
      .select(['id', 'uscc', 'name'])
      .where('uscc', 'is not', null)
      .orderBy('id')
      .offset(40)
      .limit(2)
      .execute();
    const before = await linkEntities(t.ctx.db, `投诉${a!.name}`);
    expect(before.map((c) => c.entityId)).toContain(Number(a!.id));
    await t.ctx.db
      .updateTable('entity')
      .set({ merged_into: Number(b!.id) })
      .where('id', '=', Number(a!.id))
      .execute();
    const after = await linkEntities(t.ctx.db, `投诉${a!.name}，代码${a!.uscc}`);
    expect(after.map((c) => c.entityId)).not.toContain(Number(a!.id));
    await t.ctx.db.updateTable('entity').set({ merged_into: null }).where('id', '=', Number(a!.id)).execute();
  });

  it('answers POST /api/analysis/link with ranked candidates and refuses bad input', async () => {
    const e = await t.ctx.db
      .selectFrom('entity')
      .select(['id', 'name'])
      .orderBy('id')
      .offset(5)
      .executeTakeFirstOrThrow();
    const ok = await as('POST', '/api/analysis/link', { text: `我在${e.name}买的东西坏了`, limit: 3 });
    expect(ok.statusCode).toBe(200);
    const body = ok.json() as { candidates: { entityId: number; score: number; reasons: string[] }[] };
    expect(body.candidates[0]?.entityId).toBe(Number(e.id));
    expect(body.candidates.length).toBeLessThanOrEqual(3);
    expect(body.candidates[0]!.reasons.some((r) => r.startsWith('名称相似'))).toBe(true);

    const english = await as('POST', '/api/analysis/link', { text: 'The shop sold me expired milk!!' });
    expect(english.statusCode).toBe(200);
    expect(english.json()).toEqual({ candidates: [] });
    const mixed = await as('POST', '/api/analysis/link', {
      text: `${e.name} sold fake 白酒 ${'x'.repeat(500)}`,
    });
    expect(mixed.statusCode).toBe(200);

    for (const bad of [
      { text: '' },
      { text: '   ' },
      { text: '字'.repeat(20_001) },
      { text: 'x', extra: 1 },
      { text: 'x', limit: 0 },
      {},
    ]) {
      const r = await as('POST', '/api/analysis/link', bad);
      expect(r.statusCode).toBe(400);
      expect(r.json().code).toBe('VALIDATION_FAILED');
    }
    expect((await officer('POST', '/api/analysis/link', { text: 'x' })).statusCode).toBe(403);
  });

  it('leaves out an entity of another 所 for a caller whose data scope is one 所, as the search does', async () => {
    const pair = await t.ctx.db
      .selectFrom('entity as a')
      .innerJoin('entity as b', (j) => j.onRef('b.station_id', '<>', 'a.station_id'))
      .select([
        'a.id as mine',
        'a.name as myName',
        'a.station_id as station',
        'b.id as other',
        'b.name as otherName',
      ])
      .where('a.station_id', 'is not', null)
      .where('b.station_id', 'is not', null)
      .where('a.merged_into', 'is', null)
      .where('b.merged_into', 'is', null)
      .orderBy('a.id')
      .limit(1)
      .executeTakeFirstOrThrow();
    const role = await insertRole(t.ctx.db, 'station_analyst', ['analysis:judgment:read'], 'department');
    await insertUser(t.ctx.db, 'station_analyst', Number(pair.station), [role]);
    const scoped = caller(t.app, await login(t.app, 'station_analyst', TEST_PASSWORD));
    const ids = async (who: ReturnType<typeof caller>, name: string) => {
      const r = await who('POST', '/api/analysis/link', { text: `我在${name}买的东西坏了`, limit: 5 });
      expect(r.statusCode, r.body).toBe(200);
      return (r.json() as { candidates: { entityId: number }[] }).candidates.map((c) => c.entityId);
    };
    // The county-wide analyst finds both; the 所's analyst finds its own entity and never the other 所's.
    expect(await ids(as, pair.otherName)).toContain(Number(pair.other));
    expect(await ids(scoped, pair.otherName)).not.toContain(Number(pair.other));
    expect(await ids(scoped, pair.myName)).toContain(Number(pair.mine));
  });
});
