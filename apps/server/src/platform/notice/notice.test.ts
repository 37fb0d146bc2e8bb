import type { MyNoticePage, NoticeAdmin } from '@rongjian/shared/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LedgerEvent } from '../ledger/ledger.service.ts';
import { type NoticeWorld, noticeWorld } from './notice.fixtures.ts';

let w: NoticeWorld;
beforeAll(async () => {
  w = await noticeWorld();
});
afterAll(() => w.t.close());

describe('targeting and read status', () => {
  it('delivers a published notice to everybody, a department notice to its subtree only, and no drafts', async () => {
    const { east, org } = w;
    const all = await w.draft('sys', '全局通知', 'all', { level: 'important' });
    const station = await w.draft('sys', '城东所通知', [east]);
    const bureau = await w.draft('sys', '局机关及下属通知', [org.bureauId], { kind: 'announcement' });
    await w.draft('sys', '尚未发布的草稿', 'all');
    for (const n of [all, station, bureau]) await w.publish(n.id);

    expect(await w.titles('east')).toEqual(['局机关及下属通知', '城东所通知', '全局通知']);
    expect(await w.titles('west')).toEqual(['局机关及下属通知', '全局通知']);
    expect(await w.titles('hq')).toEqual(['局机关及下属通知', '全局通知']);
    expect(await w.unread('east')).toBe(3);
    expect(await w.unread('west')).toBe(2);
  });

  it('marks a notice read for that user only and counts the rest', async () => {
    const first = (await w.get('/api/notices', 'east')).json<MyNoticePage>().items[0]!;
    expect(first.read).toBe(false);
    const res = await w.post(`/api/notices/${first.id}/read`, 'east');
    expect(res.json()).toEqual({ count: 2 });
    await w.post(`/api/notices/${first.id}/read`, 'east');
    expect(await w.unread('east')).toBe(2);
    expect((await w.get('/api/notices', 'east')).json<MyNoticePage>().items[0]?.read).toBe(true);
    expect(await w.unread('west')).toBe(2);
    const unreadOnly = (await w.get('/api/notices?unread=true', 'east')).json<MyNoticePage>().items;
    expect(unreadOnly.map((n) => n.title)).toEqual(['城东所通知', '全局通知']);
  });

  it('refuses to mark a notice addressed to someone else, as not found', async () => {
    const station = (await w.get('/api/notices', 'east'))
      .json<MyNoticePage>()
      .items.find((n) => n.title === '城东所通知')!;
    expect((await w.post(`/api/notices/${station.id}/read`, 'west')).statusCode).toBe(404);
  });

  it('pages with a keyset cursor, newest first', async () => {
    const p1 = (await w.get('/api/notices?limit=2', 'east')).json<MyNoticePage>();
    expect(p1.items).toHaveLength(2);
    expect(p1.nextAfter).not.toBeNull();
    const p2 = (
      await w.get(`/api/notices?limit=2&after=${encodeURIComponent(p1.nextAfter!)}`, 'east')
    ).json<MyNoticePage>();
    expect(p2.items.map((n) => n.title)).toEqual(['全局通知']);
    expect(p2.nextAfter).toBeNull();
    expect((await w.get('/api/notices?after=not-a-cursor', 'east')).statusCode).toBe(400);
  });

  it('marks everything read at once', async () => {
    expect((await w.post('/api/notices/read-all', 'west')).json()).toEqual({ count: 0 });
    expect(await w.unread('west')).toBe(0);
  });
});

describe('publishing life cycle', () => {
  it('tells open consoles through a ledger event that names no audience', async () => {
    const seen: LedgerEvent[] = [];
    const stop = w.t.ctx.events.subscribe((e) => seen.push(e));
    const n = await w.draft('sys', '事件通知', 'all');
    await w.publish(n.id);
    await w.t.ctx.events.drain();
    await expect.poll(() => seen.find((e) => e.kind === 'notice.published')).toBeTruthy();
    stop();
    const event = seen.find((e) => e.kind === 'notice.published')!;
    expect(event).toMatchObject({ subjectType: 'notice', subjectId: String(n.id), departmentId: null });
    expect(event.payload).toEqual({ noticeId: n.id });
  });

  it('hides a withdrawn notice from readers and its count, and shows it again when republished', async () => {
    const n = await w.draft('sys', '将被撤回的通知', 'all');
    await w.publish(n.id);
    const before = await w.unread('hq');
    expect(await w.titles('hq')).toContain('将被撤回的通知');
    const withdrawn = await w.post(`/api/system/notices/${n.id}/withdraw`, 'sys');
    expect(withdrawn.json<NoticeAdmin>().status).toBe('withdrawn');
    expect(await w.titles('hq')).not.toContain('将被撤回的通知');
    expect(await w.unread('hq')).toBe(before - 1);
    expect((await w.post(`/api/notices/${n.id}/read`, 'hq')).statusCode).toBe(404);
    expect((await w.post(`/api/system/notices/${n.id}/withdraw`, 'sys')).statusCode).toBe(409);
    await w.publish(n.id);
    expect(await w.titles('hq')).toContain('将被撤回的通知');
  });

  it('refuses to edit or delete a published notice until it is withdrawn', async () => {
    const n = await w.draft('sys', '已发布不可改', 'all');
    await w.publish(n.id);
    const payload = { title: '改了', body: '', kind: 'notice', targetAll: true, targetDepartmentIds: [] };
    const put = () => w.send('PUT', `/api/system/notices/${n.id}`, 'sys', payload);
    expect((await put()).statusCode).toBe(409);
    const del = () => w.send('DELETE', `/api/system/notices/${n.id}`, 'sys');
    expect((await del()).statusCode).toBe(409);
    await w.post(`/api/system/notices/${n.id}/withdraw`, 'sys');
    expect((await put()).json<NoticeAdmin>().title).toBe('改了');
    expect((await del()).statusCode).toBe(200);
    expect((await w.get(`/api/system/notices/${n.id}`, 'sys')).statusCode).toBe(404);
  });

  it('validates the audience and the text in Chinese', async () => {
    const none = await w.post('/api/system/notices', 'sys', {
      title: '无对象',
      kind: 'notice',
      targetAll: false,
    });
    expect(none.statusCode).toBe(400);
    expect(none.json().message).toContain('接收部门');
    const ghost = await w.post('/api/system/notices', 'sys', {
      title: '不存在的部门',
      kind: 'notice',
      targetAll: false,
      targetDepartmentIds: [999_999],
    });
    expect(ghost.statusCode).toBe(400);
    expect((await w.post('/api/system/notices', 'sys', { title: '', kind: 'notice' })).statusCode).toBe(400);
    expect(
      (await w.post('/api/system/notices', 'sys', { title: 'x'.repeat(101), kind: 'notice' })).statusCode,
    ).toBe(400);
  });
});
