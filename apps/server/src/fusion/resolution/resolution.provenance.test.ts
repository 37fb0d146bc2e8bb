import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrg, login } from '../../../test/fixtures.ts';
import { caller, insertRole, insertUser } from '../../../test/roles-support.ts';
import { createTestApp } from '../../../test/support.ts';
import { refuseAll } from './resolution.jobs.ts';
import { type FieldRules, fieldRulesSetting } from './resolution.settings.ts';
import { addSource, deliver, entityOfRecord, reg, uscc } from './resolution.test-support.ts';

type Call = ReturnType<typeof caller>;
let t: Awaited<ReturnType<typeof createTestApp>>;
let director: Call;
let officer: Call;
let editorB: Call;
let id = 0;
const code = uscc(201);
const admin = { id: null, name: '测试管理员' };

interface Field {
  field: string;
  value: string | number | null;
  rule: string;
  source: string | null;
  sourceLabel: string | null;
  runId: number | null;
  runExists: boolean;
  actorName: string | null;
  note: string | null;
  alternatives: { recordId: number; value: unknown; conflict: boolean; sourceLabel: string }[];
}

beforeAll(async () => {
  t = await createTestApp();
  const org = await createOrg(t.ctx.db);
  await org.user('director1', 'director');
  await org.user('officer_a', 'officer', org.stations[0]);
  const role = await insertRole(t.ctx.db, 'profile_editor', ['entity:profile:*'], 'department');
  await insertUser(t.ctx.db, 'editor_b', org.stations[1]!, [role]);
  director = caller(t.app, await login(t.app, 'director1'));
  officer = caller(t.app, await login(t.app, 'officer_a'));
  editorB = caller(t.app, await login(t.app, 'editor_b'));
  await addSource(t.ctx.db, 'registry', 10);
  await addSource(t.ctx.db, 'county', 50);
  await deliver(
    t.ctx.db,
    'registry',
    [reg({ uscc: code, name: '示范县甲饭店', address: '人民路1号' })],
    new Date('2026-01-01T00:00:00Z'),
  );
  await deliver(
    t.ctx.db,
    'county',
    [reg({ uscc: code, name: '甲饭店（县平台）', address: '人民路1号之一' })],
    new Date('2026-02-01T00:00:00Z'),
  );
  id = await entityOfRecord(t.ctx.db, 'registry', code);
  await t.ctx.db.updateTable('entity').set({ station_id: org.stations[0]! }).where('id', '=', id).execute();
});
afterAll(async () => {
  await t?.close();
});

async function provenance(): Promise<Record<string, Field>> {
  const res = await director('GET', `/api/fusion/entities/${id}/provenance`);
  expect(res.statusCode, res.body).toBe(200);
  return Object.fromEntries((res.json().fields as Field[]).map((f) => [f.field, f]));
}
async function setRules(over: Partial<FieldRules>) {
  await t.ctx.settings.set(admin, fieldRulesSetting, { ...fieldRulesSetting.default, ...over });
  await refuseAll(t.ctx.db, t.ctx.settings.get(fieldRulesSetting));
}
const name = async () =>
  (await t.ctx.db.selectFrom('entity').select('name').where('id', '=', id).executeTakeFirstOrThrow()).name;

describe('provenance per field', () => {
  it('names the source, run, time and rule of each value, and lists the other sources’ values', async () => {
    const f = await provenance();
    expect(f.name).toMatchObject({
      value: '示范县甲饭店',
      rule: 'trusted',
      source: 'registry',
      sourceLabel: '测试来源 registry',
      runExists: true,
    });
    expect(f.name!.alternatives).toEqual([
      expect.objectContaining({ value: '甲饭店（县平台）', conflict: false, sourceLabel: '测试来源 county' }),
    ]);
    // 住所 follows the newest record.
    expect(f.address).toMatchObject({ value: '人民路1号之一', rule: 'newest', source: 'county' });
    expect(f.lon).toMatchObject({ value: null, source: null });
  });

  it('applies a changed rule to existing entities in the nightly re-fusion', async () => {
    await setRules({ name: 'newest' });
    expect(await name()).toBe('甲饭店（县平台）');
    expect((await provenance()).name).toMatchObject({ rule: 'newest', source: 'county' });
    await setRules({});
    expect(await name()).toBe('示范县甲饭店');
  });
});

describe('manual values', () => {
  it('lets staff set a field with a reason; the person’s value is a 人工维护 record', async () => {
    const res = await director('PUT', `/api/fusion/entities/${id}/fields`, {
      field: 'name',
      value: '示范县甲饭店（人民路店）',
      reason: '现场核对招牌',
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      before: '示范县甲饭店',
      after: '示范县甲饭店（人民路店）',
      inUse: true,
    });
    expect((await provenance()).name).toMatchObject({
      source: 'manual',
      sourceLabel: '人工维护',
      runId: null,
      actorName: 'director1',
      note: '现场核对招牌',
    });
    const events = await t.ctx.db
      .selectFrom('ledger_event')
      .select(['kind', 'payload'])
      .where('subject_id', '=', String(id))
      .execute();
    expect(events).toEqual([
      expect.objectContaining({
        kind: 'entity.field.corrected',
        payload: expect.objectContaining({ reason: '现场核对招牌' }),
      }),
    ]);
    const audit = await t.ctx.db
      .selectFrom('audit_log')
      .select(['detail', 'result'])
      .where('action', '=', 'entity:profile:update')
      .executeTakeFirstOrThrow();
    expect(audit).toMatchObject({ result: 'success' });
    expect(audit.detail).toContain('原因：现场核对招牌');
  });

  it('under 人工优先 keeps the person’s value and lists a later different source value as a conflict', async () => {
    await setRules({ name: 'manual' });
    await deliver(t.ctx.db, 'county', [
      reg({ uscc: code, name: '甲饭店（县平台更新）', address: '人民路1号之一' }),
    ]);
    expect(await name()).toBe('示范县甲饭店（人民路店）');
    const f = (await provenance()).name!;
    const conflict = f.alternatives.find((a) => a.conflict);
    expect(conflict).toMatchObject({ value: '甲饭店（县平台更新）', sourceLabel: '测试来源 county' });
    // The registry's value is older than the person's: a difference, not a conflict.
    expect(f.alternatives.find((a) => a.value === '示范县甲饭店')?.conflict).toBe(false);

    const adopt = await director('POST', `/api/fusion/entities/${id}/fields/adopt`, {
      field: 'name',
      recordId: conflict!.recordId,
      reason: '县平台已核实更名',
    });
    expect(adopt.statusCode, adopt.body).toBe(200);
    const after = (await provenance()).name!;
    expect(after).toMatchObject({ value: '甲饭店（县平台更新）', source: 'manual' });
    expect(after.note).toMatch(/^采用「测试来源 county」（批次 #\d+）的值：县平台已核实更名$/);
    expect(after.alternatives.some((a) => a.conflict)).toBe(false);
  });

  it('under 最新 a newer delivery replaces the person’s value', async () => {
    await setRules({ name: 'newest' });
    await deliver(t.ctx.db, 'registry', [
      reg({ uscc: code, name: '示范县甲饭店有限公司', address: '人民路1号' }),
    ]);
    expect(await name()).toBe('示范县甲饭店有限公司');
    await setRules({});
  });

  it('is refused without the permission, outside the data scope, and for an invalid value', async () => {
    const body = { field: 'status', value: '注销', reason: '核实' };
    expect((await officer('PUT', `/api/fusion/entities/${id}/fields`, body)).statusCode).toBe(403);
    expect((await editorB('PUT', `/api/fusion/entities/${id}/fields`, body)).statusCode).toBe(404);
    expect((await editorB('GET', `/api/fusion/entities/${id}/provenance`)).statusCode).toBe(404);
    const bad = await director('PUT', `/api/fusion/entities/${id}/fields`, {
      ...body,
      field: 'regionCode',
      value: '32',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toEqual({
      code: 'VALIDATION_FAILED',
      message: '行政区划代码应为 6 位数字',
      details: [{ path: 'value', message: '行政区划代码应为 6 位数字' }],
    });
  });
});
