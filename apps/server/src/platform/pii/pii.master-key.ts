import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { type Config, ConfigError } from '../../config.ts';

export const MASTER_KEY_FILE = 'master.key';
const HEX_KEY_RE = /^[0-9a-fA-F]{64}$/;

const HOW_TO = '可用 `openssl rand -hex 32` 生成 64 位十六进制主密钥，并与数据库备份分开妥善保管';

/**
 * The vault's master key: `RONGJIAN_MASTER_KEY`, required in server mode. In embedded mode without it, the key is
 * generated once into `<dataDir>/master.key` (0600) next to the data it protects — but only when this process
 * really holds that data directory (its PID in `rongjian.lock`); an in-memory database has no place to keep a
 * key, so it must be given one.
 */
export function resolveMasterKey(config: Config, log: (line: string) => void = console.warn): string {
  if (config.masterKey) return config.masterKey.toLowerCase();
  if (config.backend === 'postgresql') {
    throw new ConfigError(
      `服务器模式（设置了 DATABASE_URL）必须设置 RONGJIAN_MASTER_KEY（个人信息加密主密钥）。${HOW_TO}。`,
    );
  }
  if (!holdsDataDir(config.dataDir)) {
    throw new ConfigError(
      `未设置 RONGJIAN_MASTER_KEY，且当前数据库不在数据目录中，无法保存自动生成的主密钥。${HOW_TO}。`,
    );
  }
  const file = path.join(config.dataDir, MASTER_KEY_FILE);
  try {
    const existing = fs.readFileSync(file, 'utf8').trim();
    if (!HEX_KEY_RE.test(existing)) {
      throw new ConfigError(
        `主密钥文件 ${file} 内容无效（应为 64 位十六进制字符）。请从备份恢复该文件，或设置 RONGJIAN_MASTER_KEY。`,
      );
    }
    return existing.toLowerCase();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const key = randomBytes(32).toString('hex');
  // 'wx' never overwrites: a key that already protects data must not be replaced by a race.
  fs.writeFileSync(file, `${key}\n`, { mode: 0o600, flag: 'wx' });
  log(
    `警告：未设置 RONGJIAN_MASTER_KEY，已生成个人信息加密主密钥 ${file}（权限 0600）。` +
      '该文件必须与数据目录一起备份——丢失后已加密的手机号等个人信息将无法解密；生产环境请改用 RONGJIAN_MASTER_KEY 并另行保管。',
  );
  return key;
}

function holdsDataDir(dataDir: string): boolean {
  try {
    return fs.readFileSync(path.join(dataDir, 'rongjian.lock'), 'utf8').trim() === String(process.pid);
  } catch {
    return false;
  }
}
