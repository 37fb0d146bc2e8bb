import { describe, expect, it } from 'vitest';
import * as cal from '../calendar/calendar.rules.ts';
import {
  type DayCalendar,
  metInTime,
  remainingDays,
  schedule,
  stateOf,
  warnUnits,
} from './deadlines.rules.ts';

// The official calendar as shipped (chinese-days), without local overrides.
const data = cal.emptyCalendarData();
const calendar: DayCalendar = {
  isWorkday: async (day) => cal.isWorkday(data, day),
  workdaysBetween: async (a, b) => cal.workdaysBetween(data, a, b),
};
const twoThirds = { warnNumerator: 2, warnDenominator: 3 };

describe('due and warning days', () => {
  it('counts working days from the day after receipt, across the Labour Day holiday and its 调休 Saturday', async () => {
    // Received Thu 2026-04-30; 05-01…05-05 off; Sat 05-09 is worked; Sun 05-10 is not.
    const s = await schedule(calendar, {
      startOn: '2026-04-30',
      days: 7,
      dayKind: 'working',
      extendedDays: 0,
      pauses: [],
      ratio: twoThirds,
    });
    // 05-06, 07, 08, 09 (调休), 11 → warning on the 5th working day; 12, 13 → due on the 7th.
    expect(s).toEqual({ dueOn: '2026-05-13', warnOn: '2026-05-11', warnings: [] });
  });

  it('counts natural days and moves a last day that is a day off to the next working day', async () => {
    const base = { dayKind: 'natural' as const, extendedDays: 0, pauses: [], ratio: twoThirds };
    // 60 days from 2026-04-15 is Sunday 06-14 → Monday 06-15; 2/3 (40 days) is 05-25.
    expect(await schedule(calendar, { ...base, startOn: '2026-04-15', days: 60 })).toMatchObject({
      dueOn: '2026-06-15',
      warnOn: '2026-05-25',
    });
    // 15 days from 2026-09-16 is 10-01 (National Day): the limit ends on 10-08, the first working day after.
    expect((await schedule(calendar, { ...base, startOn: '2026-09-16', days: 15 })).dueOn).toBe('2026-10-08');
  });

  it('does not count paused working days: the due day moves by the working days of the pause', async () => {
    const base = {
      startOn: '2026-06-01',
      days: 15,
      dayKind: 'working' as const,
      extendedDays: 0,
      ratio: twoThirds,
    };
    // 15 working days after Mon 06-01, with 06-19 (端午) off → 06-23.
    expect((await schedule(calendar, { ...base, pauses: [] })).dueOn).toBe('2026-06-23');
    // Paused on 06-08, resumed 06-10: 06-09 and 06-10 do not count → two working days later.
    const paused = await schedule(calendar, {
      ...base,
      pauses: [{ fromOn: '2026-06-08', toOn: '2026-06-10' }],
    });
    expect(paused.dueOn).toBe('2026-06-25');
    // A pause over a weekend only (Fri 06-12 → Sun 06-14) costs no working day.
    const weekend = await schedule(calendar, {
      ...base,
      pauses: [{ fromOn: '2026-06-12', toOn: '2026-06-14' }],
    });
    expect(weekend.dueOn).toBe('2026-06-23');
    // An open pause changes nothing until it is closed.
    const open = await schedule(calendar, { ...base, pauses: [{ fromOn: '2026-06-08', toOn: null }] });
    expect(open.dueOn).toBe('2026-06-23');
  });

  it('does not count paused natural days either', async () => {
    const s = await schedule(calendar, {
      startOn: '2026-07-01',
      days: 10,
      dayKind: 'natural',
      extendedDays: 0,
      pauses: [{ fromOn: '2026-07-03', toOn: '2026-07-06' }],
      ratio: twoThirds,
    });
    // 07-11 plus 3 paused days = Tue 07-14.
    expect(s.dueOn).toBe('2026-07-14');
  });

  it('adds approved extensions in the limit’s own kind of days', async () => {
    const s = await schedule(calendar, {
      startOn: '2026-06-01',
      days: 15,
      dayKind: 'working',
      extendedDays: 15,
      pauses: [],
      ratio: twoThirds,
    });
    expect(s.dueOn).toBe(cal.addWorkdays(data, '2026-06-01', 30).value);
    expect(s.dueOn).toBe('2026-07-14');
    expect(s.warnOn).toBe(cal.addWorkdays(data, '2026-06-01', 20).value);
  });

  it('warns a year without an official schedule', async () => {
    const s = await schedule(calendar, {
      startOn: '2099-03-02',
      days: 5,
      dayKind: 'working',
      extendedDays: 0,
      pauses: [],
      ratio: twoThirds,
    });
    expect(s.warnings).toEqual([cal.missingYearWarning(2099)]);
  });

  it('refuses nonsense instead of guessing', async () => {
    const base = { dayKind: 'working' as const, extendedDays: 0, pauses: [], ratio: twoThirds };
    await expect(schedule(calendar, { ...base, startOn: '2026-02-30', days: 7 })).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    });
    await expect(schedule(calendar, { ...base, startOn: '2026-02-02', days: 0 })).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    });
  });
});

describe('warning share, state and remaining days', () => {
  it('warns when the configured share is used, never before day 1 nor after the due day', () => {
    expect(warnUnits(7, twoThirds)).toBe(5);
    expect(warnUnits(15, twoThirds)).toBe(10);
    expect(warnUnits(1, twoThirds)).toBe(1);
    expect(warnUnits(60, { warnNumerator: 1, warnDenominator: 2 })).toBe(30);
  });

  it('derives the state of a running deadline from today', () => {
    const d = { status: 'running' as const, warnOn: '2026-05-11', dueOn: '2026-05-13' };
    expect(stateOf(d, '2026-05-08')).toBe('normal');
    expect(stateOf(d, '2026-05-11')).toBe('warning');
    expect(stateOf(d, '2026-05-13')).toBe('warning');
    expect(stateOf(d, '2026-05-14')).toBe('overdue');
    expect(stateOf({ ...d, status: 'paused' }, '2026-05-14')).toBeNull();
    expect(stateOf({ ...d, status: 'met' }, '2026-05-14')).toBeNull();
  });

  it('counts remaining working days (negative when overdue) and natural days', async () => {
    // After Fri 05-08: Sat 05-09 (调休, worked), 05-11, 05-12, 05-13.
    expect(await remainingDays(calendar, { dayKind: 'working', dueOn: '2026-05-13' }, '2026-05-08')).toBe(4);
    expect(await remainingDays(calendar, { dayKind: 'working', dueOn: '2026-05-13' }, '2026-05-13')).toBe(0);
    expect(await remainingDays(calendar, { dayKind: 'working', dueOn: '2026-05-08' }, '2026-05-11')).toBe(-2);
    expect(await remainingDays(calendar, { dayKind: 'natural', dueOn: '2026-06-15' }, '2026-06-10')).toBe(5);
    expect(metInTime('2026-05-13', '2026-05-13')).toBe(true);
    expect(metInTime('2026-05-13', '2026-05-14')).toBe(false);
  });
});
