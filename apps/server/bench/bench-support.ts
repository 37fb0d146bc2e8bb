import pg from 'pg';
import { loadConfig } from '../src/config.ts';
import { createContext } from '../src/context.ts';
import type { AppContext } from '../src/platform/context.ts';
import { type Database, openDatabase } from '../src/platform/db/database.ts';
import { migrateToLatest } from '../src/platform/db/migrate.ts';

/** Shared by the PostgreSQL benchmarks: a timestamped log, percentiles, and a temporary database per run. */
export const BENCH_PASSWORD = 'Bench-Passw0rd';

/** `[  12 s] message`, seconds since the logger was made. */
export function benchLogger(): (m: string) => void {
  const t0 = Date.now();
  return (m) => console.log(`[${((Date.now() - t0) / 1000).toFixed(0).padStart(4)} s] ${m}`);
}

export function percentile(samples: number[], q: number): number {
  const s = [...samples].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? Number.NaN;
}

/**
 * Run `fn` against a fresh database `rongjian_bench_<suite>_<pid>` on the server of `pgUrl`: migrated, with the
 * services wired as in production. Dropped afterwards unless `keep` (then its name is printed for analysis).
 */
export async function withBenchDatabase(
  opts: { pgUrl: string; suite: string; keep?: boolean | undefined },
  log: (m: string) => void,
  fn: (ctx: AppContext, database: Database, url: string) => Promise<void>,
): Promise<void> {
  const name = `rongjian_bench_${opts.suite}_${process.pid}`;
  const admin = new pg.Client({ connectionString: opts.pgUrl });
  await admin.connect();
  await admin.query(`create database ${name} template template0 encoding 'UTF8'`);
  await admin.end();
  const url = new URL(opts.pgUrl);
  url.pathname = `/${name}`;
  log(`PostgreSQL：临时数据库 ${name}`);
  const database = await openDatabase({ databaseUrl: url.toString() });
  try {
    await migrateToLatest(database.db);
    const config = loadConfig({ RONGJIAN_LOG_LEVEL: 'silent', RONGJIAN_MASTER_KEY: 'ab'.repeat(32) });
    await fn(await createContext(config, database), database, url.toString());
  } finally {
    await database.close();
    if (!opts.keep) {
      const a = new pg.Client({ connectionString: opts.pgUrl });
      await a.connect();
      await a.query(`drop database if exists ${name} with (force)`);
      await a.end();
    } else log(`保留数据库 ${name}（--keep）`);
  }
}
