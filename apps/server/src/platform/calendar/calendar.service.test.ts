import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../../../test/support.ts';
import type { Actor } from '../ledger/ledger.service.ts';
import { subjectTimeline } from '../ledger/ledger.service.ts';
import { missingYearWarning } from './calendar.rules.ts';
import { createCalendar } from './calendar.service.ts';

let t: TestContext;
beforeAll(async () => {
  t = await createTestContext();
});
afterAll(() => t.close());

const admin: Actor = { id: null, name: '日历管理员' };

// The 2027 schedule as an administrator would type it in (an illustration, not the published one).
const schedule2027 = {
  holidays: [
    '2027-01-01',
    '2027-02-08',
    '2027-02-09',
    '2027-02-10',
    '2027-02-11',
    '2027-02-12',
    '2027-10-01',
    '2027-10-04',
    '2027-10-05',
    '2027-10-06',
    '2027-10-07',
  ],
  workdays: ['2027-02-06', '2027-10-09'],
  note: '国办发明电〔2026〕录入',
};

describe('WorkdayCalendar service', () => {
  it('answers from official data with no overrides', async () => {
    const cal = t.ctx.calendar;
    expect(await cal.addWorkdays('2026-09-30', 7)).toEqual({ value: '2026-10-15', warnings: [] });
    expect((await cal.isWorkday('2026-10-10')).value).toBe(true);
    expect((await cal.yearStatus(2026)).coverage).toBe('official');
  });

  it('applies an override at once and records it in the ledger', async () => {
    const cal = t.ctx.calendar;
    await cal.setOverride(admin, { day: '2026-10-09', kind: 'holiday', note: '局机关搬迁' });
    expect((await cal.isWorkday('2026-10-09')).value).toBe(false);
    expect((await cal.addWorkdays('2026-09-30', 7)).value).toBe('2026-10-16');
    expect(await cal.listOverrides(2026)).toEqual([
      { day: '2026-10-09', kind: 'holiday', note: '局机关搬迁' },
    ]);

    const events = await subjectTimeline(t.ctx.db, 'calendar', '2026-10-09');
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      kind: 'calendar.override.set',
      actorName: '日历管理员',
      payload: { kind: 'holiday' },
    });

    await cal.setOverride(admin, { day: '2026-10-09', kind: 'workday', note: '改回上班' });
    expect((await cal.listOverrides(2026))[0]?.note).toBe('改回上班');
    await cal.removeOverride(admin, '2026-10-09');
    expect((await cal.addWorkdays('2026-09-30', 7)).value).toBe('2026-10-15');
    const kinds = (await subjectTimeline(t.ctx.db, 'calendar', '2026-10-09')).map((e) => e.kind);
    expect(kinds).toEqual(['calendar.override.set', 'calendar.override.set', 'calendar.override.removed']);
  });

  it('rejects impossible dates, unknown kinds and removing what is not there', async () => {
    const cal = t.ctx.calendar;
    await expect(
      cal.setOverride(admin, { day: '2026-02-30', kind: 'holiday', note: '' }),
    ).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    });
    await expect(
      cal.setOverride(admin, { day: '2026-12-01', kind: 'weekend' as 'holiday', note: '' }),
    ).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    });
    await expect(cal.isWorkday('2026/12/01')).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    await expect(cal.removeOverride(admin, '2026-12-02')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('warns for 2027 until its schedule is entered, then counts with it', async () => {
    const cal = t.ctx.calendar;
    const before = await cal.addWorkdays('2027-09-30', 3);
    expect(before).toEqual({ value: '2027-10-05', warnings: [missingYearWarning(2027)] });
    expect(await cal.yearStatus(2027)).toMatchObject({
      coverage: 'missing',
      warning: missingYearWarning(2027),
    });

    const status = await cal.enterYearSchedule(admin, 2027, schedule2027);
    expect(status).toMatchObject({
      coverage: 'entered',
      warning: null,
      workdays: ['2027-02-06', '2027-10-09'],
    });
    expect(status.holidays).toContain('2027-10-01');
    // 10-01..10-07 off, 10-08 Fri (1), 10-09 Sat 调休 (2), 10-11 Mon (3).
    expect(await cal.addWorkdays('2027-09-30', 3)).toEqual({ value: '2027-10-11', warnings: [] });
    const events = await subjectTimeline(t.ctx.db, 'calendar', '2027');
    expect(events.map((e) => e.kind)).toEqual(['calendar.year.entered']);
  });

  it('refuses a schedule with days outside the year, contradictions, or for an official year — and writes nothing', async () => {
    const cal = t.ctx.calendar;
    await expect(
      cal.enterYearSchedule(admin, 2028, { holidays: ['2027-12-31'], workdays: [], note: '' }),
    ).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    });
    await expect(
      cal.enterYearSchedule(admin, 2028, { holidays: ['2028-01-03'], workdays: ['2028-01-03'], note: '' }),
    ).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    await expect(
      cal.enterYearSchedule(admin, 2026, { holidays: ['2026-01-05'], workdays: [], note: '' }),
    ).rejects.toMatchObject({
      code: 'CONFLICT',
    });
    expect((await cal.yearStatus(2028)).coverage).toBe('missing');
    expect(await cal.listOverrides(2028)).toEqual([]);
  });

  it('keeps every change across a fresh service on the same database', async () => {
    await t.ctx.calendar.setOverride(admin, { day: '2026-12-31', kind: 'holiday', note: '年终盘点' });
    const again = await createCalendar({ db: t.ctx.db });
    expect((await again.isWorkday('2026-12-31')).value).toBe(false);
    expect((await again.yearStatus(2027)).coverage).toBe('entered');
    expect((await again.addWorkdays('2027-09-30', 3)).value).toBe('2027-10-11');
  });

  it('sees a change made through another node after refresh', async () => {
    const other = await createCalendar({ db: t.ctx.db });
    await t.ctx.calendar.setOverride(admin, { day: '2026-12-07', kind: 'holiday', note: '' });
    expect((await other.isWorkday('2026-12-07')).value).toBe(true); // cached until the TTL or a refresh
    await other.refresh();
    expect((await other.isWorkday('2026-12-07')).value).toBe(false);
  });
});
