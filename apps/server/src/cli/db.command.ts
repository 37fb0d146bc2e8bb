import type { Command } from 'commander';
import { migrateToLatest, migrationStatus } from '../platform/db/migrate.ts';
import { fail, openForCli } from './open.ts';

export function registerDbCommands(program: Command): void {
  const db = program.command('db').description('数据库管理（迁移）');
  db.command('migrate')
    .description('执行全部未执行的数据库迁移')
    .action(async () => {
      const database = await openForCli();
      try {
        const applied = await migrateToLatest(database.db);
        console.log(applied.length ? `已执行迁移：${applied.join(', ')}` : '数据库已是最新结构，无需迁移。');
      } catch (err) {
        await database.close();
        fail(err);
      }
      await database.close();
    });
  db.command('status')
    .description('列出每个迁移及其执行时间')
    .action(async () => {
      const database = await openForCli();
      const list = await migrationStatus(database.db);
      console.log(`数据库：${database.backend}`);
      for (const m of list) {
        console.log(
          `${m.executedAt ? '✔ 已执行' : '… 待执行'}  ${m.name}${m.executedAt ? `  ${m.executedAt.toISOString()}` : ''}`,
        );
      }
      const pending = list.filter((m) => !m.executedAt).length;
      console.log(pending ? `共 ${pending} 个迁移待执行（npx rongjian db migrate）。` : '全部迁移均已执行。');
      await database.close();
    });
}
