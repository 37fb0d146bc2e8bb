import { type Command, InvalidArgumentError } from 'commander';
import { loadConfig } from '../config.ts';
import { createAuditService } from '../platform/audit/audit.service.ts';
import type { Database } from '../platform/db/database.ts';
import { AppError } from '../platform/errors.ts';
import { piiColumns } from '../platform/pii/pii.catalog.ts';
import { countByVersion, rotateKeys } from '../platform/pii/pii.rotation.ts';
import { createPiiVault } from '../platform/pii/pii.vault.ts';
import { fail, openForCli } from './open.ts';

const STATE_LABEL = {
  staged: '已生成待启用',
  active: '使用中',
  retiring: '轮换中',
  retired: '已停用',
} as const;

const positive = (max: number) => (value: string) => {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1 || n > max) throw new InvalidArgumentError(`应为 1 到 ${max} 之间的整数`);
  return n;
};

/** Open the database and the vault (which checks the master key against the stored data keys). */
async function openVault() {
  const database = await openForCli({ migrate: true });
  try {
    const config = loadConfig();
    const audit = createAuditService({ db: database.db });
    const vault = await createPiiVault({ db: database.db, config, audit });
    return { database, config, audit, vault };
  } catch (err) {
    await database.close();
    fail(err);
  }
}

async function printStatus(database: Database): Promise<void> {
  const keys = await database.db.selectFrom('pii_key').selectAll().orderBy('version').execute();
  const usage = await countByVersion(database.db);
  console.log('个人信息数据密钥（SM4，主密钥派生的密钥加密密钥包裹存储）：');
  for (const k of keys) {
    const total = usage.reduce((n, u) => n + (u.counts.get(k.version) ?? 0), 0);
    const retired = k.retired_at ? `，停用于 ${k.retired_at.toISOString()}` : '';
    console.log(
      `  v${k.version}  ${STATE_LABEL[k.state]}  创建于 ${k.created_at.toISOString()}${retired}  加密值 ${total} 个`,
    );
  }
  console.log('已登记的个人信息字段：');
  for (const { column, counts } of usage) {
    const parts = [...counts.entries()].sort(([a], [b]) => a - b).map(([v, n]) => `v${v}: ${n}`);
    console.log(
      `  ${column.label}（${column.table}.${column.column}）  ${parts.length ? parts.join('，') : '无数据'}`,
    );
  }
}

export function registerKeysCommands(program: Command): void {
  const keys = program.command('keys').description('个人信息加密密钥管理（SM4 数据密钥的状态与轮换）');

  keys
    .command('status')
    .description('显示各数据密钥版本及使用它们的加密值数量')
    .action(async () => {
      const { database } = await openVault();
      try {
        await printStatus(database);
      } catch (err) {
        await database.close();
        fail(err);
      }
      await database.close();
    });

  keys
    .command('rotate')
    .description('启用新的数据密钥版本，分批重新加密所有已登记字段，完成后停用旧版本；中断后再次运行即可继续')
    .option('--batch-size <n>', '每批（每个事务）重新加密的行数', positive(10_000), 500)
    .option(
      '--max-batches <n>',
      '本次最多执行的批数（用于限定维护窗口），之后再次运行继续',
      positive(1_000_000),
    )
    .option('--no-wait', '服务器模式下不等待其他节点加载新密钥（仅当所有服务节点都已停止时使用）')
    .action(async (opts: { batchSize: number; maxBatches?: number; wait: boolean }) => {
      const { database, config, audit, vault } = await openVault();
      try {
        console.log(`正在轮换个人信息数据密钥（${piiColumns().length} 个已登记字段）……`);
        const result = await rotateKeys(
          { db: database.db, config, vault, audit },
          {
            batchSize: opts.batchSize,
            ...(opts.maxBatches ? { maxBatches: opts.maxBatches } : {}),
            ...(opts.wait ? {} : { settleMs: 0 }),
            onProgress: (col, n) => console.log(`  ${col.label}：本批重新加密 ${n} 个`),
            onWait: (ms, step) =>
              console.log(
                `  等待 ${Math.round(ms / 1000)} 秒，${step === 'load' ? '让运行中的各节点加载新密钥' : '让各节点改用新密钥加密'}……`,
              ),
          },
        );
        console.log(
          `${result.resumed ? '继续未完成的轮换' : '已启用新版本'}：当前数据密钥 v${result.activeVersion}，本次重新加密 ${result.reencrypted} 个值。`,
        );
        if (result.retired.length)
          console.log(`已停用旧版本：${result.retired.map((v) => `v${v}`).join('、')}。`);
        if (result.remaining > 0) {
          console.log(`仍有 ${result.remaining} 个值使用旧版本，请再次运行 keys rotate 继续。`);
          process.exitCode = 3;
        }
      } catch (err) {
        await database.close();
        if (err instanceof AppError) {
          console.error(`错误：${err.message}`);
          process.exit(1);
        }
        fail(err);
      }
      await database.close();
    });
}
