import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../platform/db/database.ts';
import { migrateToLatest } from '../platform/db/migrate.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
const bin = path.join(root, 'apps/server/bin/rongjian.mjs');
const run = promisify(execFile);

let tmp: string;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'rj-calendar-cli-'));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** The real CLI as a user runs it, always in embedded mode against `dataDir`. */
async function cli(dataDir: string, ...args: string[]) {
  const env: NodeJS.ProcessEnv = { ...process.env, RONGJIAN_DATA_DIR: dataDir };
  delete env.DATABASE_URL;
  try {
    const r = await run(process.execPath, [bin, 'calendar', ...args], { cwd: root, env });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('rongjian calendar (no database yet)', () => {
  it('add-workdays prints just the date, warns on stderr, and creates no data directory', async () => {
    const dataDir = path.join(tmp, 'fresh');
    const r = await cli(dataDir, 'add-workdays', '2026-09-30', '7');
    expect(r).toMatchObject({ code: 0, stdout: '2026-10-15\n' });
    expect(r.stderr).toContain('本地工作日历调整未生效');
    expect(fs.existsSync(dataDir)).toBe(false);
  });

  it('is-workday exits 0 for a working day, 1 for a day off, 2 for bad input', async () => {
    const dataDir = path.join(tmp, 'fresh');
    const work = await cli(dataDir, 'is-workday', '2026-10-10');
    expect(work.code).toBe(0);
    expect(work.stdout).toBe('是：国庆节调休上班（周六）\n');
    const off = await cli(dataDir, 'is-workday', '2026-10-03');
    expect(off.code).toBe(1);
    expect(off.stdout).toMatch(/^否：国庆节/);
    const bad = await cli(dataDir, 'is-workday', '2026-02-30');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('不是有效的日期');
    expect((await cli(dataDir, 'is-workday')).code).toBe(2);
  });

  it('warns when the answer reaches into a year without official data', async () => {
    const dataDir = path.join(tmp, 'fresh');
    const r = await cli(dataDir, 'add-workdays', '2026-12-30', '3');
    expect(r).toMatchObject({ code: 0, stdout: '2027-01-04\n' });
    expect(r.stderr).toContain('2027 年的法定节假日安排尚未收录');
    const status = await cli(dataDir, 'status', '2027');
    expect(status.stdout).toContain('2027 年：尚未收录');
    expect(status.stdout).toContain('系统管理 › 工作日历');
  });

  it('between counts working days after a up to and including b', async () => {
    const r = await cli(path.join(tmp, 'fresh'), 'between', '2026-09-30', '2026-10-15');
    expect(r).toMatchObject({ code: 0, stdout: '7\n' });
  });

  it('has Chinese help', async () => {
    const r = await cli(path.join(tmp, 'fresh'), '--help');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('add-workdays <date> <n>');
    expect(r.stdout).toContain('工作日');
  });
});

describe('rongjian calendar (embedded database)', () => {
  const dataDir = () => path.join(tmp, 'with-db');

  beforeAll(async () => {
    const database = await openDatabase({ dataDir: dataDir() });
    await migrateToLatest(database.db);
    await database.db
      .insertInto('calendar_override')
      .values({ day: '2026-10-09', kind: 'holiday', note: '局机关搬迁', created_by: 'test' })
      .execute();
    await database.close();
  });

  it('applies the local overrides', async () => {
    const r = await cli(dataDir(), 'add-workdays', '2026-09-30', '7');
    expect(r).toMatchObject({ code: 0, stdout: '2026-10-16\n', stderr: '' });
    const off = await cli(dataDir(), 'is-workday', '2026-10-09');
    expect(off.code).toBe(1);
    expect(off.stdout).toContain('局机关搬迁');
  });

  it('falls back to official data while a server holds the data directory', async () => {
    const held = await openDatabase({ dataDir: dataDir() });
    try {
      const r = await cli(dataDir(), 'add-workdays', '2026-09-30', '7');
      expect(r).toMatchObject({ code: 0, stdout: '2026-10-15\n' });
      expect(r.stderr).toContain('正被运行中的融监平台使用');
      expect(r.stderr).toContain('本地工作日历调整未生效');
    } finally {
      await held.close();
    }
  });
});
