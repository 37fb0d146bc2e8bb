import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CluesTestBed, phoneCall, startCluesTestBed } from '../../../test/clues-support.ts';
import { login } from '../../../test/fixtures.ts';
import { caller, insertRole, insertUser } from '../../../test/roles-support.ts';
import { json } from '../../platform/db/json.ts';
import { todayInChina } from '../../platform/calendar/calendar.rules.ts';
import { escalateOverdueOrders } from './dispatch.jobs.ts';
import { DISPATCH_EDGES } from './dispatch.machine.ts';
import { pickRule } from './dispatch.routing.ts';
import { dispatchTransferSetting } from './dispatch.settings.ts';

let bed: CluesTestBed;
type Call = Awaited<ReturnType<CluesTestBed['as']>>;
let director: Call;
let dispatcher: Call;
let dispatcher2: Call;
let head: Call;
let officerB: Call;
let a1: Call;
/** Each officer of station A by user id (inbox checks use the order's own officers). */
const asUser = new Map<number, Call>();
const ids: Record<string, number> = {};
let entityId: number;
let teamId: number;

const day = (offset: number) => {
  const d = new Date(`${todayInChina()}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + offset);
  return d.toISOString().slice(0, 10);
};

beforeAll(async () => {
  bed = await startCluesTestBed();
  const { db } = bed.t.ctx;
  const team = await db
    .insertInto('department')
    .values({ name: '综合执法大队', kind: 'office', code: 'T-ZFDD', path: '/', parent_id: bed.org.bureauId })
    .returning('id')
    .executeTakeFirstOrThrow();
  teamId = Number(team.id);
  ids.dispatcher = Number(await bed.org.user('dispatcher', 'dispatcher'));
  ids.dispatcher2 = Number(await bed.org.user('dispatcher2', 'dispatcher'));
  ids.head = Number(await bed.org.user('headA', 'station_head', bed.stationA));
  for (const n of [1, 2, 3, 4, 5, 6])
    ids[`a${n}`] = Number(await bed.org.user(`a${n}`, 'officer', bed.stationA));
  for (const n of [1, 2]) ids[`b${n}`] = Number(await bed.org.user(`b${n}`, 'officer', bed.stationB));
  for (const n of [1, 2]) ids[`t${n}`] = Number(await bed.org.user(`t${n}`, 'officer', teamId));
  // 执法证: valid for everyone but a4 (expired) and the head and officerA/B (none).
  const certified = ['a1', 'a2', 'a3', 'a5', 'a6', 'b1', 'b2', 't1', 't2'];
  for (const [i, k] of certified.entries()) {
    await db
      .updateTable('app_user')
      .set({ cert_no: `32050000${i}`, cert_valid_until: '2099-12-31' })
      .where('id', '=', ids[k]!)
      .execute();
  }
  await db
    .updateTable('app_user')
    .set({ cert_no: '320500999', cert_valid_until: '2020-01-01' })
    .where('id', '=', ids.a4!)
    .execute();
  const e = await db
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
      risk_class: null,
      established_on: '2020-05-01',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  entityId = Number(e.id);
  // a3 on leave today, a2 in 回避 with the shop.
  await db
    .insertInto('officer_leave')
    .values({ user_id: ids.a3!, from_on: day(-1), to_on: day(3), reason: '年休假', created_by: 'test' })
    .execute();
  await db
    .insertInto('officer_conflict')
    .values({ user_id: ids.a2!, entity_id: entityId, reason: '近亲属经营', created_by: 'test' })
    .execute();
  // Routing: the 所 handles its grids; serious-line 执法 goes to the team.
  await db
    .insertInto('dispatch_rule')
    .values([
      { name: '城东所监管', station_id: bed.stationA, module: 'inspection', department_id: bed.stationA },
      { name: '城西所监管', station_id: bed.stationB, module: 'inspection', department_id: bed.stationB },
      { name: '城东所执法', station_id: bed.stationA, module: 'enforcement', department_id: bed.stationA },
      {
        name: '食品执法',
        business_line: '食品',
        module: 'enforcement',
        department_id: teamId,
        priority: 100,
      },
    ])
    .execute();
  [director, dispatcher, dispatcher2, head, officerB, a1] = await Promise.all([
    bed.as('director'),
    caller(bed.t.app, await login(bed.t.app, 'dispatcher')),
    caller(bed.t.app, await login(bed.t.app, 'dispatcher2')),
    caller(bed.t.app, await login(bed.t.app, 'headA')),
    bed.as('officerB'),
    caller(bed.t.app, await login(bed.t.app, 'a1')),
  ]);
  for (const k of ['a1', 'a5', 'a6']) asUser.set(ids[k]!, caller(bed.t.app, await login(bed.t.app, k)));
});
afterAll(async () => {
  await bed?.close();
});

const leadOf = (order: { officers: { id: number }[] }) => asUser.get(order.officers[0]!.id)!;

/** A clue in station A's grid, about the shop, moved to 待调度. */
async function dispatchingClue(over: Record<string, unknown> = {}, toDispatch = true) {
  const res = await director(
    'POST',
    '/api/clues',
    phoneCall({ gridId: bed.gridA, entityId, businessLine: '食品', ...over }),
  );
  expect(res.statusCode, res.body).toBe(201);
  const { id } = res.json() as { id: number };
  if (toDispatch) {
    const r = await director('POST', `/api/clues/${id}/transitions`, { action: 'toDispatch', version: 1 });
    expect(r.statusCode, r.body).toBe(200);
  }
  return id;
}

const clueOf = async (id: number) => (await director('GET', `/api/clues/${id}`)).json();

async function suggest(clueId: number, module = 'inspection') {
  const res = await dispatcher('GET', `/api/dispatch/suggest?clueId=${clueId}&module=${module}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

/** Dispatch a clue as suggested; returns the order detail. */
async function dispatchAsSuggested(clueId: number, module = 'inspection', call: Call = dispatcher) {
  const s = await suggest(clueId, module);
  const res = await call('POST', '/api/dispatch/orders', {
    clueIds: [clueId],
    module,
    departmentId: s.department.id,
    officerIds: s.officers.slice(0, 2).map((o: { id: number }) => o.id),
    instructions: '请核实后依法处理',
  });
  expect(res.statusCode, res.body).toBe(201);
  return (await dispatcher('GET', `/api/dispatch/orders/${res.json().id}`)).json();
}

async function act(call: Call, orderId: number, body: Record<string, unknown>) {
  const current = (await director('GET', `/api/dispatch/orders/${orderId}`)).json();
  return call('POST', `/api/dispatch/orders/${orderId}/actions`, { version: current.version, ...body });
}

describe('routing rules', () => {
  it('picks the most specific enabled rule, then the higher priority', () => {
    const base = {
      business_line: null,
      grid_id: null,
      station_id: null,
      priority: 0,
      department_id: 1,
      name: '',
    };
    const any = { ...base, id: 1 };
    const station = { ...base, id: 2, station_id: 5 };
    const line = { ...base, id: 3, business_line: '食品', priority: 100 };
    const gridLine = { ...base, id: 4, business_line: '食品', grid_id: 9 };
    const stationLine = { ...base, id: 5, business_line: '食品', station_id: 5, priority: 50 };
    expect(pickRule([any, station])!.id).toBe(2);
    expect(pickRule([any, station, line])!.id).toBe(3); // same specificity: priority decides
    expect(pickRule([any, station, line, stationLine, gridLine])!.id).toBe(4); // grid beats 所 at equal count
    expect(pickRule([])).toBeUndefined();
  });

  it('routes a 食品 case source to the enforcement team, and the same clue’s inspection to its 所', async () => {
    const clueId = await dispatchingClue();
    const enforcement = await suggest(clueId, 'enforcement');
    expect(enforcement.department).toEqual({ id: teamId, name: '综合执法大队' });
    expect(enforcement.rule.name).toBe('食品执法');
    expect(enforcement.why.join()).toContain('食品');
    const inspection = await suggest(clueId, 'inspection');
    expect(inspection.department.id).toBe(bed.stationA);
    expect(inspection.limit).toMatchObject({ label: '监管检查', days: 15, dayKind: 'working' });
  });

  it('manages rules through the API; a disabled rule no longer routes', async () => {
    const created = await dispatcher('POST', '/api/dispatch/rules', {
      name: '城东网格食品执法',
      businessLine: '食品',
      gridId: bed.gridA,
      stationId: null,
      module: 'enforcement',
      departmentId: bed.stationB,
    });
    expect(created.statusCode, created.body).toBe(201);
    const clueId = await dispatchingClue();
    expect((await suggest(clueId, 'enforcement')).department.id).toBe(bed.stationB);
    const rule = created.json();
    const off = await dispatcher('PUT', `/api/dispatch/rules/${rule.id}`, {
      name: rule.name,
      businessLine: '食品',
      gridId: bed.gridA,
      stationId: null,
      module: 'enforcement',
      departmentId: bed.stationB,
      enabled: false,
    });
    expect(off.statusCode, off.body).toBe(200);
    expect((await suggest(clueId, 'enforcement')).department.id).toBe(teamId);
    expect((await dispatcher('DELETE', `/api/dispatch/rules/${rule.id}`)).statusCode).toBe(204);
    const both = await dispatcher('POST', '/api/dispatch/rules', {
      name: 'x',
      businessLine: null,
      gridId: bed.gridA,
      stationId: bed.stationA,
      module: 'inspection',
      departmentId: bed.stationA,
    });
    expect(both.statusCode).toBe(400);
    expect(both.json().message).toContain('网格与所只能指定其一');
    expect((await officerB('POST', '/api/dispatch/rules', { name: 'x' })).statusCode).toBe(403);
  });
});

describe('officer suggestion', () => {
  it('skips leave, 回避 and invalid 执法证, and balances the workload', async () => {
    const first = await suggest(await dispatchingClue());
    expect(first.minOfficers).toBe(2);
    expect(first.enough).toBe(true);
    const suggested = first.officers.map((o: { id: number }) => o.id);
    expect(suggested).toEqual([ids.a1, ids.a5, ids.a6]);
    const skipped = Object.fromEntries(
      first.skipped.map((s: { id: number; reasons: string[] }) => [s.id, s.reasons.join()]),
    );
    expect(skipped[ids.a2!]).toContain('回避');
    expect(skipped[ids.a3!]).toContain('请假');
    expect(skipped[ids.a4!]).toContain('执法证已过期');
    expect(skipped[ids.head!]).toContain('无执法证');

    // a1 and a5 take the first order; the next suggestion leads with a6, who has none.
    const order = await dispatchAsSuggested(first.clueId);
    expect(order.officers.map((o: { id: number }) => o.id)).toEqual([ids.a1, ids.a5]);
    const next = await suggest(await dispatchingClue());
    expect(next.officers[0]).toMatchObject({ id: ids.a6, openOrders: 0 });
    expect(next.officers[1].openOrders).toBe(1);
  });

  it('refuses officers on leave, in 回避, without a valid certificate, or fewer than two', async () => {
    const clueId = await dispatchingClue();
    const body = (officerIds: number[]) => ({
      clueIds: [clueId],
      module: 'inspection',
      departmentId: bed.stationA,
      officerIds,
      overrideReason: '指定熟悉情况的人员',
    });
    for (const [who, text] of [
      ['a2', '回避'],
      ['a3', '请假'],
      ['a4', '执法证已过期'],
    ] as const) {
      const res = await dispatcher('POST', '/api/dispatch/orders', body([ids.a1!, ids[who]!]));
      expect(res.statusCode).toBe(400);
      expect(res.json().message).toContain(text);
    }
    const one = await dispatcher('POST', '/api/dispatch/orders', body([ids.a1!]));
    expect(one.statusCode).toBe(400);
    expect(one.json().message).toContain('至少 2 名');
    const other = await dispatcher('POST', '/api/dispatch/orders', body([ids.a1!, ids.b1!]));
    expect(other.statusCode).toBe(400);
    expect((await clueOf(clueId)).status).toBe('dispatching');
  });

  it('requires a reason to override the suggestion, and shows it on the order', async () => {
    const clueId = await dispatchingClue();
    const s = await suggest(clueId);
    const ranked = s.officers.map((o: { id: number }) => o.id) as number[];
    expect(ranked.length).toBeGreaterThanOrEqual(3);
    const override = [ranked[0]!, ranked[2]!];
    const body = {
      clueIds: [clueId],
      module: 'inspection',
      departmentId: bed.stationA,
      officerIds: override,
    };
    const bad = await dispatcher('POST', '/api/dispatch/orders', body);
    expect(bad.statusCode).toBe(400);
    expect(bad.json().message).toContain('调整原因');
    const ok = await dispatcher('POST', '/api/dispatch/orders', {
      ...body,
      overrideReason: '该片区由两人长期负责',
    });
    expect(ok.statusCode, ok.body).toBe(201);
    const order = (await dispatcher('GET', `/api/dispatch/orders/${ok.json().id}`)).json();
    expect(order.override.reason).toBe('该片区由两人长期负责');
    expect(order.override.suggestedOfficerNames).toHaveLength(2);
    const created = order.timeline.find((e: { kind: string }) => e.kind === 'dispatch.order.created');
    expect(created.payload.reason).toBe('该片区由两人长期负责');
  });
});

describe('dispatch orders', () => {
  it('walks the machine: 待签收 → 已签收 → 办理中 → 已办结, and the result flows back to the clue', async () => {
    const clueId = await dispatchingClue();
    const order = await dispatchAsSuggested(clueId);
    expect(order.number).toMatch(/^DD\d{8}\d{4}$/);
    expect(order.status).toBe('pending');
    expect(order.deadline).toMatchObject({
      ruleKey: 'dispatch.inspection',
      label: '监管检查',
      status: 'running',
    });
    expect(order.dueOn).toBe(order.deadline.dueOn);
    expect((await clueOf(clueId)).status).toBe('handling');

    // The officers find it in their inbox, with its due time.
    const officer = leadOf(order);
    const inbox = (await officer('GET', '/api/inbox?box=todo')).json();
    const item = inbox.items.find((i: { href: string }) => i.href === `/dispatch/orders/${order.id}`);
    expect(item).toBeTruthy();
    expect(item.dueAt).not.toBeNull();

    // Out of order: completing a pending order is refused with the current state.
    const early = await act(a1, order.id, {
      action: 'complete',
      outcome: 'no_violation',
      summary: '未发现问题',
    });
    expect(early.statusCode).toBe(409);
    expect(early.json()).toMatchObject({ code: 'DISPATCH_STATE_CONFLICT' });
    expect(early.json().message).toContain('待签收');
    // A stale version is refused.
    const stale = await a1('POST', `/api/dispatch/orders/${order.id}/actions`, {
      action: 'sign',
      version: 99,
    });
    expect(stale.statusCode).toBe(409);

    expect((await act(a1, order.id, { action: 'sign' })).json().status).toBe('signed');
    expect((await act(a1, order.id, { action: 'start' })).json().status).toBe('handling');
    const done = await act(a1, order.id, {
      action: 'complete',
      outcome: 'violation',
      summary: '现场检查发现销售过期熟食，已责令下架并立案调查',
    });
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json()).toMatchObject({ status: 'completed', result: { outcome: 'violation' } });
    expect(done.json().deadline.status).toBe('met');
    expect(done.json().actions).toEqual([]);

    const clue = await clueOf(clueId);
    expect(clue.status).toBe('feedback');
    expect(clue.resultSummary).toContain('已责令下架');
    const kinds = clue.timeline.map((e: { kind: string }) => e.kind);
    expect(kinds).toEqual(
      expect.arrayContaining([
        'dispatch.order.created',
        'clue.startHandling',
        'clue.recordResult',
        'dispatch.order.completed',
      ]),
    );
    const completed = clue.timeline.find((e: { kind: string }) => e.kind === 'dispatch.order.completed');
    expect(completed.payload).toMatchObject({
      orderId: order.id,
      number: order.number,
      module: 'inspection',
      outcome: 'violation',
      summary: '现场检查发现销售过期熟食，已责令下架并立案调查',
    });
    const after = (await officer('GET', '/api/inbox?box=todo')).json();
    expect(after.items.some((i: { href: string }) => i.href === `/dispatch/orders/${order.id}`)).toBe(false);
  });

  it('lists every edge of the machine, and every action is reachable from its states', async () => {
    const res = await dispatcher('GET', '/api/dispatch/machine');
    expect(res.statusCode).toBe(200);
    const m = res.json();
    expect(m.edges).toHaveLength(DISPATCH_EDGES.length);
    expect(m.states.map((s: { label: string }) => s.label)).toEqual([
      '待签收',
      '已签收',
      '办理中',
      '已办结',
      '已退回',
    ]);
    for (const e of DISPATCH_EDGES) expect(e.from.length).toBeGreaterThan(0);
  });

  it('dispatches a clue straight from 待分拣 (moved to 待调度 in the same transaction)', async () => {
    const clueId = await dispatchingClue({}, false);
    expect((await clueOf(clueId)).status).toBe('sorting');
    await dispatchAsSuggested(clueId);
    const clue = await clueOf(clueId);
    expect(clue.status).toBe('handling');
    expect(clue.timeline.map((e: { kind: string }) => e.kind)).toEqual(
      expect.arrayContaining(['clue.toDispatch', 'clue.startHandling']),
    );
  });

  it('lets exactly one of two dispatchers acting at the same moment win', async () => {
    const clueId = await dispatchingClue();
    const s = await suggest(clueId);
    const body = {
      clueIds: [clueId],
      clueVersions: [(await clueOf(clueId)).version],
      module: 'inspection',
      departmentId: s.department.id,
      officerIds: s.officers.slice(0, 2).map((o: { id: number }) => o.id),
    };
    const [x, y] = await Promise.all([
      dispatcher('POST', '/api/dispatch/orders', body),
      dispatcher2('POST', '/api/dispatch/orders', body),
    ]);
    const codes = [x.statusCode, y.statusCode].sort();
    expect(codes).toEqual([201, 409]);
    const lost = x.statusCode === 409 ? x : y;
    expect(lost.json().code).toBe('DISPATCH_CONFLICT');
    expect(lost.json().message).toContain('办理中');
    const n = await bed.t.ctx.db
      .selectFrom('dispatch_order_clue')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('clue_id', '=', clueId)
      .executeTakeFirstOrThrow();
    expect(Number(n.n)).toBe(1);
  });

  it('returns an order: the clue waits for dispatch again, dispatchers are told, and it can be re-dispatched', async () => {
    const clueId = await dispatchingClue();
    const order = await dispatchAsSuggested(clueId);
    const noReason = await act(head, order.id, { action: 'return' });
    expect(noReason.statusCode).toBe(400);
    // Officers may not return (the 所长 does).
    expect((await act(a1, order.id, { action: 'return', reason: '不属于本所辖区' })).statusCode).toBe(403);
    const res = await act(head, order.id, { action: 'return', reason: '不属于本所辖区' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ status: 'returned', returnReason: '不属于本所辖区' });
    expect(res.json().deadline.status).toBe('cancelled');
    const clue = await clueOf(clueId);
    expect(clue.status).toBe('dispatching');
    const back = clue.timeline.find((e: { kind: string }) => e.kind === 'clue.returnToDispatch');
    expect(back.payload.reason).toContain('不属于本所辖区');
    const queue = (await dispatcher('GET', '/api/dispatch/queue')).json();
    expect(queue.items.find((c: { id: number }) => c.id === clueId).returnedReason).toBe('不属于本所辖区');
    const inbox = (await dispatcher('GET', '/api/inbox?box=todo')).json();
    expect(inbox.items.some((i: { title: string }) => i.title.includes(order.number))).toBe(true);
    const again = await dispatchAsSuggested(clueId);
    expect(again.id).not.toBe(order.id);
    const later = (await dispatcher('GET', '/api/inbox?box=todo')).json();
    expect(later.items.some((i: { title: string }) => i.title.includes(`调度单 ${order.number} 被`))).toBe(
      false,
    );
  });

  it('transfers to another department only after someone else approves (setting on by default)', async () => {
    const clueId = await dispatchingClue();
    const order = await dispatchAsSuggested(clueId);
    const asked = await act(head, order.id, {
      action: 'transfer',
      departmentId: bed.stationB,
      reason: '被投诉对象实际经营地在城西',
    });
    expect(asked.statusCode, asked.body).toBe(200);
    expect(asked.json().departmentId).toBe(bed.stationA);
    expect(asked.json().pendingTransfer).toMatchObject({ toDepartmentName: '城西市场监管所' });
    const headInbox = (await head('GET', '/api/inbox?box=todo')).json();
    expect(headInbox.items.some((i: { title: string }) => i.title.startsWith('转办审批'))).toBe(true);
    const self = await act(head, order.id, { action: 'approveTransfer' });
    expect(self.statusCode).toBe(403);
    expect(self.json().code).toBe('SELF_APPROVAL');
    const approved = await act(director, order.id, { action: 'approveTransfer' });
    expect(approved.statusCode, approved.body).toBe(200);
    expect(approved.json()).toMatchObject({
      departmentId: bed.stationB,
      status: 'pending',
      pendingTransfer: null,
    });
    expect(
      approved
        .json()
        .officers.map((o: { id: number }) => o.id)
        .sort(),
    ).toEqual([ids.b1, ids.b2].sort());
    expect(approved.json().deadline.departmentId).toBe(bed.stationB);
    // The clock keeps running: a transfer neither restarts nor extends the limit.
    expect(approved.json().deadline.dueOn).toBe(order.deadline.dueOn);
    expect(approved.json().deadline.startOn).toBe(order.deadline.startOn);
    // Station A's officers no longer see it; station B's do.
    expect((await a1('GET', `/api/dispatch/orders/${order.id}`)).statusCode).toBe(404);
    expect((await officerB('GET', `/api/dispatch/orders/${order.id}`)).statusCode).toBe(200);
  });

  it('transfers at once when the setting is off', async () => {
    await bed.t.ctx.settings.set({ id: null, name: 'test' }, dispatchTransferSetting, { enabled: false });
    try {
      const order = await dispatchAsSuggested(await dispatchingClue());
      const res = await act(head, order.id, {
        action: 'transfer',
        departmentId: bed.stationB,
        reason: '辖区调整',
      });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json().departmentId).toBe(bed.stationB);
    } finally {
      await bed.t.ctx.settings.set({ id: null, name: 'test' }, dispatchTransferSetting, { enabled: true });
    }
  });

  it('extends before the due day with approval, and refuses an extension after it', async () => {
    const order = await dispatchAsSuggested(await dispatchingClue());
    const dueBefore = order.deadline.dueOn;
    const asked = await act(a1, order.id, { action: 'extend', days: 5, reason: '需等待检验报告' });
    expect(asked.statusCode, asked.body).toBe(200);
    const ext = asked.json().deadline.pendingExtension;
    expect(ext).toMatchObject({ days: 5, status: 'pending' });
    expect(
      (await act(a1, order.id, { action: 'decideExtension', extensionId: ext.id, approve: true })).statusCode,
    ).toBe(403);
    const ok = await act(head, order.id, {
      action: 'decideExtension',
      extensionId: ext.id,
      approve: true,
      note: '同意',
    });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().deadline.extendedDays).toBe(5);
    expect(ok.json().dueOn > dueBefore).toBe(true);

    // The due day has passed: the rule (default) refuses a request after it.
    await bed.t.ctx.db
      .updateTable('deadline')
      .set({ due_on: day(-1), warn_on: day(-3) })
      .where('subject_type', '=', 'dispatch_order')
      .where('subject_id', '=', String(order.id))
      .execute();
    const late = await act(a1, order.id, { action: 'extend', days: 3, reason: '仍需时间' });
    expect(late.statusCode).toBe(409);
    expect(late.json().code).toBe('EXTENSION_NOT_ALLOWED');
    expect(late.json().message).toContain('届满后不能再申请延期');
  });

  it('urges: officers get a notice and the inbox item leads as 督办', async () => {
    const order = await dispatchAsSuggested(await dispatchingClue());
    expect((await act(a1, order.id, { action: 'urge', message: '请今日内办结' })).statusCode).toBe(403);
    const res = await act(director, order.id, { action: 'urge', message: '请今日内办结' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().urged).toBe(true);
    expect(res.json().urges[0]).toMatchObject({ message: '请今日内办结' });
    const inbox = (await leadOf(order)('GET', '/api/inbox?box=todo')).json();
    expect(inbox.items[0]).toMatchObject({ href: `/dispatch/orders/${order.id}`, priority: 'urged' });
    const notices = await bed.t.ctx.db
      .selectFrom('notice')
      .select(['title', 'target_user_ids'])
      .where('title', 'like', `督办：调度单 ${order.number}%`)
      .execute();
    expect(notices).toHaveLength(1);
    expect(notices[0]!.target_user_ids).toEqual(
      expect.arrayContaining(order.officers.map((o: { id: number }) => o.id)),
    );
  });

  it('escalates an overdue order to the department head exactly once', async () => {
    const order = await dispatchAsSuggested(await dispatchingClue());
    await bed.t.ctx.db
      .updateTable('deadline')
      .set({ due_on: day(-2), warn_on: day(-5) })
      .where('subject_type', '=', 'dispatch_order')
      .where('subject_id', '=', String(order.id))
      .execute();
    const first = await Promise.all([
      escalateOverdueOrders(bed.t.ctx.db),
      escalateOverdueOrders(bed.t.ctx.db),
    ]);
    expect(first[0] + first[1]).toBeGreaterThanOrEqual(1);
    expect(await escalateOverdueOrders(bed.t.ctx.db)).toBe(0);
    const events = await bed.t.ctx.db
      .selectFrom('ledger_event')
      .select('id')
      .where('kind', '=', 'dispatch.order.escalated')
      .where('subject_id', '=', String(order.id))
      .execute();
    expect(events).toHaveLength(1);
    const notice = await bed.t.ctx.db
      .selectFrom('notice')
      .select('target_user_ids')
      .where('title', '=', `逾期上报：调度单 ${order.number}`)
      .executeTakeFirstOrThrow();
    expect(notice.target_user_ids).toContain(ids.head);
    const inbox = (await head('GET', '/api/inbox?box=todo')).json();
    expect(
      inbox.items.some(
        (i: { title: string; priority: string }) => i.title.includes(order.number) && i.priority === 'high',
      ),
    ).toBe(true);
    const board = (await dispatcher('GET', '/api/dispatch/orders?deadlineState=overdue')).json();
    expect(
      board.items.some((o: { id: number; escalated: boolean }) => o.id === order.id && o.escalated),
    ).toBe(true);
  });
});

describe('board, scope and bad input', () => {
  it('shows open orders with counts per department; other departments’ orders are 404', async () => {
    const order = await dispatchAsSuggested(await dispatchingClue());
    const board = (await dispatcher('GET', '/api/dispatch/orders')).json();
    expect(board.items.some((o: { id: number }) => o.id === order.id)).toBe(true);
    const a = board.counts.find((c: { departmentId: number }) => c.departmentId === bed.stationA);
    expect(a.open).toBeGreaterThan(0);
    const mine = (await a1('GET', '/api/dispatch/orders')).json();
    expect(mine.items.every((o: { departmentId: number }) => o.departmentId === bed.stationA)).toBe(true);
    expect((await officerB('GET', `/api/dispatch/orders/${order.id}`)).statusCode).toBe(404);
    const theirs = (await officerB('GET', '/api/dispatch/orders')).json();
    expect(theirs.items.some((o: { id: number }) => o.id === order.id)).toBe(false);
    expect(
      (await officerB('POST', `/api/dispatch/orders/${order.id}/actions`, { action: 'sign', version: 1 }))
        .statusCode,
    ).toBe(404);
  });

  it('treats clues outside the dispatcher’s scope as missing', async () => {
    const role = await insertRole(bed.t.ctx.db, 'dispatcher_b', ['dispatch:*:*', 'clue:*:*'], 'department');
    await insertUser(bed.t.ctx.db, 'dispb', bed.stationB, [role]);
    const dispB = caller(bed.t.app, await login(bed.t.app, 'dispb'));
    const clueId = await dispatchingClue();
    expect((await dispB('GET', `/api/dispatch/suggest?clueId=${clueId}`)).statusCode).toBe(404);
    const res = await dispB('POST', '/api/dispatch/orders', {
      clueIds: [clueId],
      module: 'inspection',
      departmentId: bed.stationB,
      officerIds: [ids.b1, ids.b2],
      overrideReason: '跨辖区',
    });
    expect(res.statusCode).toBe(404);
    expect((await clueOf(clueId)).status).toBe('dispatching');
  });

  it('answers bad input with 400s, never a 500', async () => {
    const clueId = await dispatchingClue();
    const bad = [
      ['GET', '/api/dispatch/suggest?clueId=abc'],
      ['GET', '/api/dispatch/suggest?clueId=1&module=nope'],
      ['GET', `/api/dispatch/orders?limit=100000`],
      ['GET', `/api/dispatch/orders?q=${'长'.repeat(100)}`],
      [
        'POST',
        '/api/dispatch/orders',
        { clueIds: [], module: 'inspection', departmentId: 1, officerIds: [1] },
      ],
      [
        'POST',
        '/api/dispatch/orders',
        { clueIds: [clueId], module: 'inspection', departmentId: 1, officerIds: [1, 2], extra: 1 },
      ],
      [
        'POST',
        '/api/dispatch/orders',
        {
          clueIds: [clueId, clueId],
          module: 'inspection',
          departmentId: bed.stationA,
          officerIds: [ids.a1, ids.a5],
        },
      ],
      [
        'POST',
        '/api/dispatch/orders',
        {
          clueIds: [clueId],
          module: 'inspection',
          departmentId: 999999,
          officerIds: [ids.a1, ids.a5],
          overrideReason: '测试原因',
        },
      ],
      [
        'POST',
        '/api/dispatch/orders',
        {
          clueIds: [clueId],
          module: 'inspection',
          departmentId: bed.stationA,
          officerIds: [ids.a1, ids.a5],
          instructions: 'x'.repeat(2001),
        },
      ],
      [
        'POST',
        '/api/dispatch/leaves',
        { userId: ids.a1, fromOn: '2026-02-30x', toOn: '2026-03-01', reason: '病假' },
      ],
      [
        'POST',
        '/api/dispatch/leaves',
        { userId: ids.a1, fromOn: '2026-03-05', toOn: '2026-03-01', reason: '病假' },
      ],
      ['POST', '/api/dispatch/conflicts', { userId: ids.a1, entityId: 999999, reason: '亲属关系' }],
    ] as const;
    for (const [method, url, body] of bad) {
      const res = await dispatcher(method, url, body);
      expect(res.statusCode, `${method} ${url} ${res.body}`).toBe(400);
      expect(res.json().code).toBeTruthy();
    }
    expect((await dispatcher('GET', '/api/dispatch/orders/999999')).statusCode).toBe(404);
    expect((await dispatcher('GET', '/api/dispatch/suggest?clueId=999999')).statusCode).toBe(404);
    expect((await clueOf(clueId)).status).toBe('dispatching');
  });

  it('manages leave and 回避, which the next suggestion honours', async () => {
    const leave = await head('POST', '/api/dispatch/leaves', {
      userId: ids.a6,
      fromOn: day(0),
      toOn: day(1),
      reason: '外出培训',
    });
    expect(leave.statusCode, leave.body).toBe(201);
    const clueId = await dispatchingClue();
    const s = await suggest(clueId);
    expect(s.officers.map((o: { id: number }) => o.id)).not.toContain(ids.a6);
    expect(
      (await head('GET', '/api/dispatch/leaves'))
        .json()
        .items.some((l: { id: number }) => l.id === leave.json().id),
    ).toBe(true);
    expect((await head('DELETE', `/api/dispatch/leaves/${leave.json().id}`)).statusCode).toBe(204);
    expect((await suggest(clueId)).officers.map((o: { id: number }) => o.id)).toContain(ids.a6);
    const conflict = await head('POST', '/api/dispatch/conflicts', {
      userId: ids.a6,
      entityId,
      reason: '曾在该店任职',
    });
    expect(conflict.statusCode, conflict.body).toBe(201);
    expect(
      (await suggest(clueId)).skipped.find((x: { id: number }) => x.id === ids.a6).reasons.join(),
    ).toContain('回避');
    expect((await head('DELETE', `/api/dispatch/conflicts/${conflict.json().id}`)).statusCode).toBe(204);
    // A 所长 manages only his own people.
    expect(
      (
        await head('POST', '/api/dispatch/leaves', {
          userId: ids.b1,
          fromOn: day(0),
          toOn: day(0),
          reason: '病假休息',
        })
      ).statusCode,
    ).toBe(400);
    const officers = (await head('GET', `/api/dispatch/officers?departmentId=${bed.stationA}`)).json();
    expect(officers.items.find((o: { id: number }) => o.id === ids.a4).unavailable.join()).toContain(
      '执法证已过期',
    );
  });
});
