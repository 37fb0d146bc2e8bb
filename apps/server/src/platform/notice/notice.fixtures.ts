import type { MyNoticePage, NoticeAdmin } from '@rongjian/shared/api';
import { expect } from 'vitest';
import { createOrg, login } from '../../../test/fixtures.ts';
import { createTestApp, type TestContext } from '../../../test/support.ts';
import { json } from '../db/json.ts';
import type { App } from '../http/app.ts';

/**
 * Test world for notices: a bureau with two stations; `sys` (系统管理员) and `hq` at the bureau, `east` and `west`
 * officers in the stations, and `editor` in the east station holding notice permissions with a 本部门 scope.
 */
export async function noticeWorld() {
  const t: TestContext & { app: App } = await createTestApp();
  const org = await createOrg(t.ctx.db);
  const [east, west] = org.stations as [number, number];
  await org.user('sys', 'sysadmin');
  await org.user('hq', 'officer');
  await org.user('east', 'officer', east);
  await org.user('west', 'officer', west);
  const role = await t.ctx.db
    .insertInto('role')
    .values({
      code: 'station_notice',
      name: '所通知管理',
      data_scope: 'department',
      scope_department_ids: json([]),
      permissions: json(['system:notice:*']),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const editor = await org.user('editor', 'officer', east);
  await t.ctx.db.insertInto('user_role').values({ user_id: editor, role_id: role.id }).execute();
  const h: Record<string, Record<string, string>> = {};
  for (const u of ['sys', 'hq', 'east', 'west', 'editor']) h[u] = (await login(t.app, u)).headers;

  const get = (url: string, who: string) => t.app.inject({ url, headers: h[who] });
  const send = (method: 'POST' | 'PUT' | 'DELETE', url: string, who: string, payload?: object) =>
    t.app.inject({
      method,
      url,
      headers: h[who],
      ...(payload ? { payload: payload as Record<string, unknown> } : {}),
    });
  const post = (url: string, who: string, payload?: object) => send('POST', url, who, payload);

  /** A draft addressed to everybody or to the given departments. */
  async function draft(who: string, title: string, target: number[] | 'all', extra: object = {}) {
    const res = await post('/api/system/notices', who, {
      title,
      body: `${title}的正文`,
      kind: 'notice',
      targetAll: target === 'all',
      targetDepartmentIds: target === 'all' ? [] : target,
      ...extra,
    });
    expect(res.statusCode).toBe(200);
    return res.json<NoticeAdmin>();
  }

  async function publish(id: number, who = 'sys') {
    const res = await post(`/api/system/notices/${id}/publish`, who);
    expect(res.statusCode).toBe(200);
    return res.json<NoticeAdmin>();
  }

  const titles = async (who: string) =>
    (await get('/api/notices', who)).json<MyNoticePage>().items.map((n) => n.title);
  const unread = async (who: string) =>
    (await get('/api/notices/unread-count', who)).json<{ count: number }>().count;

  return { t, org, east, west, get, send, post, draft, publish, titles, unread };
}

export type NoticeWorld = Awaited<ReturnType<typeof noticeWorld>>;
