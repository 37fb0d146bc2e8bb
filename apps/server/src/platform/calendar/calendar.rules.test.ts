import { describe, expect, it } from 'vitest';
import {
  addWorkdays,
  type CalendarData,
  type CalendarOverride,
  describeDay,
  emptyCalendarData,
  formatDay,
  isValidDay,
  isWorkday,
  loadOfficialData,
  missingYearWarning,
  parseDay,
  summarizeYear,
  todayInChina,
  weekdayOf,
  workdaysBetween,
  yearCoverage,
} from './calendar.rules.ts';

const official = emptyCalendarData();

function withOverrides(list: CalendarOverride[], enteredYears: number[] = []): CalendarData {
  return {
    official: official.official,
    overrides: new Map(list.map((o) => [o.day, o])),
    enteredYears: new Set(enteredYears),
  };
}

describe('dates', () => {
  it('accepts only real calendar dates in YYYY-MM-DD form', () => {
    expect(isValidDay('2026-02-28')).toBe(true);
    expect(isValidDay('2028-02-29')).toBe(true);
    for (const bad of [
      '2026-02-29',
      '2026-02-30',
      '2026-13-01',
      '2026-9-1',
      '2026-09-01T00:00',
      '',
      'tomorrow',
    ]) {
      expect(isValidDay(bad), bad).toBe(false);
    }
  });

  it('round-trips day numbers and knows weekdays without any timezone', () => {
    expect(formatDay(parseDay('2026-11-28') as number)).toBe('2026-11-28');
    expect(weekdayOf(parseDay('2026-11-28') as number)).toBe(6); // a Saturday
    expect(weekdayOf(parseDay('1969-12-31') as number)).toBe(3);
  });

  it("reads today's date in China time", () => {
    // 2026-11-27T17:30Z is already 01:30 on the 28th in Beijing.
    expect(todayInChina(Date.UTC(2026, 10, 27, 17, 30))).toBe('2026-11-28');
  });
});

describe('official data', () => {
  it('derives covered years from the package data', () => {
    const { years } = loadOfficialData();
    expect(years.has(2026)).toBe(true);
    expect(years.has(2027)).toBe(false);
    expect(yearCoverage(official, 2026)).toBe('official');
    expect(yearCoverage(official, 2027)).toBe('missing');
  });

  it('treats 国庆 2026 as days off and the 调休 Saturday as a working day', () => {
    expect(isWorkday(official, '2026-10-01').value).toBe(false);
    expect(isWorkday(official, '2026-10-07').value).toBe(false); // a Wednesday inside the holiday
    expect(isWorkday(official, '2026-10-08').value).toBe(true);
    expect(isWorkday(official, '2026-10-10')).toEqual({ value: true, warnings: [] }); // Saturday 调休上班
    expect(isWorkday(official, '2026-09-20').value).toBe(true); // Sunday 调休上班
    expect(describeDay(official, '2026-10-01').value.reason).toContain('国庆节');
  });

  it('knows the 春节 2026 调休 Saturdays and the holiday weekdays', () => {
    expect(isWorkday(official, '2026-02-14').value).toBe(true);
    expect(isWorkday(official, '2026-02-28').value).toBe(true);
    expect(isWorkday(official, '2026-02-16').value).toBe(false);
    expect(isWorkday(official, '2026-02-23').value).toBe(false);
    expect(describeDay(official, '2026-02-14').value.reason).toBe('春节调休上班（周六）');
  });

  it('treats an ordinary weekend as days off and a weekday as a working day', () => {
    expect(isWorkday(official, '2026-11-28').value).toBe(false);
    expect(isWorkday(official, '2026-11-29').value).toBe(false);
    expect(isWorkday(official, '2026-11-30').value).toBe(true);
  });
});

describe('addWorkdays', () => {
  it('2026-09-30 + 7 working days skips 国庆 and counts the 10-10 调休 Saturday: 2026-10-15', () => {
    // 10-01..10-07 off; 10-08 Thu (1), 10-09 Fri (2), 10-10 Sat 调休 (3), 10-12..10-15 Mon–Thu (4–7).
    expect(addWorkdays(official, '2026-09-30', 7)).toEqual({ value: '2026-10-15', warnings: [] });
  });

  it('never counts the day of receipt', () => {
    expect(addWorkdays(official, '2026-11-27', 1).value).toBe('2026-11-30'); // Friday + 1 → Monday
    expect(addWorkdays(official, '2026-11-28', 1).value).toBe('2026-11-30'); // received on a Saturday
  });

  it('returns the start itself for n = 0, even on a holiday', () => {
    expect(addWorkdays(official, '2026-10-03', 0)).toEqual({ value: '2026-10-03', warnings: [] });
  });

  it('crosses into a year without official data and says so', () => {
    const r = addWorkdays(official, '2026-12-30', 3);
    expect(r.value).toBe('2027-01-04'); // 12-31, 2027-01-01 (counted as a plain Friday), 01-04
    expect(r.warnings).toEqual([missingYearWarning(2027)]);
    expect(r.warnings[0]).toContain('2027 年的法定节假日安排尚未收录');
  });

  it('rejects a negative or fractional count and an impossible date', () => {
    expect(() => addWorkdays(official, '2026-09-30', -1)).toThrow(/无效/);
    expect(() => addWorkdays(official, '2026-09-30', 1.5)).toThrow(/无效/);
    expect(() => addWorkdays(official, '2026-02-30', 1)).toThrow(/不是有效的日期/);
  });
});

describe('workdaysBetween', () => {
  it('counts working days after a, up to and including b', () => {
    expect(workdaysBetween(official, '2026-09-30', '2026-10-15').value).toBe(7);
    expect(workdaysBetween(official, '2026-11-23', '2026-11-27').value).toBe(4); // Mon → Fri: Tue..Fri
    expect(workdaysBetween(official, '2026-11-27', '2026-11-27').value).toBe(0);
  });

  it('is the inverse of addWorkdays and negative when b is before a', () => {
    for (const n of [0, 1, 5, 20, 60]) {
      const end = addWorkdays(official, '2026-01-30', n).value;
      expect(workdaysBetween(official, '2026-01-30', end).value).toBe(n);
    }
    expect(workdaysBetween(official, '2026-10-15', '2026-09-30').value).toBe(-7);
  });

  it('warns for a range that reaches into 2027', () => {
    const r = workdaysBetween(official, '2026-12-25', '2027-01-08');
    expect(r.value).toBe(10);
    expect(r.warnings).toEqual([missingYearWarning(2027)]);
  });
});

describe('overrides', () => {
  it('win over official data in both directions', () => {
    const data = withOverrides([
      { day: '2026-10-10', kind: 'holiday', note: '本地调休取消' },
      { day: '2026-11-30', kind: 'holiday', note: '办公楼停电' },
      { day: '2026-11-28', kind: 'workday', note: '集中整治加班' },
    ]);
    expect(isWorkday(data, '2026-10-10').value).toBe(false);
    expect(isWorkday(data, '2026-11-30').value).toBe(false);
    expect(describeDay(data, '2026-11-30').value.reason).toContain('办公楼停电');
    expect(isWorkday(data, '2026-11-28').value).toBe(true);
    expect(addWorkdays(data, '2026-09-30', 7).value).toBe('2026-10-16');
  });

  it('an admin-entered year is no longer missing and uses its entered days', () => {
    const data = withOverrides(
      [
        { day: '2027-01-01', kind: 'holiday', note: '元旦' },
        { day: '2027-01-02', kind: 'holiday', note: '元旦' },
      ],
      [2027],
    );
    expect(yearCoverage(data, 2027)).toBe('entered');
    expect(addWorkdays(data, '2026-12-30', 3)).toEqual({ value: '2027-01-05', warnings: [] });
  });
});

describe('summarizeYear', () => {
  it('lists non-working weekdays and working weekend days', () => {
    const s = summarizeYear(official, 2026);
    expect(s.coverage).toBe('official');
    expect(s.warning).toBeNull();
    expect(s.holidays).toContain('2026-10-01');
    expect(s.holidays).not.toContain('2026-10-03'); // a Saturday is off anyway
    expect(s.workdays).toEqual([
      '2026-01-04',
      '2026-02-14',
      '2026-02-28',
      '2026-05-09',
      '2026-09-20',
      '2026-10-10',
    ]);
  });

  it('carries the warning for a missing year', () => {
    const s = summarizeYear(official, 2027);
    expect(s).toMatchObject({
      coverage: 'missing',
      warning: missingYearWarning(2027),
      holidays: [],
      workdays: [],
    });
  });
});
