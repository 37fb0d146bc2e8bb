import { isValidUscc } from '@rongjian/shared';
import { normalizeAddress, normalizeName } from '../../fusion/resolution/resolution.normalize.ts';
import { type Kysely, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../../../test/support.ts';
import { verifyPassword } from '../auth/password.ts';
import type { DB } from '../db/schema.ts';
import { COUNTY } from './county.ts';
import { type Point, pointInRing, signedArea } from './geometry.ts';
import { createRng } from './random.ts';
import { OrgNotEmptyError, type SeedResult, seedDemoCounty } from './seed.ts';

const PASSWORD = 'Demo-Pass-2026';
const SMALL = { seed: 42, entities: 300, staff: 40, password: PASSWORD, via: 'direct' as const };

/** Everything the generator wrote, without database ids (they are not part of the contract). */
async function snapshot(db: Kysely<DB>) {
  const departments = await db
    .selectFrom('department as d')
    .leftJoin('department as p', 'p.id', 'd.parent_id')
    .select(['d.code', 'd.name', 'd.kind', 'd.sort', 'd.region_code', 'p.code as parent_code'])
    .orderBy('d.code')
    .execute();
  const grids = await db
    .selectFrom('grid as g')
    .innerJoin('department as d', 'd.id', 'g.station_id')
    .select(['g.code', 'g.name', 'd.code as station_code', 'g.geometry', 'g.center_lon', 'g.center_lat'])
    .orderBy('g.code')
    .execute();
  const entities = await db
    .selectFrom('entity as e')
    .innerJoin('grid as g', 'g.id', 'e.grid_id')
    .select(['e.uscc', 'e.name', 'e.type', 'e.address', 'e.lon', 'e.lat', 'g.code as grid_code'])
    .select(['e.business_lines', 'e.established_on', 'e.risk_class', 'e.region_code'])
    .orderBy('e.id')
    .execute();
  const users = await db
    .selectFrom('app_user as u')
    .innerJoin('department as d', 'd.id', 'u.department_id')
    .select(['u.username', 'u.display_name', 'd.code as dept_code', 'u.cert_no', 'u.cert_valid_until'])
    .orderBy('u.username')
    .execute();
  return { departments, grids, entities, users };
}

let t: TestContext;
let result: SeedResult;
beforeAll(async () => {
  t = await createTestContext();
  result = await seedDemoCounty(t.ctx, SMALL);
});
afterAll(() => t?.close());

describe('seedDemoCounty', () => {
  it('reports what it created', () => {
    expect(result.counts).toMatchObject({ stations: 8, grids: 40, staff: 40, entities: 300 });
    expect(result.accounts.map((a) => a.username)).toEqual([
      'admin',
      'secadmin',
      'auditor',
      'director',
      'officer1',
      'officer2',
      'analyst',
      'dispatcher',
    ]);
  });

  it('gives every entity a valid, unique 统一社会信用代码 matching its type', async () => {
    const rows = await t.ctx.db.selectFrom('entity').select(['uscc', 'type', 'name']).execute();
    expect(rows).toHaveLength(300);
    expect(new Set(rows.map((r) => r.uscc)).size).toBe(300);
    expect(new Set(rows.map((r) => r.name)).size).toBe(300);
    const category = { enterprise: '1', individual: '2', cooperative: '3' } as const;
    for (const r of rows) {
      expect(isValidUscc(r.uscc!), r.uscc!).toBe(true);
      expect(r.uscc!.slice(0, 2)).toBe(`9${category[r.type]}`);
      expect(r.uscc!.slice(2, 8)).toBe(COUNTY.regionCode);
    }
    expect(new Set(rows.map((r) => r.type))).toEqual(new Set(['enterprise', 'individual', 'cooperative']));
  });

  it('stores the normal forms resolution and 名称相近 read, as an import would', async () => {
    const rows = await t.ctx.db
      .selectFrom('entity')
      .select(['name', 'address', 'name_norm', 'address_norm'])
      .execute();
    for (const r of rows) {
      expect(r.name_norm, r.name).toBe(normalizeName(r.name));
      expect(r.address_norm, r.address).toBe(normalizeAddress(r.address));
    }
  });

  it('places every entity inside its grid, in the grid’s 所', async () => {
    const rows = await t.ctx.db
      .selectFrom('entity as e')
      .innerJoin('grid as g', 'g.id', 'e.grid_id')
      .select(['e.lon', 'e.lat', 'e.station_id', 'g.station_id as grid_station', 'g.geometry'])
      .execute();
    for (const r of rows) {
      expect(pointInRing([r.lon!, r.lat!], r.geometry.coordinates[0] as Point[])).toBe(true);
      expect(r.station_id).toBe(r.grid_station);
    }
  });

  it('tiles the county with 40 grid polygons', async () => {
    const grids = await t.ctx.db.selectFrom('grid').select(['name', 'geometry']).execute();
    expect(grids).toHaveLength(40);
    expect(grids.map((g) => g.name)).toContain('城厢镇第1网格');
    const rings = grids.map((g) => g.geometry.coordinates[0] as Point[]);
    const { minLon, minLat, maxLon, maxLat } = COUNTY.bbox;
    for (const ring of rings) {
      expect(ring[0]).toEqual(ring[ring.length - 1]);
      expect(signedArea(ring)).toBeGreaterThan(0);
      for (const [lon, lat] of ring) {
        expect(lon).toBeGreaterThanOrEqual(minLon);
        expect(lon).toBeLessThanOrEqual(maxLon);
        expect(lat).toBeGreaterThanOrEqual(minLat);
        expect(lat).toBeLessThanOrEqual(maxLat);
      }
    }
    const total = rings.reduce((a, r) => a + signedArea(r), 0);
    expect(total).toBeCloseTo((maxLon - minLon) * (maxLat - minLat), 9);
    const rng = createRng(1, 'tiling-test');
    for (let i = 0; i < 3000; i++) {
      const p: Point = [rng.float(minLon, maxLon), rng.float(minLat, maxLat)];
      expect(rings.filter((r) => pointInRing(p, r)).length).toBe(1);
    }
  });

  it('builds the department tree with materialised paths', async () => {
    const depts = await t.ctx.db.selectFrom('department').selectAll().execute();
    const bureau = depts.find((d) => d.kind === 'bureau')!;
    expect(bureau.name).toBe('示范县市场监督管理局');
    expect(bureau.path).toBe(`/${bureau.id}/`);
    const stations = depts.filter((d) => d.kind === 'station');
    expect(stations.map((s) => s.name)).toContain('城厢市场监管所');
    expect(stations).toHaveLength(8);
    for (const d of depts.filter((x) => x.id !== bureau.id)) {
      expect(d.parent_id).toBe(bureau.id);
      expect(d.path).toBe(`/${bureau.id}/${d.id}/`);
    }
  });

  it('creates the named demo accounts with their roles; all of them can log in', async () => {
    const expected: Record<string, string> = {
      admin: 'sysadmin',
      secadmin: 'secadmin',
      auditor: 'auditor',
      director: 'director',
      officer1: 'officer',
      officer2: 'officer',
      analyst: 'analyst',
      dispatcher: 'dispatcher',
    };
    const rows = await t.ctx.db
      .selectFrom('app_user as u')
      .innerJoin('user_role as ur', 'ur.user_id', 'u.id')
      .innerJoin('role as r', 'r.id', 'ur.role_id')
      .innerJoin('department as d', 'd.id', 'u.department_id')
      .select(['u.username', 'u.password_hash', 'u.is_demo', 'u.must_change_password', 'u.cert_no'])
      .select(['r.code as role', 'd.kind as dept_kind', 'd.id as dept_id', 'd.name as dept_name'])
      .where('u.username', 'in', Object.keys(expected))
      .execute();
    expect(rows).toHaveLength(8);
    for (const r of rows) {
      expect(r.role, r.username).toBe(expected[r.username]);
      expect(r.is_demo).toBe(true);
      expect(r.must_change_password).toBe(false);
      expect(await verifyPassword(PASSWORD, r.password_hash)).toBe(true);
    }
    const by = new Map(rows.map((r) => [r.username, r]));
    expect(by.get('director')!.dept_kind).toBe('bureau');
    expect(by.get('dispatcher')!.dept_name).toBe('指挥中心');
    const [o1, o2] = [by.get('officer1')!, by.get('officer2')!];
    expect(o1.dept_kind).toBe('station');
    expect(o2.dept_kind).toBe('station');
    expect(o1.dept_id).not.toBe(o2.dept_id);
    expect(o1.cert_no).toMatch(/^\d{11}$/);
  });

  it('marks every seeded account as demo and gives every officer a 执法证', async () => {
    const users = await t.ctx.db.selectFrom('app_user').select(['is_demo', 'must_change_password']).execute();
    expect(users).toHaveLength(40);
    expect(users.every((u) => u.is_demo && !u.must_change_password)).toBe(true);
    const officers = await t.ctx.db
      .selectFrom('app_user as u')
      .innerJoin('user_role as ur', 'ur.user_id', 'u.id')
      .innerJoin('role as r', 'r.id', 'ur.role_id')
      .select(['u.cert_no', 'u.cert_valid_until'])
      .where('r.code', 'in', ['officer', 'station_head'])
      .execute();
    expect(officers.length).toBeGreaterThanOrEqual(10);
    for (const o of officers) {
      expect(o.cert_no).toMatch(/^\d{11}$/);
      expect(o.cert_valid_until! > '2026-01-01').toBe(true);
    }
    const posts = await t.ctx.db
      .selectFrom('user_post')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirst();
    expect(Number(posts?.n)).toBeGreaterThanOrEqual(40);
  });

  it('records one demo.seeded ledger event with the counts', async () => {
    const events = await t.ctx.db
      .selectFrom('ledger_event')
      .selectAll()
      .where('kind', '=', 'demo.seeded')
      .execute();
    expect(events).toHaveLength(1);
    expect(events[0]!.payload).toMatchObject({ seed: 42, entities: 300, staff: 40, grids: 40, stations: 8 });
  });

  it('refuses to seed an organisation that is not empty', async () => {
    await expect(seedDemoCounty(t.ctx, SMALL)).rejects.toBeInstanceOf(OrgNotEmptyError);
    const n = await t.ctx.db
      .selectFrom('entity')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirst();
    expect(Number(n?.n)).toBe(300);
  });
});

describe('determinism', () => {
  it('produces the identical data set from the same seed, and a different one from another seed', async () => {
    const first = await snapshot(t.ctx.db);
    const same = await createTestContext();
    const other = await createTestContext();
    try {
      await seedDemoCounty(same.ctx, SMALL);
      await seedDemoCounty(other.ctx, { ...SMALL, seed: 7 });
      const again = await snapshot(same.ctx.db);
      expect(again.departments).toEqual(first.departments);
      expect(again.grids).toEqual(first.grids);
      expect(again.entities).toEqual(first.entities);
      expect(again.users).toEqual(first.users);

      const different = await snapshot(other.ctx.db);
      expect(different.departments).toEqual(first.departments);
      expect(different.grids.map((g) => g.geometry)).not.toEqual(first.grids.map((g) => g.geometry));
      expect(different.entities.map((e) => e.uscc)).not.toEqual(first.entities.map((e) => e.uscc));
      expect(different.entities.map((e) => e.name)).not.toEqual(first.entities.map((e) => e.name));
    } finally {
      await same.close();
      await other.close();
    }
  });
});

describe('risk classes of the demo county', () => {
  it('are computed by the model, with an explanation for every entity', async () => {
    const rows = await t.ctx.db
      .selectFrom('entity as e')
      .leftJoin('entity_risk as r', 'r.entity_id', 'e.id')
      .select(['e.risk_class', 'r.risk_class as explained', 'r.score', 'r.contributions'])
      .execute();
    expect(rows).toHaveLength(300);
    for (const r of rows) {
      expect(r.explained).toBe(r.risk_class);
      expect(r.score).toBe((r.contributions ?? []).reduce((s, c) => s + c.points, 0));
    }
    expect(rows.filter((r) => r.risk_class !== 'A').every((r) => (r.contributions ?? []).length > 0)).toBe(
      true,
    );
  });

  it('shows mostly A and B, some C and a few D in a county of 2,000', async () => {
    const county = await createTestContext();
    try {
      await seedDemoCounty(county.ctx, { ...SMALL, entities: 2000, today: '2026-11-28' });
      const rows = await county.ctx.db
        .selectFrom('entity')
        .select(['risk_class', (eb) => eb.fn.countAll<number>().as('n')])
        .groupBy('risk_class')
        .execute();
      const share = Object.fromEntries(rows.map((r) => [r.risk_class, Number(r.n) / 2000]));
      expect(Object.keys(share).sort()).toEqual(['A', 'B', 'C', 'D']);
      expect(share.A! + share.B!).toBeGreaterThan(0.9);
      expect(share.C).toBeGreaterThan(share.D!);
      expect(share.D).toBeLessThan(0.03);
      // Every kind of rule has something to show, 登记状态异常 (revoked yet licensed) included.
      const reasons = await county.ctx.db
        .selectFrom('entity_risk')
        .select(sql<string>`jsonb_array_elements(contributions) ->> 'key'`.as('key'))
        .execute();
      expect([...new Set(reasons.map((r) => r.key))]).toEqual(
        expect.arrayContaining([
          'seriousViolation',
          'abnormalOperation',
          'administrativePenalty',
          'registrationAbnormal',
          'licenceExpiredOperating',
          'licenceExpiring',
          'newlyEstablished',
        ]),
      );
    } finally {
      await county.close();
    }
  });
});
