import { randomBytes } from 'node:crypto';
import { type Config, ConfigError, loadConfig, type Role } from './config.ts';
import { createContext } from './context.ts';
import { type Database, DatabaseUnavailableError, openDatabase } from './platform/db/database.ts';
import { DataDirBusyError } from './platform/db/datadir-lock.ts';
import { MigrationFailedError, migrateToLatest, SchemaTooNewError } from './platform/db/migrate.ts';
import { bootstrapAdministrator, isOrgEmpty } from './platform/demo/bootstrap.ts';
import { demoExportDir, mountDemoExchange } from './platform/demo/exchange.ts';
import { printDemoAccounts, seedDemoCounty } from './platform/demo/seed.ts';
import { mountDemoWorkOrderPlatform } from './platform/demo/workorders.ts';
import { ensureDemoOpen311Client } from './supervision/clues/clues.open311.ts';
import { ensureTriageModel } from './supervision/analysis/analysis.triage.ts';
import { buildApp } from './platform/http/app.ts';
import { recoverExchange } from './support/exchange/exchange.jobs.ts';
import { ensureWebBuild, webDist } from './web-build.ts';

export interface StartOptions {
  role: Role;
  /** Skip building and serving the web app (API-only nodes, tests). */
  noWeb?: boolean;
}

/** Known start-up failures: a clear message and exit code 1, no stack trace. */
const friendly = [
  ConfigError,
  DatabaseUnavailableError,
  DataDirBusyError,
  SchemaTooNewError,
  MigrationFailedError,
];

export async function start(opts: StartOptions): Promise<void> {
  let config: Config;
  let database: Database | undefined;
  try {
    config = loadConfig();
    if (config.backend === 'postgresql' && !config.masterKey) {
      // Checked before touching the database: a server must never run without its personal-data key.
      throw new ConfigError(
        '服务器模式必须设置 RONGJIAN_MASTER_KEY（个人信息加密主密钥，64 位十六进制；可用 openssl rand -hex 32 生成，并妥善备份）。',
      );
    }
    const t0 = Date.now();
    database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
    if (database.recoveredFromCrash) {
      console.warn(
        `上次运行未正常关闭，已清理 ${config.dataDir} 中的残留锁文件并恢复（已确认的写入均保留）。`,
      );
    }
    const applied = await migrateToLatest(database.db);
    if (applied.length) console.log(`数据库迁移完成：${applied.join(', ')}`);
    const ctx = await createContext(config, database);
    // The triage model (issue 6): the active version, or the shipped one imported on first start.
    await ensureTriageModel(ctx.db).catch((err) =>
      console.warn(`自动分拣模型未载入：${(err as Error).message}`),
    );

    if (opts.role !== 'worker' && (await isOrgEmpty(ctx.db))) {
      if (config.backend === 'pglite' && config.seed) {
        const password = config.demoPassword ?? generatePassword();
        console.log(`首次启动：正在生成示范县演示数据（${config.seedEntities} 个经营主体）……`);
        const result = await seedDemoCounty(ctx, {
          seed: 42,
          entities: config.seedEntities,
          password,
          via: config.seedVia,
          clues: config.seedClues,
          exportDir: demoExportDir(config.dataDir),
          onProgress: (message) => console.log(`  ${message}`),
        });
        printDemoAccounts(result, {
          password,
          generated: !config.demoPassword,
          port: config.port,
          host: config.host,
        });
      } else {
        const { username, password } = await bootstrapAdministrator(ctx.db);
        console.log(`首次启动：已创建系统管理员 ${username}，初始密码 ${password}（首次登录须修改）。`);
      }
    }

    // Demo mode only (embedded database holding the demo county): the Open311 client `demo`.
    if (opts.role !== 'worker' && (await ensureDemoOpen311Client(ctx))) {
      console.log('演示 Open311 接入方 demo 已登记（api_key 取自 RONGJIAN_DEMO_OPEN311_KEY）。');
    }
    const stops: (() => Promise<void>)[] = [];
    if (opts.role !== 'worker') {
      const serveWeb = !opts.noWeb && ensureWebBuild();
      await ctx.events.start();
      const app = await buildApp(ctx, { webDist: serveWeb ? webDist : undefined, logger: true });
      if (config.backend === 'pglite') {
        await mountDemoExchange(app, ctx, { dataDir: config.dataDir, port: config.port });
        if (await mountDemoWorkOrderPlatform(app, ctx, { port: config.port })) {
          console.log('演示 12315 平台已挂载：办结结果回传到本机模拟平台。');
        }
      }
      await app.listen({ port: config.port, host: config.host });
      console.log(
        `融监已启动：http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${config.port}/ （数据库：${database.backend}，角色：${opts.role}，用时 ${((Date.now() - t0) / 1000).toFixed(1)} 秒）`,
      );
      stops.push(
        () => app.close(),
        () => ctx.events.stop(),
      );
    }
    if (opts.role !== 'api') {
      await ctx.jobs.startWorker(ctx);
      await recoverExchange(ctx); // runs a crashed process left `running`: closed, API syncs resumed
      stops.push(() => ctx.jobs.stopWorker());
      if (opts.role === 'worker') console.log('融监后台任务进程已启动（角色：worker）。');
    }

    const db = database;
    let stopping = false;
    const shutdown = async (signal: string) => {
      if (stopping) return;
      stopping = true;
      console.log(`收到 ${signal}，正在关闭……`);
      for (const stop of stops) await stop().catch(() => {});
      await db.close();
      process.exit(0);
    };
    process.on('SIGINT', () => void shutdown('SIGINT'));
    process.on('SIGTERM', () => void shutdown('SIGTERM'));
  } catch (err) {
    await database?.close().catch(() => {});
    if (friendly.some((E) => err instanceof E)) {
      console.error(`启动失败：${(err as Error).message}`);
      process.exit(1);
    }
    throw err;
  }
}

function generatePassword(): string {
  // Four character classes, so it satisfies the password policy.
  return `Rj-${randomBytes(6).toString('base64url')}9a`;
}
