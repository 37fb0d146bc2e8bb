import type { AddressInfo } from 'node:net';
import type { InboxCounts, InboxItem, InboxPage } from '@rongjian/shared/api';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createOrg, login } from '../../../test/fixtures.ts';
import { caller } from '../../../test/roles-support.ts';
import { createTestApp, type TestContext } from '../../../test/support.ts';
import type { App } from '../http/app.ts';
import { completeInboxItem, type InboxItemInput, putInboxItem, setInboxPriority } from './inbox.service.ts';

let t: TestContext & { app: App };
let org: Awaited<ReturnType<typeof createOrg>>;
let stationA: number;
let stationB: number;
const ids: Record<string, number> = {};
type Call = ReturnType<typeof caller>;
const as: Record<string, Call> = {};

beforeAll(async () => {
  t = await createTestApp();
  org = await createOrg(t.ctx.db);
  [stationA, stationB] = org.stations as [number, number];
  ids.officerA = await org.user('officerA', 'officer', stationA);
  ids.officerA2 = await org.user('officerA2', 'officer', stationA);
  ids.officerB = await org.user('officerB', 'officer', stationB);
  ids.headA = await org.user('headA', 'station_head', stationA);
  ids.analyst = await org.user('analyst', 'analyst');
  ids.dispatcher = await org.user('dispatcher', 'dispatcher');
  ids.sysadmin = await org.user('sysadmin', 'sysadmin');
  for (const name of Object.keys(ids)) as[name] = caller(t.app, await login(t.app, name));
});
afterAll(() => t.close());
beforeEach(async () => {
  await t.ctx.db.deleteFrom('inbox_item').execute();
});

const put = (item: Partial<InboxItemInput> & { sourceId: string | number }) =>
  t.ctx.db.transaction().execute((tx) =>
    putInboxItem(tx, {
      source: 'dispatch.order',
      title: `调度单 ${item.sourceId}`,
      href: `/dispatch/orders/${item.sourceId}`,
      departmentId: stationA,
      permission: 'dispatch:order:sign',
      ...item,
    }),
  );

async function todo(who: string, query = ''): Promise<InboxItem[]> {
  const res = await as[who]!('GET', `/api/inbox?box=todo${query}`);
  expect(res.statusCode, res.body).toBe(200);
  return (res.json() as InboxPage).items;
}
const titles = async (who: string, query = '') => (await todo(who, query)).map((i) => i.title);

describe('who sees an item in 待办', () => {
  it('named users only; otherwise the department holding the permission; null department = any department', async () => {
    await put({ sourceId: 1, title: '点名给 officerA', userIds: [ids.officerA!] });
    await put({ sourceId: 2, title: '城东所的单子' });
    await put({
      source: 'clue.analysis',
      sourceId: 3,
      title: '待研判',
      departmentId: null,
      permission: 'analysis:judgment:create',
    });
    await put({ sourceId: 4, title: '城西所的单子', departmentId: stationB });

    expect(await titles('officerA')).toEqual(expect.arrayContaining(['点名给 officerA', '城东所的单子']));
    expect(await titles('officerA')).toHaveLength(2);
    // A colleague of the same station sees the station's item, not the one named for officerA.
    expect(await titles('officerA2')).toEqual(['城东所的单子']);
    expect(await titles('headA')).toEqual(['城东所的单子']);
    expect(await titles('officerB')).toEqual(['城西所的单子']);
    // Analysts (any department) see the analysis queue; dispatchers lack analysis:judgment:create.
    expect(await titles('analyst')).toEqual(['待研判']);
    expect(await titles('dispatcher')).toEqual([]);
  });

  it('the permission and the data scope apply to named users too', async () => {
    await put({ sourceId: 10, title: '点名给研判员，但要签收权限', userIds: [ids.analyst!] });
    await put({
      sourceId: 11,
      title: '城西的单子点名给城东的人',
      departmentId: stationB,
      userIds: [ids.officerA!],
    });
    expect(await titles('analyst')).toEqual([]);
    expect(await titles('officerA')).toEqual([]);
  });

  it('needs inbox:item:read and a session', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/api/inbox' })).statusCode).toBe(401);
    expect((await as.sysadmin!('GET', '/api/inbox')).statusCode).toBe(403);
    expect((await as.sysadmin!('GET', '/api/inbox/counts')).statusCode).toBe(403);
  });

  it('refuses bad parameters with 400, never 500', async () => {
    for (const q of ['box=later', 'sort=name', 'limit=0', 'limit=101', 'after=abc', 'after=W10', 'x=1']) {
      const res = await as.officerA!('GET', `/api/inbox?${q}`);
      expect(res.statusCode, q).toBe(400);
      expect(res.json()).toMatchObject({ code: 'VALIDATION_FAILED' });
    }
  });
});

describe('done and reopened', () => {
  it('completing moves the item to the completer’s 已办; putting it again reopens it', async () => {
    await put({ sourceId: 20, title: '签收调度单 20' });
    await t.ctx.db.transaction().execute((tx) => completeInboxItem(tx, 'dispatch.order', 20, ids.officerA2!));
    expect(await titles('officerA')).toEqual([]);
    const done2 = (await as.officerA2!('GET', '/api/inbox?box=done')).json() as InboxPage;
    expect(done2.items.map((i) => [i.title, i.state])).toEqual([['签收调度单 20', 'done']]);
    expect(done2.items[0]!.doneAt).not.toBeNull();
    expect(((await as.officerA!('GET', '/api/inbox?box=done')).json() as InboxPage).items).toEqual([]);

    // Completing again or completing something absent is a no-op.
    await completeInboxItem(t.ctx.db, 'dispatch.order', 20, ids.officerA!);
    await completeInboxItem(t.ctx.db, 'dispatch.order', 999, ids.officerA!);
    expect(((await as.officerA!('GET', '/api/inbox?box=done')).json() as InboxPage).items).toEqual([]);

    await put({ sourceId: 20, title: '调度单 20 被退回，请重新签收' });
    expect(await titles('officerA')).toEqual(['调度单 20 被退回，请重新签收']);
    expect(((await as.officerA2!('GET', '/api/inbox?box=done')).json() as InboxPage).items).toEqual([]);
    const rows = await t.ctx.db.selectFrom('inbox_item').selectAll().execute();
    expect(rows).toHaveLength(1);
  });

  it('a write rolled back leaves no item', async () => {
    await expect(
      t.ctx.db.transaction().execute(async (tx) => {
        await putInboxItem(tx, {
          source: 'dispatch.order',
          sourceId: 30,
          title: '不会出现',
          href: '/dispatch/orders/30',
          departmentId: stationA,
          permission: 'dispatch:order:sign',
        });
        throw new Error('rollback');
      }),
    ).rejects.toThrow('rollback');
    expect(await titles('officerA')).toEqual([]);
  });

  it('refuses a permission that is not in the catalogue (a programming error)', async () => {
    await expect(put({ sourceId: 31, permission: 'dispatch:order:fly' })).rejects.toThrow(/catalogue/);
  });
});

describe('order, keyset and counts', () => {
  const hour = 3_600_000;
  beforeEach(async () => {
    const now = Date.now();
    await put({ sourceId: 'a', title: '逾期', dueAt: new Date(now - 2 * hour) });
    await put({ sourceId: 'b', title: '临近', dueAt: new Date(now + 3 * hour) });
    await put({ sourceId: 'c', title: '从容', dueAt: new Date(now + 72 * hour) });
    await put({ sourceId: 'd', title: '无期限1' });
    await put({ sourceId: 'e', title: '无期限2' });
    await put({ sourceId: 'f', title: '督办', dueAt: new Date(now + 100 * hour), priority: 'urged' });
    await put({
      source: 'deadline.extension',
      sourceId: 'g',
      title: '延期审批',
      dueAt: new Date(now + 5 * hour),
    });
  });

  it('urged first, then by due time (none last); due states for the colours', async () => {
    const items = await todo('officerA');
    expect(items.map((i) => i.title)).toEqual([
      '督办',
      '逾期',
      '临近',
      '延期审批',
      '从容',
      '无期限1',
      '无期限2',
    ]);
    expect(items.map((i) => i.dueState)).toEqual([
      'normal',
      'overdue',
      'warning',
      'warning',
      'normal',
      'none',
      'none',
    ]);
    expect(items[0]).toMatchObject({ priority: 'urged', sourceLabel: '调度单' });
  });

  it('pages by keyset without gaps or repeats, for both sorts and a source filter', async () => {
    for (const sort of ['due', 'created']) {
      const all = (await todo('officerA', `&sort=${sort}`)).map((i) => i.id);
      const seen: number[] = [];
      let after: string | null = null;
      do {
        const q: string = `/api/inbox?sort=${sort}&limit=2${after ? `&after=${after}` : ''}`;
        const page = (await as.officerA!('GET', q)).json() as InboxPage;
        seen.push(...page.items.map((i) => i.id));
        after = page.nextAfter;
      } while (after);
      expect(seen, sort).toEqual(all);
      expect(new Set(seen).size).toBe(7);
    }
    expect(await titles('officerA', '&source=deadline.extension')).toEqual(['延期审批']);
    expect(await titles('officerA', '&source=')).toHaveLength(7);
  });

  it('counts what the badge shows and changes with 督办', async () => {
    const counts = (await as.officerA!('GET', '/api/inbox/counts')).json() as InboxCounts;
    expect(counts).toEqual({
      todo: 7,
      urged: 1,
      overdue: 1,
      bySource: { 'dispatch.order': 6, 'deadline.extension': 1 },
    });
    await setInboxPriority(t.ctx.db, 'dispatch.order', 'c', 'urged');
    const after = (await as.officerA!('GET', '/api/inbox/counts')).json() as InboxCounts;
    expect(after.urged).toBe(2);
    expect(((await as.officerB!('GET', '/api/inbox/counts')).json() as InboxCounts).todo).toBe(0);
  });

  it('a re-put without priority or due keeps them', async () => {
    await put({ sourceId: 'f', title: '督办（标题更新）' });
    const first = (await todo('officerA'))[0]!;
    expect(first).toMatchObject({ title: '督办（标题更新）', priority: 'urged' });
    expect(first.dueAt).not.toBeNull();
  });
});

/** Read SSE `counts` events until `until` holds (or 10 s pass). */
async function readCounts(res: Response, until: (events: InboxCounts[]) => boolean): Promise<InboxCounts[]> {
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  const events: InboxCounts[] = [];
  let buffer = '';
  const deadline = Date.now() + 10_000;
  while (!until(events) && Date.now() < deadline) {
    const chunk = await Promise.race([
      reader.read(),
      new Promise<{ done: true; value: undefined }>((r) =>
        setTimeout(() => r({ done: true, value: undefined }), Math.max(1, deadline - Date.now())),
      ),
    ]);
    if (chunk.done) break;
    buffer += decoder.decode(chunk.value, { stream: true });
    let idx = buffer.indexOf('\n\n');
    while (idx >= 0) {
      const block = buffer.slice(0, idx);
      buffer = buffer.slice(idx + 2);
      const data = block.split('\n').find((l) => l.startsWith('data: '));
      if (data && block.includes('event: counts')) events.push(JSON.parse(data.slice(6)));
      idx = buffer.indexOf('\n\n');
    }
  }
  await reader.cancel();
  return events;
}

describe('GET /api/inbox/stream', () => {
  it('sends the counts at once, then again after a committed put that concerns the user', async () => {
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
    const s = await login(t.app, 'officerA');
    const res = await fetch(`${base}/api/inbox/stream`, { headers: { cookie: s.cookie } });
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const reading = readCounts(res, (ev) => ev.some((c) => c.todo === 1 && c.urged === 1));
    await new Promise((r) => setTimeout(r, 300));
    // Another station's item does not concern officerA; the next one does.
    await put({ sourceId: 'west', departmentId: stationB });
    await put({ sourceId: 'east', priority: 'urged' });
    const events = await reading;
    expect(events[0]).toEqual({ todo: 0, urged: 0, overdue: 0, bySource: {} });
    expect(events.at(-1)).toEqual({ todo: 1, urged: 1, overdue: 0, bySource: { 'dispatch.order': 1 } });

    const anonymous = await fetch(`${base}/api/inbox/stream`);
    expect(anonymous.status).toBe(401);
  });
});
