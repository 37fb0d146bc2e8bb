import officialJson from 'chinese-days/dist/chinese-days.json' with { type: 'json' };
import { AppError } from '../errors.ts';

/**
 * 工作日 rules, free of I/O: official State Council holidays and 调休 from `chinese-days`, plus the bureau's own
 * overrides. Dates are ISO `YYYY-MM-DD` strings handled as whole day numbers (days since 1970-01-01), so no
 * timezone ever enters the arithmetic. Every answer carries `warnings` (Chinese) so a result computed for a year
 * without a schedule cannot reach a user without its caveat.
 */
export type OverrideKind = 'workday' | 'holiday';
export type YearCoverage = 'official' | 'entered' | 'missing';

export interface CalendarOverride {
  day: string;
  kind: OverrideKind;
  note: string;
}

export interface OfficialData {
  /** Day → `English,中文,天数` for official days off; `workdays` for official make-up working days (调休上班). */
  holidays: Readonly<Record<string, string>>;
  workdays: Readonly<Record<string, string>>;
  /** Years the package has a published schedule for, derived from its data. */
  years: ReadonlySet<number>;
}

export interface CalendarData {
  official: OfficialData;
  overrides: ReadonlyMap<string, CalendarOverride>;
  /** Years whose schedule an administrator entered by hand (no official data yet). */
  enteredYears: ReadonlySet<number>;
}

export interface Computed<T> {
  value: T;
  warnings: string[];
}

export interface DayInfo {
  day: string;
  workday: boolean;
  /** Why, in Chinese: `国庆节（法定节假日）`, `周六（休息日）`, `本地调整：…`. */
  reason: string;
}

/** The package's data as shipped; coverage is whatever years appear in it, so an upgrade extends it. */
export function loadOfficialData(): OfficialData {
  const years = new Set<number>();
  for (const day of Object.keys(officialJson.holidays)) years.add(Number(day.slice(0, 4)));
  return { holidays: officialJson.holidays, workdays: officialJson.workdays, years };
}

export function emptyCalendarData(official = loadOfficialData()): CalendarData {
  return { official, overrides: new Map(), enteredYears: new Set() };
}

// ── dates as day numbers ─────────────────────────────────────────────────────────────────────────────────────
const ISO_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MS_PER_DAY = 86_400_000;
/** Longest span a single computation walks, so a typo like 9999-01-01 cannot pin the CPU. */
const MAX_SPAN_DAYS = 366 * 50;
const WEEKDAY_NAMES = ['周日', '周一', '周二', '周三', '周四', '周五', '周六'];

/** Day number of a real calendar date, or null (2026-02-30, 2026-9-1 and garbage are all null). */
export function parseDay(iso: string): number | null {
  const m = ISO_RE.exec(iso);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (y < 1900 || y > 2999 || mo < 1 || mo > 12 || d < 1) return null;
  const ms = Date.UTC(y, mo - 1, d);
  const back = new Date(ms);
  if (back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) return null;
  return ms / MS_PER_DAY;
}

export function isValidDay(iso: string): boolean {
  return parseDay(iso) !== null;
}

export function requireDay(iso: string, label = '日期'): number {
  const n = parseDay(iso);
  if (n === null)
    throw new AppError('VALIDATION_FAILED', `${label}“${iso}”不是有效的日期，应为 YYYY-MM-DD 格式的真实日期`);
  return n;
}

export function formatDay(n: number): string {
  return new Date(n * MS_PER_DAY).toISOString().slice(0, 10);
}

/** 0 = Sunday … 6 = Saturday; 1970-01-01 was a Thursday. */
export function weekdayOf(n: number): number {
  return (((n + 4) % 7) + 7) % 7;
}

/** Today's date in China (UTC+8, no daylight saving), whatever the server's own timezone. */
/** Midnight in China (UTC+8, no daylight saving) of `day` (`YYYY-MM-DD`) plus `plusDays`, as an instant. */
export function chinaDayStart(day: string, plusDays = 0): Date {
  return new Date(Date.parse(`${day}T00:00:00+08:00`) + plusDays * 86_400_000);
}

export function todayInChina(now: number = Date.now()): string {
  return new Date(now + 8 * 3_600_000).toISOString().slice(0, 10);
}

/** The day (`YYYY-MM-DD`, China time) an instant falls on: a Date, or a timestamp as ISO text. */
export function chinaDayOf(at: Date | string): string {
  return todayInChina(typeof at === 'string' ? Date.parse(at) : at.getTime());
}

// ── coverage ─────────────────────────────────────────────────────────────────────────────────────────────────
export function yearCoverage(data: CalendarData, year: number): YearCoverage {
  if (data.official.years.has(year)) return 'official';
  if (data.enteredYears.has(year)) return 'entered';
  return 'missing';
}

export function missingYearWarning(year: number): string {
  return `${year} 年的法定节假日安排尚未收录，按普通周末计算，结果可能不准确；请管理员在“系统管理 › 工作日历”录入。`;
}

/** Warnings for every year in the day range [from, to] that has no schedule. */
function rangeWarnings(data: CalendarData, from: number, to: number): string[] {
  const first = Number(formatDay(Math.min(from, to)).slice(0, 4));
  const last = Number(formatDay(Math.max(from, to)).slice(0, 4));
  const out: string[] = [];
  for (let y = first; y <= last; y++)
    if (yearCoverage(data, y) === 'missing') out.push(missingYearWarning(y));
  return out;
}

// ── single days ──────────────────────────────────────────────────────────────────────────────────────────────
function holidayName(entry: string): string {
  return entry.split(',')[1] ?? entry;
}

/** Overrides win over official data, which wins over the plain Monday–Friday week. */
function classify(data: CalendarData, n: number): DayInfo {
  const day = formatDay(n);
  const override = data.overrides.get(day);
  const weekday = WEEKDAY_NAMES[weekdayOf(n)] ?? '';
  if (override) {
    const what = override.kind === 'workday' ? '上班' : '休息';
    return {
      day,
      workday: override.kind === 'workday',
      reason: `本地调整${what}${override.note ? `：${override.note}` : ''}（${weekday}）`,
    };
  }
  const madeUp = data.official.workdays[day];
  if (madeUp) return { day, workday: true, reason: `${holidayName(madeUp)}调休上班（${weekday}）` };
  const holiday = data.official.holidays[day];
  if (holiday) return { day, workday: false, reason: `${holidayName(holiday)}（法定节假日，${weekday}）` };
  const weekend = weekdayOf(n) === 0 || weekdayOf(n) === 6;
  return { day, workday: !weekend, reason: weekend ? `${weekday}（休息日）` : `${weekday}（工作日）` };
}

function workdayAt(data: CalendarData, n: number): boolean {
  return classify(data, n).workday;
}

export function describeDay(data: CalendarData, day: string): Computed<DayInfo> {
  const n = requireDay(day);
  return { value: classify(data, n), warnings: rangeWarnings(data, n, n) };
}

export function isWorkday(data: CalendarData, day: string): Computed<boolean> {
  const { value, warnings } = describeDay(data, day);
  return { value: value.workday, warnings };
}

// ── spans ────────────────────────────────────────────────────────────────────────────────────────────────────
/**
 * The n-th working day after `start` (n ≥ 0). The day of receipt is never counted: with n = 1 the answer is the
 * first working day after `start`. n = 0 returns `start` itself, unchanged, whatever kind of day it is.
 */
export function addWorkdays(data: CalendarData, start: string, n: number): Computed<string> {
  const from = requireDay(start, '起始日期');
  if (!Number.isInteger(n) || n < 0 || n > 5000) {
    throw new AppError('VALIDATION_FAILED', `工作日天数“${n}”无效，应为 0 到 5000 之间的整数`);
  }
  let day = from;
  for (let left = n; left > 0; ) {
    day += 1;
    if (day - from > MAX_SPAN_DAYS) throw new AppError('VALIDATION_FAILED', '日期跨度过大，无法计算');
    if (workdayAt(data, day)) left -= 1;
  }
  return { value: formatDay(day), warnings: n === 0 ? [] : rangeWarnings(data, from + 1, day) };
}

/**
 * Working days in the half-open interval (a, b]: after `a`, up to and including `b` — the count of days that
 * `addWorkdays` would step over, so `workdaysBetween(a, addWorkdays(a, n)) === n`. Equal dates give 0; when
 * `b` is before `a` the answer is the negated count of (b, a], e.g. how many working days a deadline is overdue.
 */
export function workdaysBetween(data: CalendarData, a: string, b: string): Computed<number> {
  const from = requireDay(a, '开始日期');
  const to = requireDay(b, '结束日期');
  if (Math.abs(to - from) > MAX_SPAN_DAYS)
    throw new AppError('VALIDATION_FAILED', '日期跨度过大（超过 50 年），无法计算');
  const [lo, hi, sign] = from <= to ? [from, to, 1] : [to, from, -1];
  let count = 0;
  for (let d = lo + 1; d <= hi; d++) if (workdayAt(data, d)) count += 1;
  return { value: sign * count || 0, warnings: hi > lo ? rangeWarnings(data, lo + 1, hi) : [] };
}

export interface YearSummary {
  year: number;
  coverage: YearCoverage;
  warning: string | null;
  overrides: CalendarOverride[];
  /** Monday–Friday days that are not worked (official holidays and local closures). */
  holidays: string[];
  /** Saturdays and Sundays that are worked (调休 and local make-up days). */
  workdays: string[];
}

export function summarizeYear(data: CalendarData, year: number): YearSummary {
  if (!Number.isInteger(year) || year < 1900 || year > 2999) {
    throw new AppError('VALIDATION_FAILED', `年份“${year}”无效，应为 1900 到 2999 之间的整数`);
  }
  const first = Date.UTC(year, 0, 1) / MS_PER_DAY;
  const last = Date.UTC(year, 11, 31) / MS_PER_DAY;
  const holidays: string[] = [];
  const workdays: string[] = [];
  for (let n = first; n <= last; n++) {
    const weekend = weekdayOf(n) === 0 || weekdayOf(n) === 6;
    const work = workdayAt(data, n);
    if (!weekend && !work) holidays.push(formatDay(n));
    if (weekend && work) workdays.push(formatDay(n));
  }
  const prefix = `${year}-`;
  const overrides = [...data.overrides.values()]
    .filter((o) => o.day.startsWith(prefix))
    .sort((x, y) => x.day.localeCompare(y.day));
  const coverage = yearCoverage(data, year);
  return {
    year,
    coverage,
    warning: coverage === 'missing' ? missingYearWarning(year) : null,
    overrides,
    holidays,
    workdays,
  };
}
