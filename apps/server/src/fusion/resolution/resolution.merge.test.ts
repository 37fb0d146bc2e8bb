import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrg, login } from '../../../test/fixtures.ts';
import { square } from '../../../test/grids-support.ts';
import { caller, insertRole, insertUser } from '../../../test/roles-support.ts';
import { createTestApp } from '../../../test/support.ts';
import { json } from '../../platform/db/json.ts';
import { assignLocations } from '../../support/gis/gis.locate.ts';
import { addSource, deliver, entityOfRecord, reg, uscc } from './resolution.test-support.ts';
import { unpackProvenance } from './resolution.tables.ts';

type Call = ReturnType<typeof caller>;
let t: Awaited<ReturnType<typeof createTestApp>>;
let director: Call;
let officer: Call;
let reviewerA: Call;
let stations: number[];
/** Entities: a USCC shop, the same shop's old registration with a typo, an unrelated shop, another USCC shop. */
const ids = { shop: 0, oldShop: 0, other: 0, otherUscc: 0 };

const db = () => t.ctx.db;

beforeAll(async () => {
  t = await createTestApp();
  const org = await createOrg(db());
  stations = org.stations;
  await org.user('director1', 'director');
  await org.user('officer_a', 'officer', stations[0]);
  const role = await insertRole(
    db(),
    'merge_reviewer',
    ['entity:profile:*', 'entity:match:*', 'entity:merge:*'],
    'department',
  );
  await insertUser(db(), 'reviewer_a', stations[0]!, [role]);
  director = caller(t.app, await login(t.app, 'director1'));
  officer = caller(t.app, await login(t.app, 'officer_a'));
  reviewerA = caller(t.app, await login(t.app, 'reviewer_a'));

  await addSource(db(), 'reg-a', 10);
  await addSource(db(), 'reg-b', 50);
  await deliver(db(), 'reg-a', [
    reg({
      uscc: uscc(101, '2'),
      name: '老王烧烤店',
      address: '建设路88号',
      establishedOn: '2016-04-01',
      businessScope: null,
    }),
    reg({ uscc: uscc(102), name: '示范县甲超市有限公司', address: '人民路1号', type: 'enterprise' }),
  ]);
  const queued = await deliver(db(), 'reg-b', [
    reg({
      sourceKey: '320500600000101',
      name: '老汪烧烤（个体工商户）',
      address: '建设路八十八号',
      businessScope: '烧烤、饮料',
    }),
    reg({ sourceKey: '320500600000102', name: '城西面馆', address: '城西测试路1号' }),
  ]);
  expect(queued.queued).toBe(1);
  ids.shop = await entityOfRecord(db(), 'reg-a', uscc(101, '2'));
  ids.otherUscc = await entityOfRecord(db(), 'reg-a', uscc(102));
  ids.oldShop = await entityOfRecord(db(), 'reg-b', '320500600000101');
  ids.other = await entityOfRecord(db(), 'reg-b', '320500600000102');
  // GIS would place them; here every entity is in station A.
  await db().updateTable('entity').set({ station_id: stations[0]! }).execute();

  // The old registration has its own licence, credit records and operator; one penalty is on both.
  await db()
    .insertInto('entity_licence')
    .values({
      entity_id: ids.oldShop,
      kind: 'food_business',
      licence_no: 'JY23205000000101',
      source: 'reg-b',
    })
    .execute();
  const penalty = {
    kind: 'administrative_penalty' as const,
    decided_on: '2024-05-01',
    document_no: '示市监罚〔2024〕1号',
  };
  await db()
    .insertInto('entity_credit_record')
    .values([
      { entity_id: ids.oldShop, ...penalty },
      { entity_id: ids.oldShop, kind: 'abnormal_operation', decided_on: '2023-01-01', document_no: '' },
      { entity_id: ids.shop, ...penalty },
    ])
    .execute();
  const pii = t.ctx.pii;
  await db()
    .insertInto('entity_person')
    .values({
      entity_id: ids.oldShop,
      station_id: stations[0]!,
      role: 'principal',
      name_enc: pii.encrypt('name', '汪小二'),
      name_bidx: pii.blindIndex('name', '汪小二'),
    })
    .execute();
});
afterAll(async () => {
  await t?.close();
});

/** Every row a merge may touch, for before/after comparisons (updated_at aside: it records the change). */
async function snapshot(entityIds: number[]) {
  const entities = await db()
    .selectFrom('entity')
    .selectAll()
    .where('id', 'in', entityIds)
    .orderBy('id')
    .execute();
  const rows = async (
    table: 'entity_source_record' | 'entity_licence' | 'entity_credit_record' | 'entity_person',
  ) =>
    (await db().selectFrom(table).selectAll().orderBy('id').execute()).map((r) => ({
      ...r,
      updated_at: undefined,
    }));
  return {
    entities: entities.map((e) => ({ ...e, updated_at: undefined })),
    records: await rows('entity_source_record'),
    licences: await rows('entity_licence'),
    credit: await rows('entity_credit_record'),
    persons: await rows('entity_person'),
  };
}

const pendingMatches = async (as: Call) => {
  const res = await as('GET', '/api/fusion/matches');
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as {
    items: {
      id: number;
      entity: { id: number };
      candidate: { id: number };
      differences: string[];
      score: number;
    }[];
    pending: number;
  };
};
const ledgerKinds = async (entityId: number) =>
  (
    await db()
      .selectFrom('ledger_event')
      .select('kind')
      .where('subject_type', '=', 'entity')
      .where('subject_id', '=', String(entityId))
      .orderBy('id')
      .execute()
  ).map((e) => e.kind);

describe('merge queue', () => {
  it('shows the uncertain pair side by side with the score and the fields that differ', async () => {
    const page = await pendingMatches(director);
    expect(page.pending).toBe(1);
    const [m] = page.items;
    expect(m).toMatchObject({
      entity: { id: ids.oldShop, name: '老汪烧烤（个体工商户）', sources: ['测试来源 reg-b'] },
      candidate: { id: ids.shop, name: '老王烧烤店', uscc: uscc(101, '2') },
      score: 0.85,
      nameScore: 0.75,
      addressScore: 1,
      numberMismatch: false,
      names: ['老汪烧烤', '老王烧烤'],
      addresses: ['建设路88号', '建设路88号'],
    });
    expect(m!.differences).toEqual(['uscc', 'name', 'address', 'establishedOn', 'businessScope']);
  });

  it('shows a reviewer only the pairs of their own 所, and answers 404 for the others', async () => {
    expect((await pendingMatches(reviewerA)).pending).toBe(1);
    await db()
      .updateTable('entity')
      .set({ station_id: stations[1]! })
      .where('id', '=', ids.oldShop)
      .execute();
    try {
      const page = await pendingMatches(reviewerA);
      expect(page).toMatchObject({ pending: 0, items: [] });
      const id = (await pendingMatches(director)).items[0]!.id;
      const res = await reviewerA('POST', `/api/fusion/matches/${id}/confirm`, { note: '' });
      expect(res.statusCode).toBe(404);
      expect(res.json()).toMatchObject({ code: 'NOT_FOUND' });
      const merge = await reviewerA('POST', '/api/fusion/merges', {
        survivorId: ids.shop,
        absorbedId: ids.oldShop,
        reason: '同一家店',
      });
      expect(merge.statusCode).toBe(404);
    } finally {
      await db()
        .updateTable('entity')
        .set({ station_id: stations[0]! })
        .where('id', '=', ids.oldShop)
        .execute();
    }
  });

  it('refuses staff without the review and merge permissions', async () => {
    expect((await officer('GET', '/api/fusion/matches')).statusCode).toBe(403);
    const id = (await pendingMatches(director)).items[0]!.id;
    expect((await officer('POST', `/api/fusion/matches/${id}/reject`, { note: '' })).statusCode).toBe(403);
    const res = await officer('POST', '/api/fusion/merges', {
      survivorId: ids.shop,
      absorbedId: ids.oldShop,
      reason: '同一家店',
    });
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({ code: 'FORBIDDEN', message: expect.any(String) });
  });
});

describe('merge and un-merge', () => {
  let before: Awaited<ReturnType<typeof snapshot>>;
  let mergeId = 0;

  it('confirming a pair moves every row of the absorbed entity to the survivor and fuses it again', async () => {
    before = await snapshot([ids.shop, ids.oldShop]);
    const id = (await pendingMatches(director)).items[0]!.id;
    const res = await director('POST', `/api/fusion/matches/${id}/confirm`, { note: '现场核实为同一家店' });
    expect(res.statusCode, res.body).toBe(200);
    mergeId = res.json().mergeId;
    const row = (i: number) =>
      db().selectFrom('entity').selectAll().where('id', '=', i).executeTakeFirstOrThrow();
    const shop = await row(ids.shop);
    const old = await row(ids.oldShop);
    expect(old.merged_into).toBe(ids.shop);
    // The registry (more trusted) keeps the name; the newer record gives the address and fills 经营范围.
    expect(shop).toMatchObject({
      name: '老王烧烤店',
      address: '建设路八十八号',
      business_scope: '烧烤、饮料',
    });
    expect(unpackProvenance(shop.provenance).businessScope).toMatchObject({ source: 'reg-b' });
    const owners = async (
      table: 'entity_source_record' | 'entity_licence' | 'entity_credit_record' | 'entity_person',
    ) =>
      (
        await db()
          .selectFrom(table)
          .select('entity_id')
          .where('entity_id', 'in', [ids.shop, ids.oldShop])
          .execute()
      ).map((r) => Number(r.entity_id));
    expect(await owners('entity_source_record')).toEqual([ids.shop, ids.shop]);
    expect(await owners('entity_licence')).toEqual([ids.shop]);
    // The penalty both held stays with the absorbed entity; the other credit record moves.
    expect((await owners('entity_credit_record')).sort()).toEqual([ids.shop, ids.shop, ids.oldShop].sort());
    expect(await owners('entity_person')).toEqual([ids.shop]);

    expect(await ledgerKinds(ids.shop)).toContain('entity.merged');
    expect(await ledgerKinds(ids.oldShop)).toContain('entity.merged');
    const audit = await db()
      .selectFrom('audit_log')
      .select(['action', 'detail', 'result'])
      .where('action', '=', 'entity:match:review')
      .where('result', '=', 'success')
      .executeTakeFirstOrThrow();
    expect(audit.detail).toContain('原因：现场核实为同一家店');
    expect(audit.detail).toContain('许可证 1 条');
    const match = await db()
      .selectFrom('entity_match')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(match).toMatchObject({ status: 'confirmed', merge_id: mergeId, decided_by_name: 'director1' });
    // Search shows the survivor only; the absorbed entity's profile says where it went.
    const search = await director('GET', `/api/entities?q=${encodeURIComponent('烧烤')}`);
    expect(search.json().items.map((e: { id: number }) => e.id)).toEqual([ids.shop]);
    const prov = await director('GET', `/api/fusion/entities/${ids.oldShop}/provenance`);
    expect(prov.json().mergedInto).toEqual({ id: ids.shop, name: '老王烧烤店' });
  });

  it('un-merging moves exactly those rows back and restores both entities', async () => {
    const res = await director('POST', `/api/fusion/merges/${mergeId}/revert`, { reason: '经核实为两家店' });
    expect(res.statusCode, res.body).toBe(200);
    expect(await snapshot([ids.shop, ids.oldShop])).toEqual(before);
    expect(await ledgerKinds(ids.oldShop)).toEqual(['entity.merged', 'entity.unmerged']);
    // The pair was decided: it is not offered again.
    const match = await db().selectFrom('entity_match').selectAll().executeTakeFirstOrThrow();
    expect(match.status).toBe('rejected');
    expect((await pendingMatches(director)).pending).toBe(0);
    const again = await director('POST', `/api/fusion/merges/${mergeId}/revert`, { reason: '再来一次' });
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ code: 'MERGE_REFUSED' });
  });

  it('undoes a chain of merges only in reverse order', async () => {
    const start = await snapshot([ids.shop, ids.oldShop, ids.other]);
    const first = await director('POST', '/api/fusion/merges', {
      survivorId: ids.shop,
      absorbedId: ids.oldShop,
      reason: '同一家店的旧登记',
    });
    expect(first.statusCode, first.body).toBe(200);
    // The survivor carries the USCC now that it holds the old registration too; then another entity absorbs it.
    const second = await director('POST', '/api/fusion/merges', {
      survivorId: ids.other,
      absorbedId: ids.shop,
      reason: '测试链式合并',
    });
    expect(second.statusCode, second.body).toBe(200);
    const other = await db()
      .selectFrom('entity')
      .selectAll()
      .where('id', '=', ids.other)
      .executeTakeFirstOrThrow();
    expect(other.uscc).toBe(uscc(101, '2'));

    const outOfOrder = await director('POST', `/api/fusion/merges/${first.json().mergeId}/revert`, {
      reason: '先撤销第一次',
    });
    expect(outOfOrder.statusCode).toBe(409);
    expect(outOfOrder.json()).toMatchObject({
      code: 'MERGE_ORDER',
      message: expect.stringContaining(`合并记录 #${second.json().mergeId}`),
    });
    const history = await director('GET', `/api/fusion/entities/${ids.shop}/provenance`);
    const blocked = history.json().merges.find((m: { id: number }) => m.id === first.json().mergeId);
    expect(blocked.revertBlockedBy).toContain('请先撤销那次合并');

    for (const m of [second, first]) {
      const res = await director('POST', `/api/fusion/merges/${m.json().mergeId}/revert`, {
        reason: '按顺序撤销',
      });
      expect(res.statusCode, res.body).toBe(200);
    }
    expect(await snapshot([ids.shop, ids.oldShop, ids.other])).toEqual(start);
  });

  it('refuses to merge entities with two different USCCs', async () => {
    const before = await snapshot([ids.shop, ids.otherUscc]);
    const res = await director('POST', '/api/fusion/merges', {
      survivorId: ids.shop,
      absorbedId: ids.otherUscc,
      reason: '误操作',
    });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({
      code: 'MERGE_REFUSED',
      message: expect.stringContaining('不同的法人'),
    });
    expect(await snapshot([ids.shop, ids.otherUscc])).toEqual(before);
  });

  it('answers bad input with {code, message} and changes nothing', async () => {
    const absorb = await director('POST', '/api/fusion/merges', {
      survivorId: ids.shop,
      absorbedId: ids.oldShop,
      reason: '用于测试',
    });
    const mergeCount = async () => (await db().selectFrom('entity_merge').select('id').execute()).length;
    const before = { snap: await snapshot([ids.shop, ids.oldShop, ids.other]), merges: await mergeCount() };
    const cases: [string, string, unknown, number, string][] = [
      [
        'POST',
        '/api/fusion/merges',
        { survivorId: ids.other, absorbedId: ids.other, reason: '自己' },
        400,
        'VALIDATION_FAILED',
      ],
      [
        'POST',
        '/api/fusion/merges',
        { survivorId: ids.oldShop, absorbedId: ids.other, reason: '并入已合并的' },
        409,
        'MERGE_REFUSED',
      ],
      [
        'POST',
        '/api/fusion/merges',
        { survivorId: ids.other, absorbedId: ids.oldShop, reason: '再合并一次' },
        409,
        'MERGE_REFUSED',
      ],
      [
        'POST',
        '/api/fusion/merges',
        { survivorId: ids.other, absorbedId: ids.shop },
        400,
        'VALIDATION_FAILED',
      ],
      [
        'POST',
        '/api/fusion/merges',
        { survivorId: ids.other, absorbedId: ids.shop, reason: ' ' },
        400,
        'VALIDATION_FAILED',
      ],
      [
        'POST',
        '/api/fusion/merges',
        { survivorId: ids.other, absorbedId: 999999, reason: '不存在' },
        404,
        'NOT_FOUND',
      ],
      [
        'POST',
        '/api/fusion/merges',
        { survivorId: 'abc', absorbedId: ids.shop, reason: '类型' },
        400,
        'VALIDATION_FAILED',
      ],
      [
        'POST',
        '/api/fusion/merges',
        { survivorId: ids.other, absorbedId: ids.shop, reason: '多字段', x: 1 },
        400,
        'VALIDATION_FAILED',
      ],
      ['POST', '/api/fusion/merges/999999/revert', { reason: '不存在' }, 404, 'NOT_FOUND'],
      ['POST', `/api/fusion/merges/${absorb.json().mergeId}/revert`, {}, 400, 'VALIDATION_FAILED'],
      ['POST', '/api/fusion/matches/999999/confirm', { note: '' }, 404, 'NOT_FOUND'],
      ['POST', '/api/fusion/matches/abc/reject', { note: '' }, 400, 'VALIDATION_FAILED'],
      ['GET', '/api/fusion/entities/999999/provenance', undefined, 404, 'NOT_FOUND'],
      [
        'PUT',
        `/api/fusion/entities/${ids.other}/fields`,
        { field: 'name', value: '新名称' },
        400,
        'VALIDATION_FAILED',
      ],
      [
        'PUT',
        `/api/fusion/entities/${ids.other}/fields`,
        { field: 'lon', value: 120, reason: '坐标' },
        400,
        'VALIDATION_FAILED',
      ],
      [
        'PUT',
        `/api/fusion/entities/${ids.other}/fields`,
        { field: 'establishedOn', value: '2021-02-30', reason: '日期' },
        400,
        'VALIDATION_FAILED',
      ],
      [
        'PUT',
        `/api/fusion/entities/${ids.other}/fields`,
        { field: 'uscc', value: uscc(102), reason: '别人的代码' },
        409,
        'CONFLICT',
      ],
      [
        'PUT',
        `/api/fusion/entities/${ids.oldShop}/fields`,
        { field: 'name', value: '已合并', reason: '已合并的主体' },
        409,
        'MERGE_REFUSED',
      ],
      [
        'POST',
        `/api/fusion/entities/${ids.other}/fields/adopt`,
        { field: 'name', recordId: 999999, reason: '不存在' },
        404,
        'NOT_FOUND',
      ],
    ];
    for (const [method, url, body, status, code] of cases) {
      const res = await director(method as 'POST', url, body);
      expect([res.statusCode, res.json().code], `${method} ${url} ${JSON.stringify(body)}`).toEqual([
        status,
        code,
      ]);
      expect(typeof res.json().message).toBe('string');
    }
    expect({ snap: await snapshot([ids.shop, ids.oldShop, ids.other]), merges: await mergeCount() }).toEqual(
      before,
    );
    await director('POST', `/api/fusion/merges/${absorb.json().mergeId}/revert`, { reason: '测试结束' });
  });
});

describe('grid and 所 of a merged point', () => {
  /** 城厢 (station A) and 沙溪 (station B) grids; the south-west corner of each square, 0.01° a side. */
  const CX = [120.6, 31.4] as const;
  const SX = [120.7, 31.4] as const;
  const grids = { cx: 0, sx: 0 };
  const e = {
    cxShop: 0,
    sxShop: 0,
    guessed: 0,
    sxStall: 0,
    pointless: 0,
    sxKiosk: 0,
    gridShop: 0,
    farShop: 0,
  };

  const place = (id: number) =>
    db()
      .selectFrom('entity')
      .select(['lon', 'lat', 'grid_id', 'station_id', 'geo_source', 'geo_provider', 'geo_precision'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow()
      .then((r) => ({
        ...r,
        grid_id: r.grid_id === null ? null : Number(r.grid_id),
        station_id: r.station_id === null ? null : Number(r.station_id),
      }));
  const merge = async (survivorId: number, absorbedId: number) => {
    const res = await director('POST', '/api/fusion/merges', { survivorId, absorbedId, reason: '同一家店' });
    expect(res.statusCode, res.body).toBe(200);
    return res.json().mergeId as number;
  };
  const revert = async (mergeId: number) => {
    const res = await director('POST', `/api/fusion/merges/${mergeId}/revert`, { reason: '经核实为两家店' });
    expect(res.statusCode, res.body).toBe(200);
  };
  const unlocated = async () =>
    (
      (await director('GET', '/api/map/unlocated?limit=100')).json() as {
        items: { id: number; reason: string }[];
      }
    ).items;

  beforeAll(async () => {
    for (const [key, code, name, corner, station] of [
      ['cx', 'CX01', '城厢第1网格', CX, stations[0]!],
      ['sx', 'SX01', '沙溪第1网格', SX, stations[1]!],
    ] as const) {
      const g = await db()
        .insertInto('grid')
        .values({
          code,
          name,
          station_id: station,
          geometry: json({ type: 'Polygon' as const, coordinates: [square(corner[0], corner[1])] }),
          center_lon: corner[0] + 0.005,
          center_lat: corner[1] + 0.005,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      grids[key] = Number(g.id);
    }
    const early = new Date('2026-01-05T00:00:00Z');
    const later = new Date('2026-03-05T00:00:00Z');
    const at = ([lon, lat]: readonly [number, number]) => ({ lon: lon + 0.005, lat: lat + 0.005 });
    await deliver(
      db(),
      'reg-a',
      [
        reg({ sourceKey: 'CX-1', name: '城厢镇晓红快餐', address: '城厢镇人民南路12号', ...at(CX) }),
        reg({ sourceKey: 'CX-2', name: '城厢镇阿明修车', address: '城厢镇人民南路30号' }),
        reg({ sourceKey: 'CX-3', name: '城厢镇阿芬裁缝', address: '城厢镇东门街3号' }),
        reg({
          sourceKey: 'CX-4',
          name: '城厢镇老李茶社',
          address: '城厢镇东门街9号',
          lon: 120.605,
          lat: 31.402,
        }),
      ],
      early,
    );
    await deliver(
      db(),
      'reg-b',
      [
        reg({ sourceKey: 'SX-1', name: '沙溪镇晓红快餐', address: '沙溪镇松南村5组12号', ...at(SX) }),
        reg({
          sourceKey: 'SX-2',
          name: '沙溪镇阿明修车摊',
          address: '沙溪镇松南村5组30号',
          lon: 120.702,
          lat: 31.402,
        }),
        reg({
          sourceKey: 'SX-3',
          name: '沙溪镇阿芬裁缝铺',
          address: '沙溪镇老街3号',
          lon: 120.708,
          lat: 31.408,
        }),
        // Outside every grid.
        reg({
          sourceKey: 'FAR-1',
          name: '浏河镇老李茶馆',
          address: '浏河镇郑和路9号',
          lon: 121.2,
          lat: 31.6,
        }),
      ],
      later,
    );
    e.cxShop = await entityOfRecord(db(), 'reg-a', 'CX-1');
    e.guessed = await entityOfRecord(db(), 'reg-a', 'CX-2');
    e.pointless = await entityOfRecord(db(), 'reg-a', 'CX-3');
    e.gridShop = await entityOfRecord(db(), 'reg-a', 'CX-4');
    e.sxShop = await entityOfRecord(db(), 'reg-b', 'SX-1');
    e.sxStall = await entityOfRecord(db(), 'reg-b', 'SX-2');
    e.sxKiosk = await entityOfRecord(db(), 'reg-b', 'SX-3');
    e.farShop = await entityOfRecord(db(), 'reg-b', 'FAR-1');
    // The 修车 shop's point is a geocoder's guess (门牌) in 城厢, as gis.locate writes one.
    await sql`update entity set lon = 120.603, lat = 31.403, geo_source = 'geocoder', geo_provider = 'local',
      geo_precision = 'door', geo_updated_at = clock_timestamp() where id = ${e.guessed}`.execute(db());
    await db()
      .updateTable('entity')
      .set({ station_id: stations[0]! })
      .where('id', '=', e.pointless)
      .execute();
    await db().updateTable('entity').set({ station_id: stations[1]! }).where('id', '=', e.farShop).execute();
    await assignLocations(t.ctx, { geocode: false });
    expect(await place(e.cxShop)).toMatchObject({ grid_id: grids.cx, station_id: stations[0] });
    expect(await place(e.sxShop)).toMatchObject({ grid_id: grids.sx, station_id: stations[1] });
    expect(await place(e.guessed)).toMatchObject({ grid_id: grids.cx, geo_source: 'geocoder' });
  });

  it('moves the survivor to the grid and 所 of its new point in the merge itself, and back on un-merge', async () => {
    const mergeId = await merge(e.cxShop, e.sxShop);
    // The newer record's coordinates (沙溪) win: the survivor belongs to 沙溪所 now, without waiting for a run.
    expect(await place(e.cxShop)).toMatchObject({
      lon: SX[0] + 0.005,
      grid_id: grids.sx,
      station_id: stations[1],
    });
    // 城厢所 no longer sees it.
    expect((await reviewerA('GET', `/api/gis/entities/${e.cxShop}/location`)).statusCode).toBe(404);

    await revert(mergeId);
    expect(await place(e.cxShop)).toMatchObject({
      lon: CX[0] + 0.005,
      grid_id: grids.cx,
      station_id: stations[0],
      geo_source: 'import',
    });
    expect(await place(e.sxShop)).toMatchObject({ grid_id: grids.sx, station_id: stations[1] });
    const seen = await reviewerA('GET', `/api/gis/entities/${e.cxShop}/location`);
    expect(seen.json()).toMatchObject({ gridName: '城厢第1网格', source: 'import', precision: 'point' });
  });

  it('gives a geocoded point back as geocoded on un-merge, not as exact source data', async () => {
    const before = await place(e.guessed);
    const mergeId = await merge(e.guessed, e.sxStall);
    expect(await place(e.guessed)).toMatchObject({
      geo_source: 'import',
      geo_precision: 'point',
      grid_id: grids.sx,
      station_id: stations[1],
    });
    await revert(mergeId);
    expect(await place(e.guessed)).toEqual(before);
    const location = (await director('GET', `/api/gis/entities/${e.guessed}/location`)).json();
    expect(location).toMatchObject({ source: 'geocoder', provider: 'local', precision: 'door' });
    // The guess does not become an address point of the gazetteer.
    await assignLocations(t.ctx, { geocode: false });
    const points = await db()
      .selectFrom('gis_address_point')
      .select('entity_id')
      .where('entity_id', '=', e.guessed)
      .execute();
    expect(points).toEqual([]);
    expect(await place(e.guessed)).toEqual(before);
  });

  it('keeps a point a person placed after the merge when the merge is undone', async () => {
    const mergeId = await merge(e.cxShop, e.sxShop);
    const moved = await director('PUT', `/api/gis/entities/${e.cxShop}/location`, {
      lon: 120.607,
      lat: 31.407,
      reason: '现场核实店面在城厢',
    });
    expect(moved.statusCode, moved.body).toBe(200);
    await revert(mergeId);
    expect(await place(e.cxShop)).toMatchObject({
      lon: 120.607,
      lat: 31.407,
      geo_source: 'manual',
      grid_id: grids.cx,
      station_id: stations[0],
    });
  });

  it('gives an entity that had no point its 所 back when the un-merge takes the point away', async () => {
    const before = await place(e.pointless);
    expect(before).toMatchObject({ lon: null, grid_id: null, station_id: stations[0] });
    const mergeId = await merge(e.pointless, e.sxKiosk);
    expect(await place(e.pointless)).toMatchObject({ grid_id: grids.sx, station_id: stations[1] });
    await revert(mergeId);
    expect(await place(e.pointless)).toEqual(before);
    expect(await unlocated()).toContainEqual(
      expect.objectContaining({ id: e.pointless, reason: 'no_point' }),
    );
  });

  it('lists a survivor whose new point lies in no grid as 未落格 at once', async () => {
    const mergeId = await merge(e.gridShop, e.farShop);
    // It keeps its 所 (the people who saw it still do) and shows up as outside every grid, not as waiting.
    expect(await place(e.gridShop)).toMatchObject({ lon: 121.2, grid_id: null, station_id: stations[0] });
    expect(await unlocated()).toContainEqual(expect.objectContaining({ id: e.gridShop, reason: 'outside' }));
    await revert(mergeId);
    expect(await place(e.gridShop)).toMatchObject({
      lon: 120.605,
      grid_id: grids.cx,
      station_id: stations[0],
    });
    expect((await unlocated()).map((u) => u.id)).not.toContain(e.gridShop);
  });
});
