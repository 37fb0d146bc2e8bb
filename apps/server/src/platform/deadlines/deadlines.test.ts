import type { Transaction } from 'kysely';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createOrg } from '../../../test/fixtures.ts';
import { createTestContext, type TestContext } from '../../../test/support.ts';
import type { DB } from '../db/schema.ts';
import { createNoticeService } from '../notice/notice.service.ts';
import { sweepDeadlines } from './deadlines.jobs.ts';
import { createDeadlineService, type StartDeadlineInput } from './deadlines.service.ts';

let t: TestContext;
let org: Awaited<ReturnType<typeof createOrg>>;
let day = '2026-06-01';
let svc: ReturnType<typeof createDeadlineService>;
let east: number;
let head: number;
let eastClerkNoPermission: number;
let eastOfficer2: number;

beforeAll(async () => {
  t = await createTestContext();
  org = await createOrg(t.ctx.db);
  const [eastStation] = org.stations as [number, number];
  east = await org.user('east', 'officer', eastStation);
  eastOfficer2 = await org.user('east2', 'officer', eastStation);
  head = await org.user('head', 'station_head', eastStation);
  eastClerkNoPermission = await org.user('eastsys', 'sysadmin', eastStation);
  svc = createDeadlineService({ ...t.ctx, today: () => day });
});
afterAll(async () => t?.close());

const actor = (id: number, name: string) => ({ id, name });
let seq = 0;

function input(over: Partial<StartDeadlineInput> = {}): StartDeadlineInput {
  seq += 1;
  return {
    subjectType: 'clue',
    subjectId: `900${seq}`,
    subjectLabel: `XS20260601${String(seq).padStart(4, '0')}`,
    clueId: 900 + seq,
    departmentId: org.stations[0] ?? null,
    assigneeId: east,
    ...svc.complaintRule('complaint.accept', '2026-06-01'),
    startOn: '2026-06-01',
    ...over,
  };
}

const tx = <T>(fn: (trx: Transaction<DB>) => Promise<T>) => t.ctx.db.transaction().execute(fn);

async function events(clueId: number) {
  return t.ctx.db
    .selectFrom('ledger_event')
    .select(['kind', 'payload', 'clue_id'])
    .where('clue_id', '=', clueId)
    .orderBy('id')
    .execute();
}

describe('rules in force', () => {
  it('takes the complaint limits of the rule version in force on the day of receipt', () => {
    expect(svc.complaintRule('complaint.mediation', '2026-04-14')).toMatchObject({
      ruleEffectiveFrom: '2020-01-01',
      days: 45,
      dayKind: 'working',
      regulation: expect.stringContaining('第20号'),
    });
    expect(svc.complaintRule('complaint.mediation', '2026-04-15')).toMatchObject({
      ruleEffectiveFrom: '2026-04-15',
      days: 60,
      dayKind: 'natural',
      regulation: expect.stringContaining('第121号'),
    });
    // Migration 0020 completed both stored versions with the 举报核查 limits.
    for (const on of ['2026-04-14', '2026-04-15']) {
      expect(svc.complaintRule('report.verify', on)).toMatchObject({
        label: '举报核查',
        days: 15,
        dayKind: 'working',
        maxExtensionDays: 15,
        extensionAfterDue: false,
      });
    }
    expect(svc.complaintRule('complaint.accept', '2026-06-01')).toMatchObject({
      label: '投诉受理决定',
      days: 7,
    });
  });
});

describe('start and stop', () => {
  it('starts once per subject and rule, with the due and warning days, and records it in the ledger', async () => {
    const i = input();
    const a = await tx((trx) => svc.start(trx, i));
    const b = await tx((trx) => svc.start(trx, i));
    expect(b.id).toBe(a.id);
    // 7 working days after Mon 06-01 (06-19 is 端午, not yet reached) → Wed 06-10; warning on the 5th → 06-08.
    expect(a).toMatchObject({
      status: 'running',
      state: 'normal',
      dueOn: '2026-06-10',
      warnOn: '2026-06-08',
      remainingDays: 7,
      label: '投诉受理决定',
      ruleEffectiveFrom: '2026-04-15',
      assigneeName: 'east',
      departmentName: '城东市场监管所',
    });
    const ev = await events(i.clueId as number);
    expect(ev.map((e) => e.kind)).toEqual(['deadline.started']);
    expect(ev[0]?.payload).toMatchObject({
      deadlineId: a.id,
      dueOn: '2026-06-10',
      ruleKey: 'complaint.accept',
    });
    expect(await svc.forClue(t.ctx.db, i.clueId as number)).toHaveLength(1);
  });

  it('starts inside a transaction even when the calendar cache has gone stale (no wait on the outer handle)', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      vi.setSystemTime(Date.now() + 10 * 60_000);
      const d = await tx((trx) => svc.start(trx, input()));
      expect(d.dueOn).toBe('2026-06-10');
    } finally {
      vi.useRealTimers();
    }
  });

  it('stops a running deadline as met (in time or not) and does nothing when none is running', async () => {
    const i = input();
    await tx((trx) => svc.start(trx, i));
    day = '2026-06-11';
    const key = { subjectType: i.subjectType, subjectId: i.subjectId, ruleKey: i.ruleKey };
    const met = await tx((trx) => svc.stop(trx, key, actor(east, 'east'), 'met'));
    expect(met).toMatchObject({ status: 'met', metInTime: false, closedOn: '2026-06-11', state: null });
    expect(await tx((trx) => svc.stop(trx, key, actor(east, 'east'), 'met'))).toBeNull();
    expect((await events(i.clueId as number)).map((e) => e.kind)).toEqual([
      'deadline.started',
      'deadline.met',
    ]);
    // A new limit of the same rule may start once the old one is closed.
    const again = await tx((trx) => svc.start(trx, { ...i, startOn: '2026-06-11' }));
    expect(again.id).not.toBe(met?.id);
    const cancelled = await tx((trx) => svc.stop(trx, key, actor(east, 'east'), 'cancelled'));
    expect(cancelled).toMatchObject({ status: 'cancelled', metInTime: null });
    day = '2026-06-01';
  });
});

describe('pause and resume', () => {
  it('moves the due day by the paused working days', async () => {
    const i = input({ ...svc.complaintRule('report.verify', '2026-06-01') });
    const d = await tx((trx) => svc.start(trx, i));
    expect(d.dueOn).toBe('2026-06-23');
    day = '2026-06-08';
    const paused = await tx((trx) => svc.pause(trx, d.id, actor(east, 'east'), '等待检验结果'));
    expect(paused).toMatchObject({ status: 'paused', state: null });
    await expect(tx((trx) => svc.pause(trx, d.id, actor(east, 'east'), '再次'))).rejects.toMatchObject({
      code: 'DEADLINE_CONFLICT',
    });
    day = '2026-06-10';
    const resumed = await tx((trx) => svc.resume(trx, d.id, actor(east, 'east')));
    expect(resumed).toMatchObject({ status: 'running', dueOn: '2026-06-25' });
    expect(resumed.pauses).toEqual([
      expect.objectContaining({ fromOn: '2026-06-08', toOn: '2026-06-10', reason: '等待检验结果' }),
    ]);
    expect((await events(i.clueId as number)).map((e) => e.kind)).toEqual([
      'deadline.started',
      'deadline.paused',
      'deadline.resumed',
    ]);
    day = '2026-06-01';
  });
});

describe('extensions', () => {
  it('extends 举报核查 by up to 15 working days, approved by someone other than the requester', async () => {
    const i = input({ ...svc.complaintRule('report.verify', '2026-06-01') });
    const d = await tx((trx) => svc.start(trx, i));
    day = '2026-06-15';
    await expect(
      tx((trx) => svc.requestExtension(trx, d.id, actor(east, 'east'), { days: 16, reason: '需要补充调查' })),
    ).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    const ext = await tx((trx) =>
      svc.requestExtension(trx, d.id, actor(east, 'east'), { days: 15, reason: '需要补充调查' }),
    );
    expect(ext).toMatchObject({ status: 'pending', days: 15, requestedBy: 'east' });
    await expect(
      tx((trx) => svc.requestExtension(trx, d.id, actor(east, 'east'), { days: 1, reason: '再申请' })),
    ).rejects.toMatchObject({ code: 'EXTENSION_NOT_ALLOWED' });
    await expect(
      tx((trx) => svc.decideExtension(trx, ext.id, actor(east, 'east'), true, '')),
    ).rejects.toMatchObject({ code: 'SELF_APPROVAL', status: 403 });
    const approved = await tx((trx) => svc.decideExtension(trx, ext.id, actor(head, 'head'), true, '同意'));
    expect(approved).toMatchObject({ dueOn: '2026-07-14', extendedDays: 15, pendingExtension: null });
    expect(approved.extensions).toEqual([
      expect.objectContaining({ status: 'approved', decidedBy: 'head', note: '同意' }),
    ]);
    // The allowance is used up.
    await expect(
      tx((trx) => svc.requestExtension(trx, d.id, actor(east, 'east'), { days: 1, reason: '还要延长' })),
    ).rejects.toMatchObject({ code: 'VALIDATION_FAILED', message: expect.stringContaining('达到上限') });
    await expect(
      tx((trx) => svc.decideExtension(trx, ext.id, actor(head, 'head'), true, '')),
    ).rejects.toMatchObject({ code: 'DEADLINE_CONFLICT' });
    expect((await events(i.clueId as number)).map((e) => e.kind)).toEqual([
      'deadline.started',
      'deadline.extension.requested',
      'deadline.extension.approved',
    ]);
    day = '2026-06-01';
  });

  it('refuses an extension once the limit has passed, and for a rule that allows none', async () => {
    const verify = await tx((trx) =>
      svc.start(trx, input({ ...svc.complaintRule('report.verify', '2026-06-01') })),
    );
    const accept = await tx((trx) => svc.start(trx, input()));
    day = '2026-06-24';
    await expect(
      tx((trx) => svc.requestExtension(trx, verify.id, actor(east, 'east'), { days: 5, reason: '来不及了' })),
    ).rejects.toMatchObject({
      code: 'EXTENSION_NOT_ALLOWED',
      message: expect.stringContaining('2026-06-23'),
    });
    day = '2026-06-02';
    await expect(
      tx((trx) => svc.requestExtension(trx, accept.id, actor(east, 'east'), { days: 2, reason: '材料不全' })),
    ).rejects.toMatchObject({ code: 'EXTENSION_NOT_ALLOWED', message: expect.stringContaining('不得延长') });
    // A rejected request leaves the due day alone.
    day = '2026-06-10';
    const ext = await tx((trx) =>
      svc.requestExtension(trx, verify.id, actor(east, 'east'), { days: 5, reason: '需要检测' }),
    );
    const rejected = await tx((trx) =>
      svc.decideExtension(trx, ext.id, actor(head, 'head'), false, '理由不足'),
    );
    expect(rejected).toMatchObject({ dueOn: '2026-06-23', extendedDays: 0 });
    day = '2026-06-01';
  });
});

describe('sweep', () => {
  it('marks 预警 and 逾期 exactly once each, into the ledger and the assignee’s notices', async () => {
    await t.ctx.db
      .updateTable('deadline')
      .set({ status: 'cancelled' })
      .where('status', '=', 'running')
      .execute();
    const withAssignee = input();
    const noAssignee = input({ assigneeId: null });
    const a = await tx((trx) => svc.start(trx, withAssignee));
    const b = await tx((trx) => svc.start(trx, noAssignee));
    expect(await sweepDeadlines(t.ctx.db, '2026-06-05')).toEqual({ warned: 0, overdue: 0 });
    // Two workers at once on the warning day: each deadline is marked by exactly one of them.
    const both = await Promise.all([
      sweepDeadlines(t.ctx.db, '2026-06-08'),
      sweepDeadlines(t.ctx.db, '2026-06-08'),
    ]);
    expect(both.reduce((n, r) => n + r.warned, 0)).toBe(2);
    expect(await sweepDeadlines(t.ctx.db, '2026-06-09')).toEqual({ warned: 0, overdue: 0 });
    expect(await sweepDeadlines(t.ctx.db, '2026-06-11')).toEqual({ warned: 0, overdue: 2 });
    expect(await sweepDeadlines(t.ctx.db, '2026-06-12')).toEqual({ warned: 0, overdue: 0 });
    for (const i of [withAssignee, noAssignee]) {
      const ev = await events(i.clueId as number);
      expect(ev.map((e) => e.kind)).toEqual(['deadline.started', 'deadline.warning', 'deadline.overdue']);
    }
    expect(
      (await svc.get({ id: head, scope: { all: true, departmentIds: [], self: false } }, a.id)).overdueAt,
    ).not.toBeNull();

    const notices = createNoticeService({ db: t.ctx.db });
    const mine = async (id: number) =>
      (
        await notices.listMine(
          {
            id,
            displayName: '',
            departmentId: org.stations[0] as number,
            scope: { all: false, departmentIds: [], self: false },
          },
          { limit: 50 },
        )
      ).items.map((n) => n.title);
    // The assignee hears about his deadline; the department's officers about the one without assignee.
    expect(await mine(east)).toEqual(
      expect.arrayContaining([
        `时限预警：投诉受理决定（${withAssignee.subjectLabel}）`,
        `时限逾期：投诉受理决定（${withAssignee.subjectLabel}）`,
        `时限预警：投诉受理决定（${noAssignee.subjectLabel}）`,
      ]),
    );
    expect(await mine(eastOfficer2)).toEqual(
      expect.arrayContaining([`时限逾期：投诉受理决定（${noAssignee.subjectLabel}）`]),
    );
    expect(await mine(eastOfficer2)).not.toContain(`时限预警：投诉受理决定（${withAssignee.subjectLabel}）`);
    // A user of the department without the board permission is not notified.
    expect(await mine(eastClerkNoPermission)).toEqual([]);
    expect(b.id).toBeGreaterThan(a.id);
  });

  it('raises the warning again after an approved extension moved the due day', async () => {
    const i = input({ ...svc.complaintRule('report.verify', '2026-06-01') });
    const d = await tx((trx) => svc.start(trx, i));
    expect(await sweepDeadlines(t.ctx.db, '2026-06-15')).toMatchObject({ warned: 1 });
    day = '2026-06-15';
    const ext = await tx((trx) =>
      svc.requestExtension(trx, d.id, actor(east, 'east'), { days: 10, reason: '补充调查' }),
    );
    const after = await tx((trx) => svc.decideExtension(trx, ext.id, actor(head, 'head'), true, ''));
    expect(after.warnedAt).toBeNull();
    expect(await sweepDeadlines(t.ctx.db, '2026-06-16')).toMatchObject({ warned: 0 });
    expect(await sweepDeadlines(t.ctx.db, after.warnOn)).toMatchObject({ warned: 1 });
    day = '2026-06-01';
  });
});
