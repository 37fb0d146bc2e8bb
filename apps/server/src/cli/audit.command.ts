import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { sql } from 'kysely';
import { loadConfig } from '../config.ts';
import { verifyChain } from '../platform/audit/audit.service.ts';
import { type Database, openDatabase } from '../platform/db/database.ts';
import { fail } from './open.ts';

/** Exit codes of `audit verify`: 0 intact, 1 broken (names the record), 2 could not check at all. */
const EXIT_BROKEN = 1;
const EXIT_UNABLE = 2;

/** Like `openForCli`, but a database that cannot be opened exits 2: exit 1 is reserved for a broken chain. */
async function openForVerify(): Promise<Database | null> {
  try {
    const config = loadConfig();
    // A check must not create an empty embedded database where there was none.
    if (!config.databaseUrl && !fs.existsSync(path.join(config.dataDir, 'PG_VERSION'))) return null;
    return await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  } catch (err) {
    fail(err, EXIT_UNABLE);
  }
}

async function verify(database: Database): Promise<number> {
  const table = await sql<{ t: string | null }>`select to_regclass('public.audit_log')::text as t`.execute(
    database.db,
  );
  if (!table.rows[0]?.t) {
    console.error('错误：数据库尚未初始化（未执行迁移），没有可校验的审计记录。');
    return EXIT_UNABLE;
  }
  const r = await verifyChain(database.db);
  if (!r.ok) {
    console.error(r.message);
    return EXIT_BROKEN;
  }
  console.log(`审计链完整：共 ${r.count} 条记录`);
  return 0;
}

export function registerAuditCommand(program: Command): void {
  const audit = program.command('audit').description('安全审计');
  audit
    .command('verify')
    .description('校验审计链（SM3 哈希链）：完整时退出码 0；被篡改、插入或删除时退出码 1 并指出记录编号')
    .action(async () => {
      const database = await openForVerify();
      if (!database) {
        console.error('错误：数据目录中还没有数据库，没有可校验的审计记录。');
        process.exitCode = EXIT_UNABLE;
        return;
      }
      try {
        process.exitCode = await verify(database);
      } catch (err) {
        console.error(`错误：审计链校验未能完成（${(err as Error).message}）`);
        process.exitCode = EXIT_UNABLE;
      } finally {
        await database.close();
      }
    });
}
