import type { AnalysisQueuePage, InboxPage, JudgmentResult, Workbench } from '@rongjian/shared/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CluesTestBed, phoneCall, startCluesTestBed } from '../../../test/clues-support.ts';
import { login } from '../../../test/fixtures.ts';
import { caller, insertRole, insertUser } from '../../../test/roles-support.ts';
import { json } from '../../platform/db/json.ts';
import { appendEvent, systemActor } from '../../platform/ledger/ledger.service.ts';

let bed: CluesTestBed;
type Call = ReturnType<typeof caller>;
let officerA: Call;
let analyst: Call;
let dispatcher: Call;
let analystWest: Call;
let entityId: number;

type Detail = {
  id: number;
  number: string;
  status: string;
  kind: string;
  version: number;
  businessLine: string | null;
  category12315: string | null;
  entityId: number | null;
  timeline: { kind: string; payload: Record<string, unknown> }[];
};

beforeAll(async () => {
  bed = await startCluesTestBed();
  const db = bed.t.ctx.db;
  await bed.org.user('dispatcher', 'dispatcher');
  const role = await insertRole(
    db,
    'analyst_west',
    ['analysis:*:*', 'clue:*:read', 'inbox:item:read'],
    'department',
  );
  await insertUser(db, 'analystWest', bed.stationB, [role]);
  entityId = Number(
    (
      await db
        .insertInto('entity')
        .values({
          uscc: null,
          name: '城东熟食店',
          type: 'individual',
          address: '城东路 8 号',
          region_code: '320500',
          grid_id: bed.gridA,
          station_id: bed.stationA,
          lon: 120.605,
          lat: 31.305,
          business_lines: json(['食品']),
          risk_class: 'C',
          established_on: '2020-05-01',
        })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id,
  );
  officerA = await bed.as('officerA');
  analyst = await bed.as('analyst');
  dispatcher = caller(bed.t.app, await login(bed.t.app, 'dispatcher'));
  analystWest = caller(bed.t.app, await login(bed.t.app, 'analystWest'));
});
afterAll(async () => {
  await bed?.close();
});

const FOOD = '城东熟食店卖的熟食已经过期变质，吃了以后拉肚子，商家拒绝退款。';

/** Register a clue at station A (officerA) and send it to 待研判. */
async function analysing(over: Record<string, unknown> = {}): Promise<Detail> {
  const created = await officerA('POST', '/api/clues', phoneCall({ content: FOOD, ...over }));
  expect(created.statusCode, created.body).toBe(201);
  const { id } = created.json() as { id: number };
  const d = (await officerA('GET', `/api/clues/${id}`)).json() as Detail;
  const moved = await officerA('POST', `/api/clues/${id}/transitions`, {
    action: 'toAnalysis',
    version: d.version,
  });
  expect(moved.statusCode, moved.body).toBe(200);
  return moved.json() as Detail;
}

const detail = async (id: number) => (await officerA('GET', `/api/clues/${id}`)).json() as Detail;
const judgmentRows = (clueIds: number[]) =>
  bed.t.ctx.db.selectFrom('analysis_judgment').selectAll().where('clue_id', 'in', clueIds).execute();

const base = {
  conclusion: '经研判，被投诉主体涉嫌销售过期食品',
  basis: '投诉内容具体，同一主体近期有类似投诉',
};

describe('待研判 queue', () => {
  it('lists clues in 待研判 within scope, oldest first, with filters; analysts get an inbox item', async () => {
    const a = await analysing();
    const b = await analysing({ kind: 'report', content: '举报城东熟食店使用过期原料加工熟食。' });
    const page = (await analyst('GET', '/api/analysis/queue?limit=100')).json() as AnalysisQueuePage;
    const ids = page.items.map((i) => i.id);
    expect(ids.indexOf(a.id)).toBeGreaterThanOrEqual(0);
    expect(ids.indexOf(a.id)).toBeLessThan(ids.indexOf(b.id));
    const item = page.items.find((i) => i.id === a.id)!;
    expect(item).toMatchObject({ number: a.number, version: a.version, kind: 'complaint' });
    // The shipped triage model suggests every field with a confidence; the overall one is the lowest.
    expect(item.suggestion).not.toBeNull();
    const s = item.suggestion!;
    expect(s.line.label).toBe('食品');
    expect(s.confidence).toBe(
      Math.min(s.kind.confidence, s.line.confidence, s.category.confidence, s.disposal.confidence),
    );

    const reports = (await analyst('GET', '/api/analysis/queue?kind=report')).json() as AnalysisQueuePage;
    expect(reports.items.map((i) => i.id)).toContain(b.id);
    expect(reports.items.map((i) => i.id)).not.toContain(a.id);

    // Keyset: page by one, no repeats.
    const seen: number[] = [];
    let after: string | null = null;
    do {
      const url: string = `/api/analysis/queue?limit=1${after ? `&after=${after}` : ''}`;
      const p = (await analyst('GET', url)).json() as AnalysisQueuePage;
      seen.push(...p.items.map((i) => i.id));
      after = p.nextAfter;
    } while (after);
    expect(seen).toEqual(ids);

    const inbox = (await analyst('GET', '/api/inbox?source=clue.analysis&limit=100')).json() as InboxPage;
    const entry = inbox.items.find((i) => i.clueId === a.id);
    expect(entry).toMatchObject({ href: `/analysis?clue=${a.id}`, sourceLabel: '待研判线索' });
    expect(entry!.title).toContain(a.number);
    expect(entry!.title).not.toContain('张三');
    // The due time is the clue's running legal limit: a 举报's 核查 limit runs in 待研判; a complaint's 受理决定 was
    // met when it was accepted into 待研判, so its item has none.
    expect(entry!.dueAt).toBeNull();
    const reportEntry = inbox.items.find((i) => i.clueId === b.id);
    expect(reportEntry!.dueAt).not.toBeNull();

    // Another department's analyst does not see station A's clues; bad filters are 400.
    const west = (await analystWest('GET', '/api/analysis/queue')).json() as AnalysisQueuePage;
    expect(west.items.map((i) => i.id)).not.toContain(a.id);
    expect((await analyst('GET', '/api/analysis/queue?kind=nope')).statusCode).toBe(400);
    expect((await analyst('GET', '/api/analysis/queue?after=zzz')).statusCode).toBe(400);
    expect((await officerA('GET', '/api/analysis/queue')).statusCode).toBe(403);
  });
});

describe('workbench', () => {
  it('shows the clue, suggestions, the linked entity, similar past clues with their outcome, and judgments', async () => {
    const earlier = await analysing({ content: '城东熟食店的熟食过期变质，吃了拉肚子，要求退款。' });
    await analyst('POST', '/api/analysis/judgments', {
      ...base,
      clues: [{ id: earlier.id, version: earlier.version }],
      disposal: 'direct',
      answer: '已告知投诉人可申请调解。',
    });
    // How it ended on the ground: the dispatch order's completion (contract event of 指挥调度).
    await appendEvent(bed.t.ctx.db, {
      actor: systemActor,
      subjectType: 'dispatch_order',
      subjectId: 1,
      clueId: earlier.id,
      kind: 'dispatch.order.completed',
      payload: {
        orderId: 1,
        number: 'DD202611290001',
        module: 'inspection',
        outcome: 'violation',
        summary: '现场发现过期熟食 3 批次',
      },
    });
    const clue = await analysing();
    expect(clue.entityId).toBe(entityId);
    const res = await analyst('GET', `/api/analysis/clues/${clue.id}/workbench`);
    expect(res.statusCode, res.body).toBe(200);
    const wb = res.json() as Workbench;
    expect(wb.clue).toMatchObject({ id: clue.id, number: clue.number, status: 'analysing' });
    // Personal data masked as on the clue page.
    expect(JSON.stringify(wb.clue)).not.toContain('13912345678');
    expect(wb.rules).toMatchObject({ businessLine: '食品' });
    expect(wb.entity).toMatchObject({ id: entityId, name: '城东熟食店', riskClass: 'C' });
    expect(wb.entity!.recentClues).toBeGreaterThanOrEqual(2);
    expect(wb.candidates).toEqual([]);
    const similar = wb.similar.find((s) => s.id === earlier.id);
    expect(similar).toBeDefined();
    expect(similar!.reasons).toContain('同一经营主体');
    expect(similar).toMatchObject({
      status: 'direct',
      disposal: 'direct',
      result: '已告知投诉人可申请调解。',
      outcome: { outcome: 'violation', summary: '现场发现过期熟食 3 批次', orderNumber: 'DD202611290001' },
    });
    expect(wb.entityHistory.length).toBeLessThanOrEqual(20);
    expect(wb.judgments).toEqual([]);

    // Another department's analyst: 404, as if it did not exist.
    expect((await analystWest('GET', `/api/analysis/clues/${clue.id}/workbench`)).statusCode).toBe(404);
    expect((await analyst('GET', '/api/analysis/clues/99999999/workbench')).statusCode).toBe(404);
    expect((await analyst('GET', '/api/analysis/clues/abc/workbench')).statusCode).toBe(400);
  });

  it('offers entity candidates when the clue has no linked entity', async () => {
    const clue = await analysing({
      respondent: undefined,
      content: '在城东路 8 号城东熟食店买的卤菜过期了，要求退款。',
    });
    expect(clue.entityId).toBeNull();
    const wb = (await analyst('GET', `/api/analysis/clues/${clue.id}/workbench`)).json() as Workbench;
    expect(wb.entity).toBeNull();
    expect(wb.candidates.map((c) => c.entityId)).toContain(entityId);
  });
});

describe('judging', () => {
  it('inspection: stores the judgment, corrects the clue, moves it to 待调度 and hands it to the dispatchers', async () => {
    const clue = await analysing({ kind: 'report', content: '举报城东熟食店无证经营。' });
    const res = await analyst('POST', '/api/analysis/judgments', {
      ...base,
      clues: [{ id: clue.id, version: clue.version }],
      disposal: 'inspection',
      businessLine: '食品',
      category12315: 'goods.food',
    });
    expect(res.statusCode, res.body).toBe(201);
    const out = res.json() as JudgmentResult;
    expect(out.clues).toEqual([{ id: clue.id, status: 'dispatching', version: expect.any(Number) }]);
    expect(out.judgments[0]).toMatchObject({
      clueId: clue.id,
      clueNumber: clue.number,
      groupId: null,
      disposal: 'inspection',
      kind: 'report',
      businessLine: '食品',
      category12315: 'goods.food',
      judgedByName: 'analyst',
    });
    const after = await detail(clue.id);
    expect(after).toMatchObject({ status: 'dispatching', businessLine: '食品', category12315: 'goods.food' });
    // The model's suggestion at judgment time is kept with the decision (codes, for the review).
    const snapshot = out.judgments[0]!.suggestion;
    expect(snapshot).toMatchObject({ modelVersion: expect.any(String), line: '食品' });
    expect(['direct', 'inspection', 'enforcement', 'transfer', 'reject']).toContain(snapshot!.disposal);
    const judged = after.timeline.find((e) => e.kind === 'analysis.judged');
    expect(judged?.payload.followed).toMatchObject({ line: true, kind: snapshot!.kind === 'report' });
    expect(judged?.payload).toMatchObject({
      disposal: 'inspection',
      disposalLabel: '监管检查',
      conclusion: base.conclusion,
    });
    expect(after.timeline.map((e) => e.kind)).toContain('clue.toDispatch');

    const list = (await analyst('GET', `/api/analysis/clues/${clue.id}/judgments`)).json() as {
      items: unknown[];
    };
    expect(list.items).toHaveLength(1);

    // The analysis item is done (in the analyst's 已办); dispatchers now have the clue.
    const done = (await analyst('GET', '/api/inbox?box=done&limit=100')).json() as InboxPage;
    expect(done.items.some((i) => i.source === 'clue.analysis' && i.clueId === clue.id)).toBe(true);
    const todo = (await analyst('GET', '/api/inbox?limit=100')).json() as InboxPage;
    expect(todo.items.some((i) => i.clueId === clue.id)).toBe(false);
    const dispatch = (
      await dispatcher('GET', '/api/inbox?source=clue.dispatch&limit=100')
    ).json() as InboxPage;
    expect(dispatch.items.find((i) => i.clueId === clue.id)).toMatchObject({ sourceLabel: '待调度线索' });
  });

  it('each disposal moves the clue its own way', async () => {
    const cases: [Record<string, unknown>, string, Record<string, unknown>][] = [
      [{ disposal: 'enforcement' }, 'dispatching', {}],
      [{ disposal: 'direct', answer: '已电话答复，告知维权途径。' }, 'direct', {}],
      [{ disposal: 'reject', groundCode: 'o121.out_of_duty' }, 'rejected', {}],
      [{ disposal: 'transfer', agency: '县卫生健康委员会' }, 'transferred', {}],
    ];
    for (const [body, status] of cases) {
      const clue = await analysing();
      const res = await analyst('POST', '/api/analysis/judgments', {
        ...base,
        clues: [{ id: clue.id, version: clue.version }],
        ...body,
      });
      expect(res.statusCode, `${String(body.disposal)} ${res.body}`).toBe(201);
      expect((await detail(clue.id)).status).toBe(status);
    }
  });

  it('refuses missing disposal fields, empty or 100,000-character texts, and writes nothing', async () => {
    const clue = await analysing();
    const bad: Record<string, unknown>[] = [
      { disposal: 'direct' },
      { disposal: 'reject' },
      { disposal: 'transfer' },
      { disposal: 'inspection', conclusion: '' },
      { disposal: 'inspection', conclusion: '查'.repeat(100_000) },
      { disposal: 'inspection', basis: '   ' },
      { disposal: 'destroy' },
      { disposal: 'inspection', businessLine: '火星' },
      { disposal: 'inspection', clues: [] },
      { disposal: 'inspection', extra: 1 },
    ];
    for (const b of bad) {
      const res = await analyst('POST', '/api/analysis/judgments', {
        ...base,
        clues: [{ id: clue.id, version: clue.version }],
        ...b,
      });
      expect(res.statusCode, JSON.stringify(b).slice(0, 80)).toBe(400);
      expect(res.json()).toMatchObject({ code: 'VALIDATION_FAILED' });
    }
    expect(await judgmentRows([clue.id])).toEqual([]);
    expect((await detail(clue.id)).status).toBe('analysing');
  });

  it('a group is judged together or not at all', async () => {
    const a = await analysing();
    const b = await analysing();
    const stale = await analyst('POST', '/api/analysis/judgments', {
      ...base,
      clues: [
        { id: a.id, version: a.version },
        { id: b.id, version: b.version - 1 },
      ],
      disposal: 'inspection',
      kind: 'report',
    });
    expect(stale.statusCode).toBe(409);
    expect(stale.json()).toMatchObject({ code: 'VERSION_CONFLICT' });
    expect(stale.json().message).toContain(b.number);
    expect(stale.json().message).toContain('待研判');
    expect(await judgmentRows([a.id, b.id])).toEqual([]);
    expect(await detail(a.id)).toMatchObject({ status: 'analysing', kind: 'complaint', version: a.version });

    // A refusal the clue service rejects for one of them (a 举报 cannot be 不予受理) also undoes the others.
    const report = await analysing({ kind: 'report', content: '举报城东熟食店卫生条件差。' });
    const refused = await analyst('POST', '/api/analysis/judgments', {
      ...base,
      clues: [
        { id: a.id, version: a.version },
        { id: report.id, version: report.version },
      ],
      disposal: 'reject',
      groundCode: 'o121.out_of_duty',
    });
    expect(refused.statusCode).toBe(400);
    expect(await judgmentRows([a.id, report.id])).toEqual([]);
    expect((await detail(a.id)).status).toBe('analysing');

    const ok = await analyst('POST', '/api/analysis/judgments', {
      ...base,
      clues: [
        { id: a.id, version: a.version },
        { id: b.id, version: b.version },
      ],
      disposal: 'enforcement',
    });
    expect(ok.statusCode, ok.body).toBe(201);
    const rows = await judgmentRows([a.id, b.id]);
    expect(rows).toHaveLength(2);
    expect(rows[0]!.group_id).not.toBeNull();
    expect(rows[0]!.group_id).toBe(rows[1]!.group_id);
    expect((await detail(b.id)).status).toBe('dispatching');
  });

  it('two analysts judging the same clue at once: exactly one wins', async () => {
    const clue = await analysing();
    const other = caller(bed.t.app, await login(bed.t.app, 'director'));
    const body = (disposal: string) => ({
      ...base,
      clues: [{ id: clue.id, version: clue.version }],
      disposal,
    });
    const results = await Promise.all([
      analyst('POST', '/api/analysis/judgments', body('inspection')),
      other('POST', '/api/analysis/judgments', body('enforcement')),
    ]);
    expect(results.map((r) => r.statusCode).sort()).toEqual([201, 409]);
    expect(await judgmentRows([clue.id])).toHaveLength(1);
  });

  it('keeps to data scope: another department’s clue is 404 and nothing is written', async () => {
    const clue = await analysing();
    const res = await analystWest('POST', '/api/analysis/judgments', {
      ...base,
      clues: [{ id: clue.id, version: clue.version }],
      disposal: 'inspection',
    });
    expect(res.statusCode).toBe(404);
    expect(await judgmentRows([clue.id])).toEqual([]);
    expect((await analystWest('GET', `/api/analysis/clues/${clue.id}/judgments`)).statusCode).toBe(404);
    // Readers without analysis:judgment:create cannot judge.
    expect(
      (
        await dispatcher('POST', '/api/analysis/judgments', {
          ...base,
          clues: [{ id: clue.id, version: clue.version }],
          disposal: 'inspection',
        })
      ).statusCode,
    ).toBe(403);
  });
});
