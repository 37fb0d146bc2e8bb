import pg from 'pg';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { testDatabasePrefix, withDatabase } from '../global-setup.ts';
import { runCli, startServer } from '../server-process.ts';
import { TEST_MASTER_KEY } from '../support.ts';

/**
 * Server mode through the real binary: `DATABASE_URL=… npm start` on an empty PostgreSQL database migrates,
 * creates one administrator (never the demo accounts) and reports the backend. Runs in the PostgreSQL suite.
 */
const url = inject('databaseUrl');
const name = `${testDatabasePrefix(inject('pgTemplate'))}server`;
const admin = new pg.Client({ connectionString: url });

afterAll(async () => {
  await admin.query(`drop database if exists ${name} with (force)`);
  await admin.end();
});

describe('server mode (DATABASE_URL)', () => {
  it('starts on an empty PostgreSQL database with one administrator and no demo accounts', async () => {
    await admin.connect();
    await admin.query(`create database ${name} template template0 encoding 'UTF8'`);
    const databaseUrl = withDatabase(url, name);
    const p = await startServer({
      DATABASE_URL: databaseUrl,
      RONGJIAN_DEMO_PASSWORD: 'Demo-Passw0rd',
      RONGJIAN_MASTER_KEY: TEST_MASTER_KEY,
    });
    const health = await (await fetch(`${p.url}/api/health`)).json();
    expect(health).toMatchObject({ status: 'ok', database: 'postgresql' });
    expect(p.output()).toContain('已创建系统管理员 admin');

    const users = await admin.query(`select 1`).then(async () => {
      const c = new pg.Client({ connectionString: databaseUrl });
      await c.connect();
      const r = await c.query<{ username: string; is_demo: boolean; must_change_password: boolean }>(
        'select username, is_demo, must_change_password from app_user',
      );
      await c.end();
      return r.rows;
    });
    expect(users).toEqual([{ username: 'admin', is_demo: false, must_change_password: true }]);

    const status = runCli(['db', 'status'], {
      DATABASE_URL: databaseUrl,
      RONGJIAN_MASTER_KEY: TEST_MASTER_KEY,
    });
    expect(await status.exited).toBe(0);
    expect(status.output()).toContain('全部迁移均已执行');

    p.child.kill('SIGTERM');
    expect(await p.exited).toBe(0);
  });
});

describe('server mode without a vault key', () => {
  it('refuses to start and names RONGJIAN_MASTER_KEY', async () => {
    // The check comes before any connection: the database named here does not even exist.
    const p = runCli(['start', '--no-web'], {
      DATABASE_URL: withDatabase(url, 'rj_t_never_created'),
      PORT: '0',
    });
    expect(await p.exited).toBe(1);
    expect(p.output()).toContain('RONGJIAN_MASTER_KEY');
    expect(p.output()).not.toMatch(/\n\s+at /);
  });
});
