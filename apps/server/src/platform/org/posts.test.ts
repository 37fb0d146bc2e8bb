import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrg, login, type Session } from '../../../test/fixtures.ts';
import { createTestApp, type TestContext } from '../../../test/support.ts';
import type { App } from '../http/app.ts';

let t: TestContext & { app: App };
let org: Awaited<ReturnType<typeof createOrg>>;
let admin: Session;

beforeAll(async () => {
  t = await createTestApp();
  org = await createOrg(t.ctx.db);
  await org.user('sysadm', 'sysadmin');
  admin = await login(t.app, 'sysadm');
});
afterAll(() => t.close());

const api = (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: object) =>
  t.app.inject({ method, url, headers: admin.headers, ...(payload ? { payload } : {}) });

describe('posts (岗位)', () => {
  it('creates, lists, renames and deletes a post', async () => {
    const created = await api('POST', '/api/system/posts', { code: 'inspector', name: '检查员' });
    expect(created.statusCode, created.body).toBe(200);
    const id = created.json().id;

    const list = await api('GET', '/api/system/posts?keyword=检查');
    expect(list.json()).toMatchObject({
      total: 1,
      items: [{ id, code: 'inspector', name: '检查员', userCount: 0 }],
    });

    const renamed = await api('PUT', `/api/system/posts/${id}`, { code: 'inspector', name: '现场检查员' });
    expect(renamed.json().name).toBe('现场检查员');

    expect((await api('DELETE', `/api/system/posts/${id}`)).statusCode).toBe(204);
    expect((await api('GET', `/api/system/posts/${id}`)).statusCode).toBe(404);
  });

  it('refuses a duplicate code and deleting a post that users hold', async () => {
    const a = (await api('POST', '/api/system/posts', { code: 'leader', name: '所长' })).json();
    const dup = await api('POST', '/api/system/posts', { code: 'leader', name: '另一个' });
    expect(dup.statusCode).toBe(409);

    const userId = await org.user('post_holder', 'officer', org.stations[0]);
    await t.ctx.db.insertInto('user_post').values({ user_id: userId, post_id: a.id }).execute();
    const refused = await api('DELETE', `/api/system/posts/${a.id}`);
    expect(refused.statusCode).toBe(409);
    expect(refused.json().message).toContain('1 名用户');
    expect((await api('GET', `/api/system/posts/${a.id}`)).json().userCount).toBe(1);
  });

  it('pages by keyset with a total', async () => {
    for (let i = 0; i < 5; i++)
      await api('POST', '/api/system/posts', { code: `pg${i}`, name: `分页岗位${i}` });
    const first = (await api('GET', '/api/system/posts?keyword=分页&limit=2')).json();
    expect(first.total).toBe(5);
    expect(first.items).toHaveLength(2);
    const second = (
      await api('GET', `/api/system/posts?keyword=分页&limit=2&after=${first.nextAfter}`)
    ).json();
    expect(second.items.map((p: { code: string }) => p.code)).toEqual(['pg2', 'pg3']);
  });

  it('needs the post permission', async () => {
    await org.user('plain_officer', 'officer', org.stations[0]);
    const s = await login(t.app, 'plain_officer');
    const res = await t.app.inject({ method: 'GET', url: '/api/system/posts', headers: s.headers });
    expect(res.statusCode).toBe(403);
  });
});
