import { formatDay, parseDay } from '../calendar/calendar.rules.ts';
import type { WorkdayCalendar } from '../calendar/calendar.service.ts';
import { AppError } from '../errors.ts';
import type { DayKind, DeadlineStatus } from './deadlines.tables.ts';

/**
 * How a legal time limit is counted — no I/O of its own; the working-day calendar is passed in.
 *
 * Counting (docs/deadlines.md): the day of receipt (`startOn`) is never counted — "期间开始的日不计算在内" — so a
 * limit of N working days ends on the N-th working day after it (`calendar.addWorkdays(start, N)` semantics).
 * A natural-day limit ends N days after the start; when that last day is not a working day it moves to the next
 * working day ("期间届满的最后一日为法定节假日的，以节假日后的第一日为期间届满的日期").
 * A 中止 period from `fromOn` to `toOn` does not count: the days after `fromOn` up to and including `toOn` are
 * skipped (for a working-day limit only the working days among them matter). Approved extensions add days.
 * The warning day is the day on which the configured share of the time (ceil(total × ratio)) is used.
 */
export type DayCalendar = Pick<WorkdayCalendar, 'isWorkday' | 'workdaysBetween'>;

export interface PauseSpan {
  fromOn: string;
  /** Null while the pause is still open; an open pause is not counted until it is closed (resume). */
  toOn: string | null;
}

export interface WarnRatio {
  warnNumerator: number;
  warnDenominator: number;
}

export interface ScheduleInput {
  startOn: string;
  days: number;
  dayKind: DayKind;
  /** Approved extensions, in the limit's own kind of days. */
  extendedDays: number;
  pauses: PauseSpan[];
  ratio: WarnRatio;
}

export interface Schedule {
  dueOn: string;
  warnOn: string;
  /** Calendar caveats (a year without an official schedule), Chinese. */
  warnings: string[];
}

/** Longest walk: ten years of days. */
const MAX_WALK = 3660;

function day(iso: string, label: string): number {
  const n = parseDay(iso);
  if (n === null) throw new AppError('VALIDATION_FAILED', `${label}“${iso}”不是有效的日期，应为 YYYY-MM-DD`);
  return n;
}

/** Units of time used when the warning is raised: ceil(total × ratio), between 1 and total. */
export function warnUnits(total: number, ratio: WarnRatio): number {
  const units = Math.ceil((total * ratio.warnNumerator) / ratio.warnDenominator);
  return Math.min(total, Math.max(1, units));
}

/** Due day and warning day of a limit, given its pauses and approved extensions. */
export async function schedule(cal: DayCalendar, input: ScheduleInput): Promise<Schedule> {
  const start = day(input.startOn, '起算日');
  const total = input.days + input.extendedDays;
  if (!Number.isInteger(total) || total < 1) {
    throw new AppError('VALIDATION_FAILED', `时限天数“${total}”无效，应为正整数`);
  }
  const paused = input.pauses
    .filter((p): p is { fromOn: string; toOn: string } => p.toOn !== null)
    .map((p) => [day(p.fromOn, '中止日期'), day(p.toOn, '恢复日期')] as const);
  const isPaused = (n: number) => paused.some(([from, to]) => n > from && n <= to);
  const warnAt = warnUnits(total, input.ratio);
  const warnings = new Set<string>();
  const workday = async (n: number) => {
    const r = await cal.isWorkday(formatDay(n));
    for (const w of r.warnings) warnings.add(w);
    return r.value;
  };

  let used = 0;
  let warnOn = '';
  let n = start;
  while (used < total) {
    n += 1;
    if (n - start > MAX_WALK) throw new AppError('VALIDATION_FAILED', '时限跨度过大，无法计算');
    if (isPaused(n)) continue;
    if (input.dayKind === 'working' && !(await workday(n))) continue;
    used += 1;
    if (used === warnAt) warnOn = formatDay(n);
  }
  if (input.dayKind === 'natural') {
    // The last day of a natural-day limit that falls on a day off moves to the next working day.
    while (!(await workday(n))) {
      n += 1;
      if (n - start > MAX_WALK) throw new AppError('VALIDATION_FAILED', '时限跨度过大，无法计算');
    }
  }
  return { dueOn: formatDay(n), warnOn, warnings: [...warnings] };
}

export type DeadlineState = 'normal' | 'warning' | 'overdue';

/** Display state of a running deadline on `today`; null while paused (the clock stands still) or once closed. */
export function stateOf(
  d: { status: DeadlineStatus; warnOn: string; dueOn: string },
  today: string,
): DeadlineState | null {
  if (d.status !== 'running') return null;
  if (today > d.dueOn) return 'overdue';
  if (today >= d.warnOn) return 'warning';
  return 'normal';
}

/**
 * Days left after `today` up to the due day, in the limit's own kind of days: 0 = due today, negative = overdue by
 * that many (working) days.
 */
export async function remainingDays(
  cal: DayCalendar,
  d: { dayKind: DayKind; dueOn: string },
  today: string,
): Promise<number> {
  if (d.dayKind === 'working') return (await cal.workdaysBetween(today, d.dueOn)).value;
  return day(d.dueOn, '到期日') - day(today, '今天');
}

/** Whether a closed deadline was met in time: on or before its due day. */
export function metInTime(dueOn: string, closedOn: string): boolean {
  return closedOn <= dueOn;
}
