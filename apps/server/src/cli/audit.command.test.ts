import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../test/server-process.ts';
import { createAuditService } from '../platform/audit/audit.service.ts';
import { openDatabase } from '../platform/db/database.ts';
import { migrateToLatest } from '../platform/db/migrate.ts';

let tmp: string;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'rj-audit-cli-'));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** `rongjian audit verify` as an operator runs it, embedded mode against `dataDir`. */
async function verify(dataDir: string) {
  const p = runCli(['audit', 'verify'], { RONGJIAN_DATA_DIR: dataDir });
  const code = await p.exited;
  return { code, output: p.output() };
}

async function withDb<T>(
  dataDir: string,
  fn: (db: Awaited<ReturnType<typeof openDatabase>>['db']) => Promise<T>,
) {
  const database = await openDatabase({ dataDir });
  try {
    return await fn(database.db);
  } finally {
    await database.close();
  }
}

// Each step opens the embedded database in a fresh process (several seconds each on a busy machine).
describe('rongjian audit verify', { timeout: 180_000 }, () => {
  it('exits 0 on an intact chain, 1 naming the record edited in the database', async () => {
    const dataDir = path.join(tmp, 'data');
    const ids = await withDb(dataDir, async (db) => {
      await migrateToLatest(db);
      const audit = createAuditService({ db });
      for (let i = 1; i <= 4; i++) {
        await audit.record(db, {
          actor: { id: 1, name: '审计测试' },
          ip: '10.0.0.1',
          action: 'system.user.update',
          objectType: 'user',
          objectId: i,
          result: 'success',
          before: { status: 'active' },
          after: { status: 'disabled' },
        });
      }
      return (await db.selectFrom('audit_log').select('id').orderBy('id').execute()).map((r) => Number(r.id));
    });

    const ok = await verify(dataDir);
    expect(ok.code).toBe(0);
    expect(ok.output).toContain('审计链完整：共 4 条记录');

    await withDb(dataDir, (db) =>
      db.transaction().execute(async (tx) => {
        await sql`set local session_replication_role = replica`.execute(tx);
        await sql`update audit_log set summary = '{"after":{"status":"active"}}'::jsonb where id = ${ids[1]}`.execute(
          tx,
        );
      }),
    );
    const broken = await verify(dataDir);
    expect(broken.code).toBe(1);
    expect(broken.output).toContain(`审计链在第 ${ids[1]} 条记录处断开：该记录被篡改（内容与哈希不符）`);
  });

  it('exits 2 when there is no database to check', async () => {
    const empty = path.join(tmp, 'empty');
    const r = await verify(empty);
    expect(r.code).toBe(2);
    expect(r.output).toContain('还没有数据库');
    expect(fs.existsSync(empty)).toBe(false);
  });
});
