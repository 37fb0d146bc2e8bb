import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../../../test/support.ts';
import { buildGrids } from './county.ts';
import { DEMO_API_UPDATES_FILE } from './exchange.ts';
import { planDemoExports } from './exports.ts';
import { createRng } from './random.ts';
import { planCountyEntities, type SeedResult, seedDemoCounty } from './seed.ts';

const TODAY = '2026-11-28';
const ENTITIES = 1500;

let t: TestContext;
let dir: string;
let result: SeedResult;
beforeAll(async () => {
  t = await createTestContext();
  dir = await mkdtemp(join(tmpdir(), 'rongjian-demo-exchange-'));
  result = await seedDemoCounty(t.ctx, {
    seed: 42,
    entities: ENTITIES,
    staff: 40,
    password: 'Demo-Pass-2026',
    today: TODAY,
    exportDir: dir,
  });
}, 240_000);
afterAll(async () => {
  await t?.close();
  await rm(dir, { recursive: true, force: true });
});

/** The same plan the seed made, to know what dirt was planted. */
function planned() {
  const { entities, dossier } = planCountyEntities(42, buildGrids(createRng(42, 'grids')), ENTITIES, TODAY);
  return planDemoExports(createRng(42, 'exports'), entities, dossier, TODAY);
}

describe('the demo county comes in through the data exchange', () => {
  it('imports one run per demo source, with the planted dirt rejected row by row', async () => {
    const runs = await t.ctx.db
      .selectFrom('exchange_run')
      .select(['source', 'status', 'rows_in', 'accepted', 'rejected'])
      .orderBy('id')
      .execute();
    expect(runs.map((r) => r.source)).toEqual([
      'demo-registration',
      'demo-licence',
      'demo-credit',
      'demo-person',
    ]);
    expect(runs.every((r) => r.status === 'succeeded')).toBe(true);
    const dirt = planned().dirt;
    const reg = runs[0]!;
    // Mistyped check characters, in-file duplicates, missing addresses and impossible dates are all refused.
    expect(reg.rejected).toBeGreaterThanOrEqual(
      dirt.badCheckChar + dirt.duplicateRows + dirt.missingAddress + dirt.impossibleDate,
    );
    const licence = runs[1]!;
    expect(licence.rejected).toBeGreaterThanOrEqual(dirt.unknownEntityLicences + dirt.formulaCells);
    expect(runs[3]!.rejected).toBe(dirt.badIdCards + dirt.badPhones);
    const reasons = await t.ctx.db.selectFrom('exchange_run_error').select('reason').execute();
    expect(reasons.some((r) => r.reason.includes('校验'))).toBe(true);
    expect(reasons.some((r) => r.reason.includes('重复'))).toBe(true);
  });

  it('ends with every planned entity once, located in a grid, with lines and a risk class', async () => {
    const entities = await t.ctx.db
      .selectFrom('entity')
      .select(['uscc', 'grid_id', 'station_id', 'business_lines', 'risk_class'])
      .where('merged_into', 'is', null)
      .execute();
    const withUscc = entities.filter((e) => e.uscc);
    expect(withUscc).toHaveLength(ENTITIES);
    expect(result.counts.entities).toBe(entities.length);
    const inGrid = entities.filter((e) => e.grid_id !== null && e.station_id !== null).length;
    expect(inGrid / entities.length).toBeGreaterThan(0.95);
    expect(withUscc.filter((e) => e.business_lines.length > 0).length / ENTITIES).toBeGreaterThan(0.95);
    expect(new Set(entities.map((e) => e.risk_class))).toEqual(new Set(['A', 'B', 'C', 'D']));
  });

  it('puts old 个体工商户 records spelled differently in the merge queue or links them', async () => {
    const dirt = planned().dirt;
    const legacy = await t.ctx.db
      .selectFrom('entity_source_record')
      .select(['match_method', 'entity_id'])
      .where('source', '=', 'demo-registration')
      .where('source_key', 'not like', '9%')
      .execute();
    expect(legacy.length).toBe(dirt.legacyVariants + dirt.legacyOnly);
    const { n } = await t.ctx.db
      .selectFrom('entity_match')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('status', '=', 'pending')
      .executeTakeFirstOrThrow();
    const linked = legacy.filter((r) => r.match_method === 'similarity').length;
    expect(Number(n) + linked).toBeGreaterThan(dirt.legacyVariants / 2);
    expect(Number(n)).toBeGreaterThan(0);
  });

  it('keeps the export files for the 数据交换 page and the fake API increments', () => {
    expect(existsSync(join(dir, '示范县_登记注册_导出.csv'))).toBe(true);
    expect(existsSync(join(dir, DEMO_API_UPDATES_FILE))).toBe(true);
  });
});
