import type { DeadlineBoardPage, DeadlineDetail } from '@rongjian/shared/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrg, login } from '../../../test/fixtures.ts';
import { createTestApp, type TestContext } from '../../../test/support.ts';
import { formatDay, parseDay, todayInChina } from '../calendar/calendar.rules.ts';
import type { App } from '../http/app.ts';
import { createDeadlineService } from './deadlines.service.ts';

let t: TestContext & { app: App };
const h: Record<string, Record<string, string>> = {};
const ids: Record<string, number> = {};
const today = todayInChina();
const daysAgo = (n: number) => formatDay((parseDay(today) as number) - n);

beforeAll(async () => {
  t = await createTestApp();
  const org = await createOrg(t.ctx.db);
  const [east, west] = org.stations as [number, number];
  const eastUser = await org.user('east', 'officer', east);
  await org.user('west', 'officer', west);
  await org.user('head', 'station_head', east);
  await org.user('sys', 'sysadmin');
  for (const u of ['east', 'west', 'head', 'sys']) h[u] = (await login(t.app, u)).headers;
  const svc = createDeadlineService(t.ctx);
  await t.ctx.db.transaction().execute(async (tx) => {
    const verify = svc.complaintRule('report.verify', today);
    const accept = svc.complaintRule('complaint.accept', today);
    const base = { subjectType: 'clue', startOn: today };
    ids.east = (
      await svc.start(tx, {
        ...base,
        ...verify,
        subjectId: 1,
        clueId: 1,
        subjectLabel: 'XS-1',
        departmentId: east,
        assigneeId: eastUser,
      })
    ).id;
    ids.west = (await svc.start(tx, { ...base, ...verify, subjectId: 2, clueId: 2, departmentId: west })).id;
    ids.late = (
      await svc.start(tx, {
        ...base,
        ...accept,
        subjectId: 3,
        clueId: 3,
        departmentId: east,
        startOn: daysAgo(30),
      })
    ).id;
  });
});
afterAll(async () => t?.close());

const get = (url: string, who: string) => t.app.inject({ url, headers: h[who] });
const post = (url: string, who: string, payload?: object) =>
  t.app.inject({ method: 'POST', url, headers: h[who], ...(payload ? { payload } : {}) });

describe('GET /api/deadlines', () => {
  it('lists the open deadlines within the caller’s data scope, earliest due first', async () => {
    const res = await get('/api/deadlines', 'east');
    expect(res.statusCode).toBe(200);
    const page = res.json() as DeadlineBoardPage;
    expect(page.today).toBe(today);
    expect(page.items.map((d) => d.id)).toEqual([ids.late, ids.east]);
    expect(page.items[1]).toMatchObject({
      label: '举报核查',
      subjectLabel: 'XS-1',
      assigneeName: 'east',
      state: 'normal',
    });
    const west = (await get('/api/deadlines', 'west')).json() as DeadlineBoardPage;
    expect(west.items.map((d) => d.id)).toEqual([ids.west]);
  });

  it('filters 逾期 and 预警 and pages by due day', async () => {
    const overdue = (await get('/api/deadlines?state=overdue', 'head')).json() as DeadlineBoardPage;
    expect(overdue.items.map((d) => d.id)).toEqual([ids.late]);
    expect(overdue.items[0]?.state).toBe('overdue');
    expect(overdue.items[0]?.remainingDays).toBeLessThan(0);
    const warning = (await get('/api/deadlines?state=warning', 'head')).json() as DeadlineBoardPage;
    expect(warning.items).toEqual([]);
    const first = (await get('/api/deadlines?limit=1', 'head')).json() as DeadlineBoardPage;
    expect(first.items).toHaveLength(1);
    expect(first.nextAfter).toMatch(/^\d{4}-\d{2}-\d{2}\|\d+$/);
    const second = (
      await get(`/api/deadlines?limit=1&after=${encodeURIComponent(first.nextAfter ?? '')}`, 'head')
    ).json() as DeadlineBoardPage;
    expect(second.items.map((d) => d.id)).toEqual([ids.east]);
    const byRule = (await get('/api/deadlines?ruleKey=report.verify', 'head')).json() as DeadlineBoardPage;
    expect(byRule.items.map((d) => d.id)).toEqual([ids.east]);
  });

  it('answers bad input with 400 and no permission with 403', async () => {
    for (const url of [
      '/api/deadlines?state=bogus',
      '/api/deadlines?limit=0',
      '/api/deadlines?after=xyz',
      '/api/deadlines?departmentId=-1',
      '/api/deadlines?ruleKey=DROP%20TABLE',
      '/api/deadlines/abc',
    ]) {
      const res = await get(url, 'east');
      expect(res.statusCode, url).toBe(400);
      expect(res.json(), url).toMatchObject({ code: 'VALIDATION_FAILED' });
    }
    expect((await get('/api/deadlines', 'sys')).statusCode).toBe(403);
  });
});

describe('GET /api/deadlines/:id and actions', () => {
  it('hides another department’s deadline (404) for reads and actions alike', async () => {
    expect((await get(`/api/deadlines/${ids.west}`, 'east')).statusCode).toBe(404);
    expect((await post(`/api/deadlines/${ids.west}/pause`, 'east', { reason: '等待鉴定' })).statusCode).toBe(
      404,
    );
    expect(
      (await post(`/api/deadlines/${ids.west}/extensions`, 'east', { days: 3, reason: '补充调查' }))
        .statusCode,
    ).toBe(404);
    expect((await get('/api/deadlines/999999', 'east')).statusCode).toBe(404);
  });

  it('pauses and resumes, refusing unknown fields and empty reasons', async () => {
    const bad = await post(`/api/deadlines/${ids.east}/pause`, 'east', { reason: '等待鉴定', extra: 1 });
    expect(bad.statusCode).toBe(400);
    expect((await post(`/api/deadlines/${ids.east}/pause`, 'east', { reason: '' })).statusCode).toBe(400);
    expect((await post(`/api/deadlines/${ids.east}/pause`, 'east')).statusCode).toBe(400);
    const paused = await post(`/api/deadlines/${ids.east}/pause`, 'east', { reason: '等待检验结果' });
    expect(paused.statusCode).toBe(200);
    expect(paused.json()).toMatchObject({ status: 'paused', pauses: [{ fromOn: today, toOn: null }] });
    expect(
      (await post(`/api/deadlines/${ids.east}/pause`, 'east', { reason: '再次中止' })).json(),
    ).toMatchObject({
      code: 'DEADLINE_CONFLICT',
    });
    const resumed = await post(`/api/deadlines/${ids.east}/resume`, 'east');
    expect(resumed.statusCode).toBe(200);
    expect(resumed.json()).toMatchObject({ status: 'running', pauses: [{ fromOn: today, toOn: today }] });
  });

  it('takes an extension request and lets only another person decide it', async () => {
    const before = (await get(`/api/deadlines/${ids.east}`, 'east')).json() as DeadlineDetail;
    expect(
      (await post(`/api/deadlines/${ids.east}/extensions`, 'east', { days: 0, reason: '补充调查' }))
        .statusCode,
    ).toBe(400);
    const asked = await post(`/api/deadlines/${ids.east}/extensions`, 'east', {
      days: 5,
      reason: '需要补充调查',
    });
    expect(asked.statusCode).toBe(200);
    const ext = (asked.json() as DeadlineDetail).pendingExtension;
    expect(ext).toMatchObject({ days: 5, requestedBy: 'east', status: 'pending' });
    const own = await post(`/api/deadlines/extensions/${ext?.id}/decision`, 'east', { approve: true });
    expect(own.statusCode).toBe(403);
    expect(own.json()).toMatchObject({ code: 'SELF_APPROVAL' });
    expect(
      (await post(`/api/deadlines/extensions/${ext?.id}/decision`, 'west', { approve: true })).statusCode,
    ).toBe(404);
    const ok = await post(`/api/deadlines/extensions/${ext?.id}/decision`, 'head', {
      approve: true,
      note: '同意',
    });
    expect(ok.statusCode).toBe(200);
    const after = ok.json() as DeadlineDetail;
    expect(after.extendedDays).toBe(5);
    expect(after.dueOn > before.dueOn).toBe(true);
    expect(after.extensions).toEqual([expect.objectContaining({ status: 'approved', decidedBy: 'head' })]);
    // The 受理 limit allows no extension.
    const none = await post(`/api/deadlines/${ids.late}/extensions`, 'east', { days: 2, reason: '材料不全' });
    expect(none.statusCode).toBe(409);
    expect(none.json()).toMatchObject({ code: 'EXTENSION_NOT_ALLOWED' });
  });
});
