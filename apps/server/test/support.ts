import fs from 'node:fs';
import pg from 'pg';
import { inject } from 'vitest';
import { loadConfig } from '../src/config.ts';
import { createContext } from '../src/context.ts';
import type { AppContext } from '../src/platform/context.ts';
import { type Database, openDatabase } from '../src/platform/db/database.ts';
import { type App, type BuildOptions, buildApp } from '../src/platform/http/app.ts';
import { forgetTriageModel } from '../src/supervision/analysis/analysis.triage.ts';
import { invalidateSortRules } from '../src/supervision/clues/clues.classifier.ts';
import { testDatabasePrefix, withDatabase } from './global-setup.ts';

/**
 * A fresh, migrated database for one test file: a copy of the template made in global setup —
 * in-memory PGlite by default, a new PostgreSQL database when DATABASE_URL is set.
 */
export async function createTestDatabase(): Promise<Database> {
  const tpl = inject('pgTemplate');
  if (tpl) {
    const url = inject('databaseUrl');
    const name = `${testDatabasePrefix(tpl)}${Math.random().toString(36).slice(2, 10)}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    // CREATE DATABASE … TEMPLATE needs the template to be idle; retry briefly when another worker copies it.
    for (let i = 0; ; i++) {
      try {
        await admin.query(`create database ${name} template ${tpl}`);
        break;
      } catch (err) {
        if (i >= 20 || !/being accessed/.test((err as Error).message)) throw err;
        await new Promise((r) => setTimeout(r, 100 + Math.random() * 200));
      }
    }
    await admin.end();
    const database = await openDatabase({ databaseUrl: withDatabase(url, name) });
    const close = database.close.bind(database);
    database.close = async () => {
      await close();
      const a = new pg.Client({ connectionString: url });
      await a.connect();
      await a.query(`drop database if exists ${name} with (force)`).catch(() => {});
      await a.end();
    };
    return database;
  }
  const file = inject('pgliteTemplate');
  return openDatabase({ loadDataDir: new Blob([fs.readFileSync(file)]) });
}

/** A fixed vault key for tests (never used outside them). */
export const TEST_MASTER_KEY = '0123456789abcdef'.repeat(4);

export interface TestContext {
  ctx: AppContext;
  database: Database;
  close(): Promise<void>;
}

/** Services wired exactly as in production, over a fresh test database. */
export async function createTestContext(env: NodeJS.ProcessEnv = {}): Promise<TestContext> {
  // A test worker runs file after file in one process (vitest.config.ts, isolate: false), each over its own
  // database: what a server process caches about its one database must not carry over.
  forgetTriageModel();
  invalidateSortRules();
  const database = await createTestDatabase();
  const config = loadConfig({ RONGJIAN_LOG_LEVEL: 'silent', RONGJIAN_MASTER_KEY: TEST_MASTER_KEY, ...env });
  const ctx = await createContext(config, database);
  return {
    ctx,
    database,
    async close() {
      await ctx.jobs.stopWorker();
      await ctx.events.stop();
      await database.close();
    },
  };
}

/** The HTTP app over a fresh test database, for `app.inject` route tests. */
export async function createTestApp(
  env: NodeJS.ProcessEnv = {},
  build: BuildOptions = {},
): Promise<TestContext & { app: App }> {
  const t = await createTestContext(env);
  await t.ctx.events.start();
  const app = await buildApp(t.ctx, build);
  await app.ready();
  return {
    ...t,
    app,
    async close() {
      await app.close();
      await t.close();
    },
  };
}
