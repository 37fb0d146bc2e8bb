import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { ConfigError, loadConfig } from '../config.ts';
import { loadCalendarData } from '../platform/calendar/calendar.service.ts';
import * as rules from '../platform/calendar/calendar.rules.ts';
import type { CalendarData, Computed } from '../platform/calendar/calendar.rules.ts';
import { type Database, DatabaseUnavailableError, openDatabase } from '../platform/db/database.ts';
import { DataDirBusyError } from '../platform/db/datadir-lock.ts';
import { AppError } from '../platform/errors.ts';

/** Exit codes of `calendar is-workday`, and 2 for any bad input in every calendar subcommand. */
const EXIT_WORKDAY = 0;
const EXIT_NOT_WORKDAY = 1;
const EXIT_INVALID = 2;

interface Loaded {
  data: CalendarData;
  /** Set when the bureau's overrides could not be read, so the answer rests on official data alone. */
  fallbackReason: string | null;
}

/**
 * The calendar as the configured database sees it. A calendar question must never create or migrate `./data`,
 * and must still be answerable while the server holds the embedded data directory — in those cases it falls back
 * to official data and says so on stderr.
 */
async function loadForCli(): Promise<Loaded> {
  const official = rules.loadOfficialData();
  const fallback = (reason: string): Loaded => ({
    data: rules.emptyCalendarData(official),
    fallbackReason: reason,
  });
  const config = loadConfig();
  if (!config.databaseUrl && !fs.existsSync(path.join(config.dataDir, 'PG_VERSION'))) {
    return fallback(`数据目录 ${config.dataDir} 中还没有数据库`);
  }
  let database: Database;
  try {
    database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  } catch (err) {
    if (err instanceof DataDirBusyError) return fallback('数据目录正被运行中的融监平台使用');
    if (err instanceof DatabaseUnavailableError) return fallback(err.message);
    throw err;
  }
  try {
    return { data: await loadCalendarData(database.db, official), fallbackReason: null };
  } catch (err) {
    // Typically a database whose migrations have not run yet: there are no overrides to apply.
    const message = (err as Error).message;
    return fallback(
      /does not exist/.test(message)
        ? '数据库尚未初始化（未执行迁移）'
        : `读取本地工作日历失败（${message}）`,
    );
  } finally {
    await database.close();
  }
}

function warn(lines: string[]): void {
  for (const l of lines) console.error(`警告：${l}`);
}

/**
 * Run one subcommand: check the arguments first (a typo should not wait for the database), then load the
 * calendar, print warnings to stderr, and map bad input to exit code 2.
 */
async function run<A>(parse: () => A, body: (data: CalendarData, args: A) => number): Promise<void> {
  try {
    const args = parse();
    const { data, fallbackReason } = await loadForCli();
    if (fallbackReason)
      warn([`${fallbackReason}，本地工作日历调整未生效，结果仅依据国务院公布的节假日安排。`]);
    process.exitCode = body(data, args);
  } catch (err) {
    if (err instanceof AppError || err instanceof ConfigError) {
      console.error(`错误：${err.message}`);
      process.exitCode = EXIT_INVALID;
      return;
    }
    throw err;
  }
}

function emit<T>(r: Computed<T>): T {
  warn(r.warnings);
  return r.value;
}

function parseCount(raw: string): number {
  if (!/^\d{1,4}$/.test(raw))
    throw new AppError('VALIDATION_FAILED', `工作日天数“${raw}”无效，应为 0 到 5000 之间的整数`);
  return Number(raw);
}

function parseYear(raw: string): number {
  if (!/^\d{4}$/.test(raw)) throw new AppError('VALIDATION_FAILED', `年份“${raw}”无效，应为四位数字`);
  return Number(raw);
}

const COVERAGE_TEXT = {
  official: '已收录国务院公布的官方安排',
  entered: '由管理员手工录入',
  missing: '尚未收录',
} as const;

function printStatus(data: CalendarData, year: number): void {
  const s = rules.summarizeYear(data, year);
  console.log(`${year} 年：${COVERAGE_TEXT[s.coverage]}`);
  if (s.warning) console.log(`  ⚠ ${s.warning}`);
  console.log(`  工作日放假 ${s.holidays.length} 天${s.holidays.length ? `：${s.holidays.join(' ')}` : ''}`);
  console.log(`  周末上班 ${s.workdays.length} 天${s.workdays.length ? `：${s.workdays.join(' ')}` : ''}`);
  for (const o of s.overrides) {
    console.log(
      `  本地调整 ${o.day} ${o.kind === 'workday' ? '上班' : '休息'}${o.note ? `（${o.note}）` : ''}`,
    );
  }
}

export function registerCalendarCommands(program: Command): void {
  const calendar = program
    .command('calendar')
    .description('工作日历：法定节假日与调休、本地调整，按工作日计算期限')
    // Usage errors exit 2, so `is-workday`'s exit status 1 always means "not a working day"; subcommands
    // created below inherit this.
    .exitOverride((err) => process.exit(err.exitCode === 0 ? 0 : EXIT_INVALID));

  calendar
    .command('add-workdays')
    .description('输出 <date> 之后第 <n> 个工作日（收到当日不计入），如 add-workdays 2026-09-30 7')
    .argument('<date>', '起始日期（收到日），YYYY-MM-DD')
    .argument('<n>', '工作日天数（≥ 0；0 表示当日本身）')
    .action((date: string, n: string) =>
      run(
        () => {
          rules.requireDay(date, '起始日期');
          return parseCount(n);
        },
        (data, count) => {
          console.log(emit(rules.addWorkdays(data, date, count)));
          return 0;
        },
      ),
    );

  calendar
    .command('is-workday')
    .description('判断某日是否为工作日：是则退出码 0，否则 1，输入无效为 2')
    .argument('<date>', '日期，YYYY-MM-DD')
    .action((date: string) =>
      run(
        () => rules.requireDay(date),
        (data) => {
          const info = emit(rules.describeDay(data, date));
          console.log(`${info.workday ? '是' : '否'}：${info.reason}`);
          return info.workday ? EXIT_WORKDAY : EXIT_NOT_WORKDAY;
        },
      ),
    );

  calendar
    .command('between')
    .description('统计 <a> 之后至 <b>（含 b）的工作日数；b 早于 a 时为负数')
    .argument('<a>', '开始日期（不计入），YYYY-MM-DD')
    .argument('<b>', '结束日期（计入），YYYY-MM-DD')
    .action((a: string, b: string) =>
      run(
        () => [rules.requireDay(a, '开始日期'), rules.requireDay(b, '结束日期')],
        (data) => {
          console.log(String(emit(rules.workdaysBetween(data, a, b))));
          return 0;
        },
      ),
    );

  calendar
    .command('status')
    .description('显示某年的节假日数据是否已收录及本地调整（默认今年和明年）')
    .argument('[year]', '年份，如 2027')
    .action((year: string | undefined) =>
      run(
        () => {
          const thisYear = Number(rules.todayInChina().slice(0, 4));
          return year === undefined ? [thisYear, thisYear + 1] : [parseYear(year)];
        },
        (data, years) => {
          for (const y of years) printStatus(data, y);
          return 0;
        },
      ),
    );
}
