import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import { createTestContext, type TestContext } from '../../../test/support.ts';
import { up as up036 } from '../../platform/db/migrations/0036_name_norm_individual.ts';
import { hashedSourceKey } from './resolution.apply.ts';
import { resolutionSetting } from './resolution.settings.ts';
import { unpackProvenance } from './resolution.tables.ts';
import { addSource, counts, deliver, entityOfRecord, reg, uscc } from './resolution.test-support.ts';

let t: TestContext;
const admin = { id: null, name: '测试管理员' };

beforeAll(async () => {
  t = await createTestContext();
  await addSource(t.ctx.db, 'reg-a', 10);
  await addSource(t.ctx.db, 'reg-b', 50);
});
afterAll(async () => {
  await t?.close();
});

const entity = async (id: number) => {
  const row = await t.ctx.db.selectFrom('entity').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  return { ...row, provenance: unpackProvenance(row.provenance) };
};

describe('records with a USCC', () => {
  const batch = [
    reg({ uscc: uscc(1), name: '示范县甲超市有限公司', address: '人民路 1 号', type: 'enterprise' }),
    reg({ uscc: uscc(2), name: '示范县乙饭店', address: '人民路 2 号', lon: 120.61, lat: 31.3 }),
    reg({ uscc: uscc(3), name: '示范县丙药房', address: '人民路 3 号', type: 'enterprise' }),
  ];

  it('creates one entity per new USCC, keeping every record with its provenance', async () => {
    const run = await deliver(t.ctx.db, 'reg-a', batch);
    expect(run).toMatchObject({ inserted: 3, updated: 0, queued: 0 });
    const id = await entityOfRecord(t.ctx.db, 'reg-a', uscc(2));
    const e = await entity(id);
    expect(e).toMatchObject({
      uscc: uscc(2),
      name: '示范县乙饭店',
      address: '人民路 2 号',
      lon: 120.61,
      lat: 31.3,
      name_norm: '乙饭',
      address_norm: '人民路2号',
    });
    expect(e.provenance.name).toMatchObject({ source: 'reg-a', runId: run.runId, rule: 'trusted' });
    expect(e.provenance.address).toMatchObject({ source: 'reg-a', runId: run.runId, rule: 'newest' });
    expect(e.provenance.lon).toMatchObject({ source: 'reg-a', rule: 'newest' });
    const records = await t.ctx.db
      .selectFrom('entity_source_record')
      .select(['source_key', 'match_method', 'run_id'])
      .where('entity_id', '=', id)
      .execute();
    expect(records).toEqual([{ source_key: uscc(2), match_method: 'uscc', run_id: run.runId }]);
  });

  it('re-delivering the same records changes nothing', async () => {
    const before = await counts(t.ctx.db);
    const id = await entityOfRecord(t.ctx.db, 'reg-a', uscc(1));
    const e = await entity(id);
    const again = await deliver(t.ctx.db, 'reg-a', batch);
    expect(again).toMatchObject({ inserted: 0, updated: 0, queued: 0 });
    expect(await counts(t.ctx.db)).toEqual(before);
    const after = await entity(id);
    expect(after.updated_at).toEqual(e.updated_at);
    expect(after.provenance).toEqual(e.provenance);
  });

  it('a changed record updates its entity, and only that one', async () => {
    const changed = [...batch];
    changed[0] = { ...batch[0]!, address: '人民路 100 号' };
    const run = await deliver(t.ctx.db, 'reg-a', changed);
    expect(run).toMatchObject({ inserted: 0, updated: 1, queued: 0 });
    const e = await entity(await entityOfRecord(t.ctx.db, 'reg-a', uscc(1)));
    expect(e.address).toBe('人民路 100 号');
    expect(e.provenance.address).toMatchObject({ runId: run.runId });
    // An old record delivered later does not count as newer: the source's own 更新时间 orders them.
    const late = await deliver(t.ctx.db, 'reg-b', [
      { ...batch[0]!, address: '人民路旧址 5 号', updatedAt: '2012-01-01T00:00:00Z' },
      { ...batch[0]!, address: '人民路旧址 6 号', updatedAt: '2012-02-01T00:00:00Z' },
    ]);
    expect(late).toMatchObject({ inserted: 0, updated: 0 });
    expect((await entity(e.id)).address).toBe('人民路 100 号');
    // The other entities of the file were not touched.
    const other = await entity(await entityOfRecord(t.ctx.db, 'reg-a', uscc(2)));
    expect(other.provenance.name!.runId).not.toBe(run.runId);
  });
});

describe('records without a USCC', () => {
  it('links two spellings of the same shop to one entity', async () => {
    const first = await deliver(t.ctx.db, 'reg-a', [
      reg({ sourceKey: '320500600000011', name: '老王烧烤店', address: '建设路88号' }),
    ]);
    expect(first).toMatchObject({ inserted: 1, queued: 0 });
    const before = await counts(t.ctx.db);
    const second = await deliver(t.ctx.db, 'reg-b', [
      reg({ name: '老王烧烤（个体工商户）', address: '江苏省苏州市示范县建设路八十八号' }),
    ]);
    expect(second).toMatchObject({ inserted: 0, queued: 0 });
    expect(await counts(t.ctx.db)).toEqual({ ...before, records: before.records + 1 });
    const id = await entityOfRecord(t.ctx.db, 'reg-a', '320500600000011');
    const records = await t.ctx.db
      .selectFrom('entity_source_record')
      .select(['source', 'match_method', 'match_score'])
      .where('entity_id', '=', id)
      .orderBy('id')
      .execute();
    expect(records).toEqual([
      { source: 'reg-a', match_method: 'new', match_score: null },
      { source: 'reg-b', match_method: 'similarity', match_score: 1 },
    ]);
    // The more trusted source keeps the name; the newest delivery gives the address.
    expect(await entity(id)).toMatchObject({
      name: '老王烧烤店',
      address: '江苏省苏州市示范县建设路八十八号',
    });
    // A re-delivery of the hashed-key record changes nothing.
    const again = await deliver(t.ctx.db, 'reg-b', [
      reg({ name: '老王烧烤（个体工商户）', address: '江苏省苏州市示范县建设路八十八号' }),
    ]);
    expect(again).toMatchObject({ inserted: 0, updated: 0, queued: 0 });
  });

  it('queues an uncertain pair for a person, or links it when the threshold allows', async () => {
    await deliver(t.ctx.db, 'reg-a', [
      reg({ sourceKey: '320500600000021', name: '张记面馆', address: '解放路12号' }),
    ]);
    const queued = await deliver(t.ctx.db, 'reg-b', [reg({ name: '张纪面馆', address: '解放路十二号' })]);
    expect(queued).toMatchObject({ inserted: 1, queued: 1 });
    const match = await t.ctx.db
      .selectFrom('entity_match')
      .selectAll()
      .where('run_id', '=', queued.runId)
      .executeTakeFirstOrThrow();
    expect(match).toMatchObject({ status: 'pending', score: 0.85, name_score: 0.75, address_score: 1 });
    expect(match.candidate_id).toBe(await entityOfRecord(t.ctx.db, 'reg-a', '320500600000021'));

    await t.ctx.settings.set(admin, resolutionSetting, {
      ...resolutionSetting.default,
      autoThreshold: 0.8,
    });
    try {
      await deliver(t.ctx.db, 'reg-a', [
        reg({ sourceKey: '320500600000031', name: '李记面馆', address: '胜利路7号' }),
      ]);
      const linked = await deliver(t.ctx.db, 'reg-b', [reg({ name: '李纪面馆', address: '胜利路七号' })]);
      expect(linked).toMatchObject({ inserted: 0, queued: 0 });
    } finally {
      await t.ctx.settings.set(admin, resolutionSetting, resolutionSetting.default);
    }
  });

  it('keeps an unrelated shop with a similar name at another address apart, without asking', async () => {
    const run = await deliver(t.ctx.db, 'reg-b', [reg({ name: '城西老王烧烤摊', address: '城西测试路1号' })]);
    expect(run).toMatchObject({ inserted: 1, queued: 0 });
    const sameRoad = await deliver(t.ctx.db, 'reg-b', [reg({ name: '老王烧烤店', address: '建设路90号' })]);
    // Same name, same road, another house number: a person decides.
    expect(sameRoad).toMatchObject({ inserted: 1 });
  });

  it('normalises entities written by other modules before matching against them', async () => {
    await t.ctx.db
      .insertInto('entity')
      .values({
        name: '赵家小炒（个体工商户）',
        type: 'individual',
        address: '示范县和平路5号',
        region_code: '320500',
        business_lines: JSON.stringify([]) as unknown as string[],
      })
      .execute();
    const run = await deliver(t.ctx.db, 'reg-a', [reg({ name: '赵家小炒', address: '和平路五号' })]);
    expect(run).toMatchObject({ inserted: 0, queued: 0 });
  });

  it('links a name with and without the marker 个体, keeping the hashed source key of the record', async () => {
    const first = await deliver(t.ctx.db, 'reg-b', [
      reg({ name: '城厢镇晓红快餐（个体）', address: '人民南路12号' }),
    ]);
    expect(first).toMatchObject({ inserted: 1, queued: 0 });
    const [record] = await t.ctx.db
      .selectFrom('entity_source_record')
      .select(['source_key', 'entity_id'])
      .where('run_id', '=', first.runId)
      .execute();
    // The key is hashed from the name's form as keys were first written, so re-deliveries still find the record.
    expect(record!.source_key).toBe(hashedSourceKey('城厢镇晓红快餐个体', '人民南路12号'));
    expect(await entity(Number(record!.entity_id))).toMatchObject({ name_norm: '城厢镇晓红快餐' });
    const again = await deliver(t.ctx.db, 'reg-b', [
      reg({ name: '城厢镇晓红快餐（个体）', address: '人民南路12号' }),
    ]);
    expect(again).toMatchObject({ inserted: 0, updated: 0, queued: 0 });

    const other = await deliver(t.ctx.db, 'reg-a', [
      reg({ name: '城厢镇晓红快餐', address: '人民南路十二号' }),
    ]);
    expect(other).toMatchObject({ inserted: 0, queued: 0 });
    const linked = await t.ctx.db
      .selectFrom('entity_source_record')
      .select(['entity_id', 'match_method', 'match_score'])
      .where('run_id', '=', other.runId)
      .executeTakeFirstOrThrow();
    expect(linked).toEqual({ entity_id: record!.entity_id, match_method: 'similarity', match_score: 1 });
  });

  it('normalises again, before the next match, the names migration 0036 reset', async () => {
    const insert = async (name: string, nameNorm: string) =>
      Number(
        (
          await t.ctx.db
            .insertInto('entity')
            .values({
              name,
              type: 'individual',
              address: '沙溪镇松南村5组12号',
              region_code: '320500',
              business_lines: JSON.stringify([]) as unknown as string[],
              name_norm: nameNorm,
              address_norm: '沙溪镇松南村5组12号',
            })
            .returning('id')
            .executeTakeFirstOrThrow()
        ).id,
      );
    // As the normaliser before 0036 stored them.
    const stale = await insert('沙溪镇阿芳面馆 (个体)', '沙溪镇阿芳面馆个体');
    const bare = await insert('沙溪镇阿芳理发个 体', '沙溪镇阿芳理发个体');
    const untouched = await insert('沙溪镇阿强五金', '沙溪镇阿强五金');
    await up036(t.ctx.db as unknown as Kysely<unknown>);
    const norm = async (id: number) => (await entity(id)).name_norm;
    expect([await norm(stale), await norm(bare), await norm(untouched)]).toEqual([
      null,
      null,
      '沙溪镇阿强五金',
    ]);

    const run = await deliver(t.ctx.db, 'reg-a', [
      reg({ name: '沙溪镇阿芳面馆', address: '沙溪镇松南村5组12号' }),
    ]);
    expect(run).toMatchObject({ inserted: 0, queued: 0 });
    expect(
      await entityOfRecord(t.ctx.db, 'reg-a', hashedSourceKey('沙溪镇阿芳面馆', '沙溪镇松南村5组12号')),
    ).toBe(stale);
    expect([await norm(stale), await norm(bare)]).toEqual(['沙溪镇阿芳面馆', '沙溪镇阿芳理发']);
  });
});
