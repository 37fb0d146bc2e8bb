import path from 'node:path';
import { z } from 'zod';

/** Environment variables, each documented in README.md's configuration table. */
const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).optional(),
  RONGJIAN_DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, '必须以 postgres:// 或 postgresql:// 开头')
    .optional(),
  RONGJIAN_SEED: z.enum(['0', '1']).default('1'),
  RONGJIAN_SEED_ENTITIES: z.coerce.number().int().min(0).max(3_000_000).default(20_000),
  RONGJIAN_SEED_VIA: z.enum(['exchange', 'direct']).default('exchange'),
  RONGJIAN_SEED_CLUES: z.coerce.number().int().min(0).max(2_000_000).default(1200),
  RONGJIAN_DEMO_PASSWORD: z.string().min(8, '至少 8 个字符').max(128).optional(),
  RONGJIAN_DEMO_OPEN311_KEY: z.string().min(8, '至少 8 个字符').max(200).default('demo-open311-key'),
  RONGJIAN_BODY_LIMIT: z.coerce
    .number()
    .int()
    .min(1024)
    .max(100 * 1024 * 1024)
    .default(1024 * 1024),
  RONGJIAN_MASTER_KEY: z
    .string()
    .regex(/^[0-9a-fA-F]{64}$/, '应为 64 位十六进制字符（32 字节），可用 openssl rand -hex 32 生成')
    .optional(),
  RONGJIAN_TRUST_PROXY: z.enum(['0', '1']).default('0'),
  RONGJIAN_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  RONGJIAN_SESSION_IDLE_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .default(30),
  RONGJIAN_SESSION_MAX_HOURS: z.coerce.number().int().min(1).max(72).default(12),
});

export type Role = 'all' | 'api' | 'worker';

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | undefined;
  backend: 'pglite' | 'postgresql';
  seed: boolean;
  seedEntities: number;
  /** How the demo's 经营主体 are generated: through the data exchange, or written straight from the plan. */
  seedVia: 'exchange' | 'direct';
  /** Six months of demo 线索 generated on first start. */
  seedClues: number;
  demoPassword: string | undefined;
  /** api_key of the Open311 client `demo` (demo mode only). */
  demoOpen311Key: string;
  bodyLimit: number;
  logLevel: string;
  trustProxy: boolean;
  /** Master key of the personal-information vault (hex); required in server mode, generated in embedded mode. */
  masterKey: string | undefined;
  sessionIdleMinutes: number;
  sessionMaxHours: number;
}

export class ConfigError extends Error {}

/** Parse the environment; an invalid value fails fast with a message naming the variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const cleaned = Object.fromEntries(
    Object.keys(envSchema.shape).map((k) => [k, env[k] === '' ? undefined : env[k]]),
  );
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) {
    const lines = parsed.error.issues.map(
      (i) => `  ${String(i.path[0])}: ${i.message}（当前值：${JSON.stringify(env[String(i.path[0])])}）`,
    );
    throw new ConfigError(`环境变量无效 / invalid environment variable:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const backend = e.DATABASE_URL ? 'postgresql' : 'pglite';
  return {
    port: e.PORT,
    host: e.HOST ?? (backend === 'pglite' ? '127.0.0.1' : '0.0.0.0'),
    dataDir: path.resolve(e.RONGJIAN_DATA_DIR),
    databaseUrl: e.DATABASE_URL,
    backend,
    seed: e.RONGJIAN_SEED === '1',
    seedEntities: e.RONGJIAN_SEED_ENTITIES,
    seedVia: e.RONGJIAN_SEED_VIA,
    seedClues: e.RONGJIAN_SEED_CLUES,
    demoPassword: e.RONGJIAN_DEMO_PASSWORD,
    demoOpen311Key: e.RONGJIAN_DEMO_OPEN311_KEY,
    bodyLimit: e.RONGJIAN_BODY_LIMIT,
    logLevel: e.RONGJIAN_LOG_LEVEL,
    trustProxy: e.RONGJIAN_TRUST_PROXY === '1',
    masterKey: e.RONGJIAN_MASTER_KEY,
    sessionIdleMinutes: e.RONGJIAN_SESSION_IDLE_MINUTES,
    sessionMaxHours: e.RONGJIAN_SESSION_MAX_HOURS,
  };
}
