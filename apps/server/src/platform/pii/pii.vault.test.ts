import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestDatabase, TEST_MASTER_KEY } from '../../../test/support.ts';
import { ConfigError, loadConfig } from '../../config.ts';
import { createAuditService } from '../audit/audit.service.ts';
import type { Database } from '../db/database.ts';
import { acquireDataDirLock } from '../db/datadir-lock.ts';
import { AppError } from '../errors.ts';
import { createPiiVault, type PiiVault } from './pii.vault.ts';

let database: Database;
let vault: PiiVault;
const vaultFor = (env: NodeJS.ProcessEnv) =>
  createPiiVault({
    db: database.db,
    config: loadConfig(env),
    audit: createAuditService({ db: database.db }),
  });

beforeAll(async () => {
  database = await createTestDatabase();
  vault = await vaultFor({ RONGJIAN_MASTER_KEY: TEST_MASTER_KEY });
});
afterAll(() => database?.close());

/** Flip one character of the token part `index` (0 = version, 1 = iv, 2 = ciphertext, 3 = mac). */
function tamper(token: string, index: number): string {
  const parts = token.split('.');
  const p = parts[index]!;
  parts[index] = (p[0] === 'A' ? 'B' : 'A') + p.slice(1);
  return parts.join('.');
}

describe('encryption at rest', () => {
  it('round-trips every kind of personal data, with a fresh IV each time', () => {
    for (const [kind, value] of [
      ['phone', '13905121234'],
      ['name', '欧阳娜娜'],
      ['idcard', '32050619900101123X'],
      ['address', '江苏省苏州市吴中区东吴北路88号'],
      ['secret', 'JBSWY3DPEHPK3PXP'],
    ] as const) {
      const a = vault.encrypt(kind, value);
      const b = vault.encrypt(kind, value);
      expect(a).toMatch(/^v1\.[\w-]+\.[\w-]+\.[\w-]+$/);
      expect(a).not.toBe(b);
      expect(a).not.toContain(value);
      expect(vault.decrypt(a)).toBe(value);
    }
  });

  it('rejects a token whose IV, ciphertext, MAC or version was altered', () => {
    const token = vault.encrypt('phone', '13905121234');
    for (const i of [1, 2, 3]) {
      expect(() => vault.decrypt(tamper(token, i))).toThrowError(AppError);
    }
    expect(() => vault.decrypt(token.replace(/^v1\./, 'v9.'))).toThrow(/无法校验/);
    expect(() => vault.decrypt('13905121234')).toThrow(/无法校验/);
  });

  it('refuses to start with a master key that is not the one protecting the stored data keys', async () => {
    await expect(vaultFor({ RONGJIAN_MASTER_KEY: 'f'.repeat(64) })).rejects.toThrow(
      /RONGJIAN_MASTER_KEY.*不一致/,
    );
  });
});

describe('blind index', () => {
  it('is stable across processes and ignores formatting, so equal numbers match', async () => {
    const other = await vaultFor({ RONGJIAN_MASTER_KEY: TEST_MASTER_KEY });
    const idx = vault.blindIndex('phone', '13905121234');
    expect(idx).toMatch(/^[0-9a-f]{64}$/);
    expect(other.blindIndex('phone', '139 0512 1234')).toBe(idx);
    expect(vault.blindIndex('phone', '+86 139-0512-1234')).toBe(idx);
    expect(vault.blindIndex('phone', '13905121235')).not.toBe(idx);
    expect(vault.blindIndex('idcard', '32050619900101123x')).toBe(
      vault.blindIndex('idcard', '32050619900101123X'),
    );
    expect(vault.blindIndex('name', ' 张三 ')).toBe(vault.blindIndex('name', '张三'));
  });

  it('differs by kind, so one value cannot be matched across kinds', () => {
    expect(vault.blindIndex('phone', '12345678')).not.toBe(vault.blindIndex('idcard', '12345678'));
  });
});

describe('reveal', () => {
  it('never reveals a credential (kind secret), even to code that asks', async () => {
    const token = vault.encrypt('secret', 'JBSWY3DPEHPK3PXP');
    const attempt = vault.reveal(
      database.db,
      { id: null, name: '测试' },
      {
        kind: 'secret',
        token,
        reason: '测试',
        objectType: 'user_totp',
        objectId: 1,
      },
    );
    await expect(attempt).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });
});

describe('masking', () => {
  it('masks for display and never shows a secret', () => {
    expect(vault.mask('phone', '13905121234')).toBe('139****1234');
    expect(vault.mask('name', '张三丰')).toBe('张**');
    expect(vault.mask('secret', 'JBSWY3DPEHPK3PXP')).toBe('******');
    expect(vault.maskToken('phone', vault.encrypt('phone', '13905121234'))).toBe('139****1234');
    expect(vault.maskToken('phone', null)).toBeNull();
  });
});

describe('master key', () => {
  it('is required in server mode, and the error says how to make one', async () => {
    const config = loadConfig({ DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/postgres' });
    const attempt = createPiiVault({
      db: database.db,
      config,
      audit: createAuditService({ db: database.db }),
    });
    await expect(attempt).rejects.toBeInstanceOf(ConfigError);
    await expect(attempt).rejects.toThrow(/RONGJIAN_MASTER_KEY[\s\S]*openssl rand -hex 32/);
  });

  it('is refused for a database that has no data directory to keep a generated key in', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rj-nokey-'));
    await expect(vaultFor({ RONGJIAN_DATA_DIR: dir })).rejects.toThrow(/RONGJIAN_MASTER_KEY/);
    expect(fs.existsSync(path.join(dir, 'master.key'))).toBe(false);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('is generated once into the embedded data directory (0600, with a warning) and reused after that', async () => {
    const fresh = await createTestDatabase();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rj-embedded-'));
    const lock = acquireDataDirLock(dir);
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    try {
      const config = loadConfig({ RONGJIAN_DATA_DIR: dir });
      const deps = { db: fresh.db, config, audit: createAuditService({ db: fresh.db }) };
      const first = await createPiiVault(deps);
      const file = path.join(dir, 'master.key');
      expect(fs.statSync(file).mode & 0o777).toBe(0o600);
      expect(warn).toHaveBeenCalledTimes(1);
      expect(String(warn.mock.calls[0]![0])).toMatch(/master\.key[\s\S]*备份/);
      const token = first.encrypt('phone', '13905121234');
      const key = fs.readFileSync(file, 'utf8');

      const second = await createPiiVault(deps);
      expect(fs.readFileSync(file, 'utf8')).toBe(key);
      expect(warn).toHaveBeenCalledTimes(1);
      expect(second.decrypt(token)).toBe('13905121234');
    } finally {
      warn.mockRestore();
      lock.release();
      await fresh.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
