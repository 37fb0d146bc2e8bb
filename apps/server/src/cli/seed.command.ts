import { randomBytes } from 'node:crypto';
import { type Command, InvalidArgumentError } from 'commander';
import { loadConfig } from '../config.ts';
import { MIN_STAFF } from '../platform/demo/staff.ts';
import { openCliContext } from './exchange.command.ts';
import { fail } from './open.ts';

interface SeedCommandOptions {
  seed: number;
  entities: number;
  staff: number;
  clues: number;
  demoAccounts?: boolean;
}

const integer = (min: number, max: number) => (value: string) => {
  const n = Number(value);
  if (!/^-?\d+$/.test(value) || !Number.isSafeInteger(n) || n < min || n > max) {
    throw new InvalidArgumentError(`应为 ${min} 到 ${max} 之间的整数`);
  }
  return n;
};

/** Four character classes, so it satisfies the password policy. */
function generatePassword(): string {
  return `Rj-${randomBytes(6).toString('base64url')}9a`;
}

export function registerSeedCommand(program: Command): void {
  program
    .command('seed')
    .description(
      '在空数据库中生成示范县演示数据（组织机构、网格、工作人员与演示账号、经营主体）；同一种子总是生成同样的数据',
    )
    .option('--seed <n>', '随机种子', integer(0, 2 ** 31 - 1), 42)
    .option('--entities <n>', '经营主体数量', integer(0, 3_000_000), 20_000)
    .option('--staff <n>', `工作人员数量（至少 ${MIN_STAFF}）`, integer(MIN_STAFF, 5000), 300)
    .option(
      '--clues <n>',
      '近六个月的线索数量（最近两周经业务流程登记，其余作为历史写入）',
      integer(0, 2_000_000),
      1200,
    )
    .option('--demo-accounts', '服务器模式（DATABASE_URL）下必须显式给出：确认在该数据库中创建演示账号')
    .action(async (opts: SeedCommandOptions) => {
      let config: ReturnType<typeof loadConfig>;
      try {
        config = loadConfig();
      } catch (err) {
        fail(err);
      }
      if (config.backend === 'postgresql' && !opts.demoAccounts) {
        console.error(
          '错误：已设置 DATABASE_URL（服务器模式）。演示数据包含使用同一密码的演示账号，绝不能在生产数据库中悄悄创建；' +
            '如确需在该数据库中生成演示数据，请加上 --demo-accounts 参数。',
        );
        process.exit(1);
      }

      const t0 = Date.now();
      const elapsed = () => `${((Date.now() - t0) / 1000).toFixed(1)} 秒`;
      // Staff phones are encrypted (the vault needs its master key) and the entities come in through the data
      // exchange, so seeding uses the whole application context.
      const { database, ctx } = await openCliContext();
      // The demo generator loads with the command, not with every CLI start.
      const [{ isOrgEmpty }, { OrgNotEmptyError, printDemoAccounts, seedDemoCounty }, { demoExportDir }] =
        await Promise.all([
          import('../platform/demo/bootstrap.ts'),
          import('../platform/demo/seed.ts'),
          import('../platform/demo/exchange.ts'),
        ]);
      try {
        if (!(await isOrgEmpty(database.db))) {
          console.error(`错误：${new OrgNotEmptyError().message}`);
          await database.close();
          process.exit(1);
        }
        const password = config.demoPassword ?? generatePassword();
        console.log(
          `正在生成示范县演示数据（数据库：${database.backend}，种子 ${opts.seed}，${opts.entities} 个经营主体，约 ${opts.staff} 名工作人员，${opts.clues} 条线索）……`,
        );
        const result = await seedDemoCounty(ctx, {
          seed: opts.seed,
          entities: opts.entities,
          staff: opts.staff,
          clues: opts.clues,
          password,
          exportDir: config.backend === 'pglite' ? demoExportDir(config.dataDir) : undefined,
          onProgress: (message) => console.log(`  [${elapsed()}] ${message}`),
        });
        printDemoAccounts(result, {
          password,
          generated: !config.demoPassword,
          port: config.port,
          host: config.host,
        });
        console.log(`完成，用时 ${elapsed()}。`);
      } catch (err) {
        await database.close();
        if (err instanceof OrgNotEmptyError) {
          console.error(`错误：${err.message}`);
          process.exit(1);
        }
        fail(err);
      }
      await database.close();
    });
}
