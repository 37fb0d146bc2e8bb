import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../src/platform/db/database.ts';
import { runCli, type ServerProcess, startServer } from './server-process.ts';

/**
 * Embedded mode as a user runs it: the real binary on a real data directory, stopped cleanly, killed with -9,
 * started twice. These are the failure modes that lose data or hang a bureau's only server.
 */
const dirs: string[] = [];
function dataDir(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'rongjian-life-'));
  dirs.push(d);
  return d;
}
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

const env = (dir: string) => ({ RONGJIAN_DATA_DIR: dir, RONGJIAN_SEED: '0' });

async function adminLogin(p: ServerProcess, password: string): Promise<string> {
  const res = await fetch(`${p.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password }),
  });
  expect(res.status).toBe(200);
  return /rj_session=([^;]+)/.exec(res.headers.get('set-cookie') ?? '')![1]!;
}

function initialPassword(p: ServerProcess): string {
  const m = /初始密码 (\S+?)（/.exec(p.output());
  if (!m) throw new Error(`no initial password in output:\n${p.output()}`);
  return m[1]!;
}

describe('embedded mode lifecycle', () => {
  it('survives kill -9: restarts by itself with every acknowledged write intact', async () => {
    const dir = dataDir();
    const first = await startServer(env(dir));
    const password = initialPassword(first);
    const sessions: string[] = [];
    for (let i = 0; i < 10; i++) sessions.push(await adminLogin(first, password));
    first.child.kill('SIGKILL');
    await first.exited;
    expect(fs.existsSync(path.join(dir, 'postmaster.pid'))).toBe(true);

    const second = await startServer(env(dir));
    expect(second.output()).toContain('上次运行未正常关闭');
    for (const token of sessions) {
      const me = await fetch(`${second.url}/api/auth/me`, { headers: { cookie: `rj_session=${token}` } });
      expect(me.status).toBe(200);
    }
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
  });

  it('refuses a second process on the same data directory while the first runs', async () => {
    const dir = dataDir();
    const first = await startServer(env(dir));
    const second = runCli(['start', '--no-web'], { ...env(dir), PORT: '0' });
    expect(await second.exited).toBe(1);
    expect(second.output()).toContain('正被另一个融监进程');
    expect(second.output()).not.toMatch(/\n\s+at /);
    const health = await fetch(`${first.url}/api/health`);
    expect(health.status).toBe(200);
    first.child.kill('SIGTERM');
    await first.exited;
  });

  it('closes the database cleanly on SIGTERM and SIGINT', async () => {
    const dir = dataDir();
    for (const signal of ['SIGTERM', 'SIGINT'] as const) {
      const p = await startServer(env(dir));
      p.child.kill(signal);
      expect(await p.exited).toBe(0);
      expect(fs.existsSync(path.join(dir, 'rongjian.lock'))).toBe(false);
      expect(fs.existsSync(path.join(dir, 'postmaster.pid'))).toBe(false);
    }
  });

  it('refuses a data directory written by a newer schema version', async () => {
    const dir = dataDir();
    const p = await startServer(env(dir));
    p.child.kill('SIGTERM');
    await p.exited;
    const database = await openDatabase({ dataDir: dir });
    await database.db
      .insertInto('kysely_migration' as never)
      .values({ name: '9999_from_the_future', timestamp: new Date().toISOString() } as never)
      .execute();
    await database.close();
    const again = runCli(['start', '--no-web'], { ...env(dir), PORT: '0' });
    expect(await again.exited).toBe(1);
    expect(again.output()).toContain('9999_from_the_future');
    expect(again.output()).toContain('结构版本比当前程序新');
  });
});

describe('start-up configuration errors', () => {
  it('names an invalid environment variable and exits 1', async () => {
    const p = runCli(['start', '--no-web'], { PORT: 'eighty', RONGJIAN_DATA_DIR: dataDir() });
    expect(await p.exited).toBe(1);
    expect(p.output()).toContain('PORT');
    expect(p.output()).not.toMatch(/\n\s+at /);
  });

  it('names DATABASE_URL when PostgreSQL cannot be reached', async () => {
    const p = runCli(['start', '--no-web'], {
      DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none',
      RONGJIAN_MASTER_KEY: 'ab'.repeat(32),
      PORT: '0',
    });
    expect(await p.exited).toBe(1);
    expect(p.output()).toContain('DATABASE_URL');
    expect(p.output()).not.toMatch(/\n\s+at /);
  });
});
