import type { DictItem, DictOption, DictType } from '@rongjian/shared/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrg, login } from '../../../test/fixtures.ts';
import { createTestApp, type TestContext } from '../../../test/support.ts';
import type { App } from '../http/app.ts';
import { createDictService } from './dict.service.ts';

let t: TestContext & { app: App };
let sys: Record<string, string>;
let officer: Record<string, string>;

beforeAll(async () => {
  t = await createTestApp();
  const org = await createOrg(t.ctx.db);
  await org.user('sys', 'sysadmin');
  await org.user('off', 'officer');
  sys = (await login(t.app, 'sys')).headers;
  officer = (await login(t.app, 'off')).headers;
});
afterAll(() => t.close());

const get = (url: string, headers: Record<string, string> = sys) => t.app.inject({ url, headers });
const send = (method: 'POST' | 'PUT' | 'DELETE', url: string, payload?: object, headers = sys) =>
  t.app.inject({ method, url, headers, ...(payload ? { payload: payload as Record<string, unknown> } : {}) });

async function itemsOf(code: string): Promise<DictItem[]> {
  return (await get(`/api/system/dicts/${code}/items`)).json<{ items: DictItem[] }>().items;
}

describe('built-in code tables', () => {
  it('are seeded and readable by any signed-in page', async () => {
    const res = await get('/api/dicts/clue_kind', officer);
    expect(res.statusCode).toBe(200);
    expect(res.json<{ items: DictOption[] }>().items.map((i) => [i.value, i.label])).toEqual([
      ['complaint', '投诉'],
      ['report', '举报'],
      ['inquiry', '咨询'],
      ['suggestion', '建议'],
      ['other', '其他'],
    ]);
    expect(t.ctx.dicts.items('business_line')).toHaveLength(15);
    expect(t.ctx.dicts.items('clue_channel').map((i) => i.label)).toEqual(
      expect.arrayContaining(['12315', '12345', '来电', '上级交办', '感知告警', '监督发现']),
    );
    const categories = t.ctx.dicts.items('category_12315');
    expect(categories.filter((i) => i.parentValue === null).map((i) => i.label)).toEqual([
      '商品类',
      '服务类',
    ]);
    expect(categories.find((i) => i.label === '家用电子电器')?.parentValue).toBe('goods');
    expect(categories.find((i) => i.label === '互联网')?.parentValue).toBe('services');
    expect(t.ctx.dicts.items('entity_type')).toHaveLength(3);
    expect(t.ctx.dicts.items('risk_class').map((i) => i.value)).toEqual(['A', 'B', 'C', 'D']);
    expect(t.ctx.dicts.items('department_kind')).toHaveLength(4);
  });

  it('lists every type for the administrator, built-in ones marked', async () => {
    const types = (await get('/api/system/dicts')).json<{ items: DictType[] }>().items;
    expect(types.find((x) => x.code === 'category_12315')).toMatchObject({ builtin: true, itemCount: 26 });
  });

  it('let the administrator relabel, reorder and disable items, served at once from the cache', async () => {
    const inquiry = (await itemsOf('clue_kind')).find((i) => i.value === 'inquiry')!;
    const res = await send('PUT', `/api/system/dicts/clue_kind/items/${inquiry.id}`, {
      label: '咨询（含求助）',
      sort: 1,
      enabled: false,
    });
    expect(res.statusCode).toBe(200);
    expect(t.ctx.dicts.label('clue_kind', 'inquiry')).toBe('咨询（含求助）');
    const options = (await get('/api/dicts/clue_kind', officer)).json<{ items: DictOption[] }>().items;
    expect(options[0]).toMatchObject({ value: 'inquiry', label: '咨询（含求助）', enabled: false });
  });

  it('protect what code depends on: built-in values, built-in items and built-in types', async () => {
    const report = (await itemsOf('clue_kind')).find((i) => i.value === 'report')!;
    const renamed = await send('PUT', `/api/system/dicts/clue_kind/items/${report.id}`, { value: 'tipoff' });
    expect(renamed.statusCode).toBe(409);
    expect(renamed.json().code).toBe('DICT_BUILTIN_PROTECTED');
    expect((await send('DELETE', `/api/system/dicts/clue_kind/items/${report.id}`)).statusCode).toBe(409);
    expect((await send('DELETE', '/api/system/dicts/clue_kind')).statusCode).toBe(409);
    expect(t.ctx.dicts.items('clue_kind').map((i) => i.value)).toContain('report');
  });

  it('record every change in the audit trail with before and after', async () => {
    const rows = await t.ctx.db
      .selectFrom('audit_log')
      .select(['action', 'object_type', 'summary', 'actor_name'])
      .where('action', '=', 'system.dict.update')
      .execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]?.actor_name).toBe('sys');
    expect(JSON.stringify(rows[0]?.summary)).toContain('咨询（含求助）');
  });
});

describe('custom code tables', () => {
  it('can be created, filled, edited and deleted', async () => {
    const created = await send('POST', '/api/system/dicts', {
      code: 'hotline_topic',
      name: '热线专题',
      description: '',
    });
    expect(created.statusCode).toBe(200);
    expect(
      (await send('POST', '/api/system/dicts', { code: 'hotline_topic', name: '重复' })).statusCode,
    ).toBe(409);
    expect((await send('POST', '/api/system/dicts', { code: 'Bad Code', name: 'x' })).statusCode).toBe(400);

    const a = await send('POST', '/api/system/dicts/hotline_topic/items', {
      value: 'prepaid',
      label: '预付式消费',
    });
    expect(a.statusCode).toBe(200);
    const b = await send('POST', '/api/system/dicts/hotline_topic/items', {
      value: 'prepaid.gym',
      label: '健身卡',
      parentValue: 'prepaid',
      color: '#ff0000',
    });
    expect(b.statusCode).toBe(200);
    expect(b.json<DictItem>().sort).toBeGreaterThan(a.json<DictItem>().sort);
    expect(
      (await send('POST', '/api/system/dicts/hotline_topic/items', { value: 'prepaid', label: '重复' }))
        .statusCode,
    ).toBe(409);
    const orphan = await send('POST', '/api/system/dicts/hotline_topic/items', {
      value: 'x',
      label: 'x',
      parentValue: 'none',
    });
    expect(orphan.statusCode).toBe(400);
    expect(t.ctx.dicts.items('hotline_topic').map((i) => i.label)).toEqual(['预付式消费', '健身卡']);

    // A custom item's value may change; a parent with children may not be removed first.
    const parentId = a.json<DictItem>().id;
    expect((await send('DELETE', `/api/system/dicts/hotline_topic/items/${parentId}`)).statusCode).toBe(409);
    const child = b.json<DictItem>().id;
    expect(
      (await send('PUT', `/api/system/dicts/hotline_topic/items/${child}`, { value: 'gym' })).statusCode,
    ).toBe(200);
    expect((await send('DELETE', `/api/system/dicts/hotline_topic/items/${child}`)).statusCode).toBe(200);

    expect((await send('DELETE', '/api/system/dicts/hotline_topic')).statusCode).toBe(200);
    expect((await get('/api/dicts/hotline_topic', officer)).statusCode).toBe(404);
    expect((await get('/api/system/dicts/hotline_topic/items')).statusCode).toBe(404);
  });

  it('an item of one type is not reachable through another type', async () => {
    const report = (await itemsOf('clue_kind')).find((i) => i.value === 'report')!;
    expect(
      (await send('PUT', `/api/system/dicts/risk_class/items/${report.id}`, { label: 'x' })).statusCode,
    ).toBe(404);
  });
});

describe('access and hostile input', () => {
  it('keeps administration to holders of system:dict permissions', async () => {
    expect((await get('/api/system/dicts', officer)).statusCode).toBe(403);
    expect((await send('POST', '/api/system/dicts', { code: 'x_y', name: 'x' }, officer)).statusCode).toBe(
      403,
    );
    expect((await t.app.inject({ url: '/api/dicts/clue_kind' })).statusCode).toBe(401);
  });

  it('treats SQL metacharacters in filters as text and refuses over-long ones without a server error', async () => {
    // `e_t` would match "ent" in department_kind and entity_type if `_` were a wildcard.
    for (const kw of ["%' or 1=1 --", '%', 'e_t', '\\', "'; drop table dict_item; --"]) {
      const res = await get(`/api/system/dicts?keyword=${encodeURIComponent(kw)}`);
      expect(res.statusCode).toBe(200);
      expect(res.json<{ items: DictType[] }>().items).toEqual([]);
      const items = await get(`/api/system/dicts/clue_kind/items?keyword=${encodeURIComponent(kw)}`);
      expect(items.statusCode).toBe(200);
      expect(items.json<{ items: DictItem[] }>().items).toEqual([]);
    }
    expect((await get(`/api/system/dicts?keyword=${'长'.repeat(500)}`)).statusCode).toBe(400);
    const longType = await get(`/api/dicts/${'x'.repeat(300)}`, officer);
    expect([400, 404, 414]).toContain(longType.statusCode);
    expect((await get('/api/system/dicts?keyword=商品')).json<{ items: DictType[] }>().items).toEqual([]);
    expect((await get('/api/system/dicts?keyword=12315')).json<{ items: DictType[] }>().items).toHaveLength(
      1,
    );
  });
});

describe('cache on other nodes', () => {
  it('serves cached items until the next reload', async () => {
    const other = await createDictService({ db: t.ctx.db, audit: t.ctx.audit });
    const item = (await itemsOf('risk_class')).find((i) => i.value === 'D')!;
    await send('PUT', `/api/system/dicts/risk_class/items/${item.id}`, { label: '高风险（重点）' });
    expect(other.label('risk_class', 'D')).toBe('高风险');
    await other.refresh();
    expect(other.label('risk_class', 'D')).toBe('高风险（重点）');
  });
});
