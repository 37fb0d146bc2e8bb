import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../db/schema.ts';
import { AppError, notFound } from '../errors.ts';
import { type Actor, appendEvent } from '../ledger/ledger.service.ts';
import * as rules from './calendar.rules.ts';
import type {
  CalendarData,
  CalendarOverride,
  Computed,
  DayInfo,
  OverrideKind,
  YearSummary,
} from './calendar.rules.ts';

/**
 * The working-day calendar every deadline counts with. Official data ships with the code; the bureau's overrides
 * and hand-entered years live in the database and are cached in memory. Another API node may change them, so the
 * cache is reloaded when older than `CACHE_TTL_MS` — a minute of staleness is harmless for day-granular deadlines.
 */
export const CACHE_TTL_MS = 60_000;

export interface YearScheduleInput {
  /** Days off (usually weekdays) of the year's official schedule. */
  holidays: string[];
  /** Make-up working days (usually weekend days) of the year's schedule. */
  workdays: string[];
  note: string;
}

export interface WorkdayCalendar {
  isWorkday(day: string): Promise<Computed<boolean>>;
  describeDay(day: string): Promise<Computed<DayInfo>>;
  addWorkdays(start: string, n: number): Promise<Computed<string>>;
  workdaysBetween(a: string, b: string): Promise<Computed<number>>;
  yearStatus(year: number): Promise<YearSummary>;
  listOverrides(year: number): Promise<CalendarOverride[]>;
  setOverride(
    actor: Actor,
    input: { day: string; kind: OverrideKind; note: string },
  ): Promise<CalendarOverride>;
  removeOverride(actor: Actor, day: string): Promise<void>;
  enterYearSchedule(actor: Actor, year: number, input: YearScheduleInput): Promise<YearSummary>;
  /** Drop the cache now (e.g. on a ledger event from another node). */
  refresh(): Promise<void>;
}

type Executor = Kysely<DB> | Transaction<DB>;

/** Overrides and admin-entered years as stored, merged with the packaged official data. */
export async function loadCalendarData(
  db: Executor,
  official = rules.loadOfficialData(),
): Promise<CalendarData> {
  const [overrideRows, yearRows] = await Promise.all([
    db.selectFrom('calendar_override').select(['day', 'kind', 'note']).orderBy('day').execute(),
    db.selectFrom('calendar_year').select('year').execute(),
  ]);
  const overrides = new Map<string, CalendarOverride>();
  for (const r of overrideRows) overrides.set(r.day, { day: r.day, kind: r.kind, note: r.note });
  return { official, overrides, enteredYears: new Set(yearRows.map((r) => r.year)) };
}

function assertKind(kind: string): asserts kind is OverrideKind {
  if (kind !== 'workday' && kind !== 'holiday') {
    throw new AppError('VALIDATION_FAILED', `调整类型“${kind}”无效，应为 workday（上班）或 holiday（休息）`);
  }
}

function assertNote(note: string): void {
  if (note.length > 200) throw new AppError('VALIDATION_FAILED', '说明不能超过 200 个字符');
}

/** One multi-row statement for a whole year's schedule; a day already present takes the new kind and note. */
async function upsertOverrides(tx: Transaction<DB>, actor: Actor, list: CalendarOverride[]): Promise<void> {
  if (list.length === 0) return;
  await tx
    .insertInto('calendar_override')
    .values(list.map((o) => ({ day: o.day, kind: o.kind, note: o.note, created_by: actor.name })))
    .onConflict((oc) =>
      oc.column('day').doUpdateSet((eb) => ({
        kind: eb.ref('excluded.kind'),
        note: eb.ref('excluded.note'),
        created_by: eb.ref('excluded.created_by'),
      })),
    )
    .execute();
}

/** Days of one year's schedule, validated as a whole so a bad list changes nothing. */
function scheduleOverrides(data: CalendarData, year: number, input: YearScheduleInput): CalendarOverride[] {
  if (!Number.isInteger(year) || year < 1900 || year > 2999) {
    throw new AppError('VALIDATION_FAILED', `年份“${year}”无效，应为 1900 到 2999 之间的整数`);
  }
  if (data.official.years.has(year)) {
    throw new AppError(
      'CONFLICT',
      `${year} 年已有国务院公布的官方安排，无需手工录入；个别日期请用“单日调整”修改`,
    );
  }
  assertNote(input.note);
  const out = new Map<string, CalendarOverride>();
  const add = (days: string[], kind: OverrideKind) => {
    for (const day of days) {
      rules.requireDay(day, kind === 'holiday' ? '放假日期' : '上班日期');
      if (!day.startsWith(`${year}-`))
        throw new AppError('VALIDATION_FAILED', `日期 ${day} 不属于 ${year} 年`);
      if (out.has(day) && out.get(day)?.kind !== kind) {
        throw new AppError('VALIDATION_FAILED', `日期 ${day} 同时出现在放假和上班列表中`);
      }
      out.set(day, { day, kind, note: input.note });
    }
  };
  add(input.holidays, 'holiday');
  add(input.workdays, 'workday');
  if (input.holidays.length === 0) throw new AppError('VALIDATION_FAILED', '请至少录入一个放假日期');
  return [...out.values()];
}

export async function createCalendar(deps: { db: Kysely<DB> }): Promise<WorkdayCalendar> {
  const { db } = deps;
  const official = rules.loadOfficialData();
  let data = await loadCalendarData(db, official);
  let loadedAt = Date.now();
  let reloading: Promise<void> | null = null;

  async function reload(): Promise<void> {
    // Concurrent callers share one reload instead of each querying the database.
    reloading ??= loadCalendarData(db, official)
      .then((fresh) => {
        data = fresh;
        loadedAt = Date.now();
      })
      .finally(() => {
        reloading = null;
      });
    await reloading;
  }

  async function current(): Promise<CalendarData> {
    // Stale: reload in the background and answer from the cache. A caller inside a transaction (deadlines are
    // computed in the transaction that starts them) must never wait on the outer handle: PGlite has one
    // connection, so that wait would never end. A minute of staleness is harmless for day-granular deadlines.
    if (Date.now() - loadedAt > CACHE_TTL_MS && !reloading) {
      reload().catch(() => {
        // Database closing or briefly unavailable: keep the cached data and try again after the TTL.
        loadedAt = Date.now();
      });
    }
    return data;
  }

  return {
    async isWorkday(day) {
      return rules.isWorkday(await current(), day);
    },
    async describeDay(day) {
      return rules.describeDay(await current(), day);
    },
    async addWorkdays(start, n) {
      return rules.addWorkdays(await current(), start, n);
    },
    async workdaysBetween(a, b) {
      return rules.workdaysBetween(await current(), a, b);
    },
    async yearStatus(year) {
      return rules.summarizeYear(await current(), year);
    },
    async listOverrides(year) {
      return rules.summarizeYear(await current(), year).overrides;
    },

    async setOverride(actor, input) {
      rules.requireDay(input.day);
      assertKind(input.kind);
      assertNote(input.note);
      const o: CalendarOverride = { day: input.day, kind: input.kind, note: input.note };
      await db.transaction().execute(async (tx) => {
        const before = await tx
          .selectFrom('calendar_override')
          .select(['kind', 'note'])
          .where('day', '=', o.day)
          .executeTakeFirst();
        await upsertOverrides(tx, actor, [o]);
        await appendEvent(tx, {
          actor,
          subjectType: 'calendar',
          subjectId: o.day,
          kind: 'calendar.override.set',
          payload: { day: o.day, kind: o.kind, note: o.note, before: before ?? null },
        });
      });
      await reload();
      return o;
    },

    async removeOverride(actor, day) {
      rules.requireDay(day);
      await db.transaction().execute(async (tx) => {
        const gone = await tx
          .deleteFrom('calendar_override')
          .where('day', '=', day)
          .returning(['kind', 'note'])
          .executeTakeFirst();
        if (!gone) throw notFound(`${day} 的日历调整`);
        await appendEvent(tx, {
          actor,
          subjectType: 'calendar',
          subjectId: day,
          kind: 'calendar.override.removed',
          payload: { day, before: gone },
        });
      });
      await reload();
    },

    async enterYearSchedule(actor, year, input) {
      const days = scheduleOverrides(data, year, input);
      await db.transaction().execute(async (tx) => {
        // Re-entering a year updates the listed days; a day entered by mistake is removed with removeOverride.
        await upsertOverrides(tx, actor, days);
        await tx
          .insertInto('calendar_year')
          .values({ year, note: input.note, entered_by: actor.name })
          .onConflict((oc) => oc.column('year').doUpdateSet({ note: input.note, entered_by: actor.name }))
          .execute();
        await appendEvent(tx, {
          actor,
          subjectType: 'calendar',
          subjectId: String(year),
          kind: 'calendar.year.entered',
          payload: { year, holidays: input.holidays, workdays: input.workdays, note: input.note },
        });
      });
      await reload();
      return rules.summarizeYear(data, year);
    },

    refresh: reload,
  };
}
