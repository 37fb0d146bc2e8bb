import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { openDatabase } from '../src/platform/db/database.ts';
import { migrateToLatest } from '../src/platform/db/migrate.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteTemplate: string;
    pgTemplate: string;
    databaseUrl: string;
  }
}

/** Migrate once: a PGlite data-directory dump, or a PostgreSQL template database. */
export default async function setup(project: TestProject) {
  const url = process.env.DATABASE_URL;
  if (url) {
    const tpl = `rj_tpl_${process.pid}_${Date.now().toString(36)}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`create database ${tpl} template template0 encoding 'UTF8'`);
    const tplUrl = withDatabase(url, tpl);
    const database = await openDatabase({ databaseUrl: tplUrl });
    await migrateToLatest(database.db);
    await database.close();
    project.provide('pgTemplate', tpl);
    project.provide('databaseUrl', url);
    project.provide('pgliteTemplate', '');
    return async () => {
      const dbs = await admin.query<{ datname: string }>(
        `select datname from pg_database where datname like $1 or datname = $2`,
        [`${testDatabasePrefix(tpl)}%`, tpl],
      );
      for (const { datname } of dbs.rows) {
        await admin.query(`drop database if exists ${datname} with (force)`).catch(() => {});
      }
      await admin.end();
    };
  }
  const pglite = await PGlite.create({ extensions: { pg_trgm } });
  const { PGliteDialect } = await import('../src/platform/db/pglite-dialect.ts');
  const { Kysely } = await import('kysely');
  const db = new Kysely({ dialect: new PGliteDialect(pglite) });
  await migrateToLatest(db);
  const dump = await pglite.dumpDataDir('none');
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'rongjian-test-')), 'template.tar');
  fs.writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
  await pglite.close();
  project.provide('pgliteTemplate', file);
  project.provide('pgTemplate', '');
  project.provide('databaseUrl', '');
  return () => fs.rmSync(path.dirname(file), { recursive: true, force: true });
}

/** Test databases of one run share a prefix derived from its template, so teardown never touches another run's. */
export function testDatabasePrefix(template: string): string {
  return `rj_t_${template.slice('rj_tpl_'.length)}_`;
}

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}
