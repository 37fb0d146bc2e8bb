import type { SavedView, SavedViewList } from '@rongjian/shared/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrg, login } from '../../../test/fixtures.ts';
import { createTestApp, type TestContext } from '../../../test/support.ts';
import type { App } from '../http/app.ts';

let t: TestContext & { app: App };
const h: Record<string, Record<string, string>> = {};

beforeAll(async () => {
  t = await createTestApp();
  const org = await createOrg(t.ctx.db);
  await org.user('east', 'officer', org.stations[0]);
  await org.user('west', 'officer', org.stations[1]);
  for (const u of ['east', 'west']) h[u] = (await login(t.app, u)).headers;
});
afterAll(() => t.close());

const list = async (who: string, page = 'clues') =>
  (await t.app.inject({ url: `/api/me/saved-views?page=${page}`, headers: h[who] })).json<SavedViewList>()
    .items;
const save = (who: string, payload: Record<string, unknown>) =>
  t.app.inject({ method: 'POST', url: '/api/me/saved-views', headers: h[who], payload });

describe('saved views (保存的筛选)', () => {
  it('saves a named filter for a page and lists it back to its owner only', async () => {
    const res = await save('east', {
      page: 'clues',
      name: '本周待分拣投诉',
      filter: { status: ['sorting'], kind: 'complaint', receivedFrom: '2026-11-23' },
    });
    expect(res.statusCode).toBe(201);
    expect(res.json<SavedView>()).toMatchObject({ page: 'clues', name: '本周待分拣投诉' });
    expect(await list('east')).toEqual([
      expect.objectContaining({
        name: '本周待分拣投诉',
        filter: { status: ['sorting'], kind: 'complaint', receivedFrom: '2026-11-23' },
      }),
    ]);
    expect(await list('west')).toEqual([]);
    expect(await list('east', 'entities')).toEqual([]);
  });

  it('replaces the filter when the same name is saved again', async () => {
    const res = await save('east', { page: 'clues', name: '本周待分拣投诉', filter: { kind: 'report' } });
    expect(res.statusCode).toBe(200);
    const items = await list('east');
    expect(items).toHaveLength(1);
    expect(items[0]?.filter).toEqual({ kind: 'report' });
  });

  it('refuses bad input with field messages and never a server error', async () => {
    const cases: Record<string, unknown>[] = [
      { page: 'clues', name: '', filter: {} },
      { page: 'Clues!', name: 'x', filter: {} },
      { page: 'clues', name: 'x', filter: { 'bad key': 1 } },
      { page: 'clues', name: 'x', filter: { q: 'a'.repeat(201) } },
      { page: 'clues', name: 'x', filter: { nested: { a: 1 } } },
      { page: 'clues', name: 'x', filter: {}, extra: true },
      { page: 'clues', name: 'x'.repeat(31), filter: {} },
    ];
    for (const payload of cases) {
      const res = await save('east', payload);
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
      expect(res.json<{ code: string }>().code).toBe('VALIDATION_FAILED');
    }
    expect((await t.app.inject({ url: '/api/me/saved-views', headers: h.east })).statusCode).toBe(400);
  });

  it('keeps at most 20 views per page and user', async () => {
    for (let i = 2; i <= 20; i++) {
      expect(
        (await save('east', { page: 'clues', name: `筛选${i}`, filter: { q: String(i) } })).statusCode,
      ).toBe(201);
    }
    const over = await save('east', { page: 'clues', name: '第二十一个', filter: {} });
    expect(over.statusCode).toBe(409);
    expect(over.json<{ code: string; message: string }>()).toMatchObject({ code: 'SAVED_VIEW_LIMIT' });
    expect(over.json<{ message: string }>().message).toContain('最多保存 20 个');
    // Overwriting an existing name still works at the limit; another page has its own allowance.
    expect((await save('east', { page: 'clues', name: '筛选2', filter: { q: 'x' } })).statusCode).toBe(200);
    expect((await save('east', { page: 'entities', name: '烧烤', filter: { q: '烧烤' } })).statusCode).toBe(
      201,
    );
    expect((await save('west', { page: 'clues', name: '第二十一个', filter: {} })).statusCode).toBe(201);
  });

  it('deletes only the owner’s view; another user gets 404', async () => {
    const mine = (await list('east')).find((v) => v.name === '筛选2')!;
    const del = (who: string, id: number | string) =>
      t.app.inject({ method: 'DELETE', url: `/api/me/saved-views/${id}`, headers: h[who] });
    expect((await del('west', mine.id)).statusCode).toBe(404);
    expect((await del('east', mine.id)).statusCode).toBe(204);
    expect((await del('east', mine.id)).statusCode).toBe(404);
    expect((await del('east', 'abc')).statusCode).toBe(400);
    expect((await list('east')).some((v) => v.name === '筛选2')).toBe(false);
  });

  it('requires a signed-in user', async () => {
    expect((await t.app.inject({ url: '/api/me/saved-views?page=clues' })).statusCode).toBe(401);
  });
});
