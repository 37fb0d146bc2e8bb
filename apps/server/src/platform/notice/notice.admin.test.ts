import type { NoticeAdmin, NoticeAdminPage } from '@rongjian/shared/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type NoticeWorld, noticeWorld } from './notice.fixtures.ts';

let w: NoticeWorld;
let all: NoticeAdmin;
let station: NoticeAdmin;

beforeAll(async () => {
  w = await noticeWorld();
  all = await w.draft('sys', '全局通知', 'all');
  station = await w.draft('sys', '城东所通知', [w.east]);
  await w.draft('sys', '草稿通知', 'all');
  for (const n of [all, station]) await w.publish(n.id);
  await w.post(`/api/notices/${all.id}/read`, 'east');
  await w.post(`/api/notices/${all.id}/read`, 'west');
});
afterAll(() => w.t.close());

const list = async (query: string, who = 'sys') =>
  (await w.get(`/api/system/notices${query}`, who)).json<NoticeAdminPage>();

describe('administration', () => {
  it('keeps a station editor within its data scope: others’ notices are not found', async () => {
    const own = await w.draft('editor', '城东所内部通知', 'all');
    const mine = await list('', 'editor');
    expect(mine.items.map((n) => n.title)).toEqual(['城东所内部通知']);
    expect(mine.total).toBe(1);
    expect((await w.get(`/api/system/notices/${all.id}`, 'editor')).statusCode).toBe(404);
    expect((await w.post(`/api/system/notices/${all.id}/withdraw`, 'editor')).statusCode).toBe(404);
    expect((await w.send('DELETE', `/api/system/notices/${station.id}`, 'editor')).statusCode).toBe(404);
    expect((await w.get(`/api/system/notices/${own.id}`, 'sys')).statusCode).toBe(200);
  });

  it('filters and pages the list, counting readers and naming the audience', async () => {
    const published = await list('?status=published&limit=1');
    expect(published.items.map((n) => n.title)).toEqual(['城东所通知']);
    expect(published.total).toBe(2);
    const next = await list(`?status=published&limit=1&after=${published.nextAfter}`);
    expect(next.items.map((n) => n.title)).toEqual(['全局通知']);
    expect(next.nextAfter).toBeNull();
    expect((await list('?status=draft')).items.map((n) => n.title)).toContain('草稿通知');
    const [found] = (await list(`?keyword=${encodeURIComponent('全局')}`)).items;
    expect(found).toMatchObject({ title: '全局通知', readCount: 2, targetAll: true });
    const [east] = (await list(`?keyword=${encodeURIComponent('城东所通知')}`)).items;
    expect(east?.targetDepartments.map((d) => d.name)).toEqual(['城东市场监管所']);
  });

  it('offers the department tree as the audience to pick from', async () => {
    const tree = (await w.get('/api/system/notices/departments', 'sys')).json<{
      items: { name: string }[];
    }>();
    expect(tree.items.map((d) => d.name)).toEqual([
      '测试县市场监督管理局',
      '城东市场监管所',
      '城西市场监管所',
    ]);
  });

  it('keeps business users out and survives hostile filters', async () => {
    expect((await w.get('/api/system/notices', 'hq')).statusCode).toBe(403);
    expect((await w.post('/api/system/notices', 'hq', { title: 'x', kind: 'notice' })).statusCode).toBe(403);
    expect((await w.post(`/api/system/notices/${all.id}/withdraw`, 'hq')).statusCode).toBe(403);
    for (const kw of ["' or 1=1 --", '%', '_', '\\', "'); delete from notice; --"]) {
      const res = await w.get(`/api/system/notices?keyword=${encodeURIComponent(kw)}`, 'sys');
      expect(res.statusCode).toBe(200);
      expect(res.json<NoticeAdminPage>().items).toEqual([]);
    }
    expect((await w.get(`/api/system/notices?keyword=${'长'.repeat(300)}`, 'sys')).statusCode).toBe(400);
    expect((await w.get(`/api/notices?after=${'9'.repeat(79)}`, 'east')).statusCode).toBe(400);
    expect((await w.get(`/api/notices?after=${'x'.repeat(500)}`, 'east')).statusCode).toBe(400);
    expect((await w.get('/api/system/notices?status=archived', 'sys')).statusCode).toBe(400);
    expect((await list('')).total).toBe(4);
  });

  it('records every publication in the audit trail', async () => {
    const rows = await w.t.ctx.db
      .selectFrom('audit_log')
      .select(['object_type', 'object_id', 'actor_name', 'summary'])
      .where('action', '=', 'system:notice:publish')
      .where('result', '=', 'success')
      .orderBy('id')
      .execute();
    expect(rows.map((r) => r.object_id)).toEqual([String(all.id), String(station.id)]);
    expect(rows[0]).toMatchObject({ object_type: 'notice', actor_name: 'sys' });
    expect(JSON.stringify(rows[0]?.summary)).toContain('published');
  });
});
