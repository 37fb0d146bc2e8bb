import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../test/server-process.ts';
import { TEST_MASTER_KEY } from '../../test/support.ts';

let dataDir: string;
beforeAll(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rj-keys-cli-'));
});
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

/** The real binary in embedded mode on `dataDir` (RONGJIAN_MASTER_KEY only when given). */
async function cli(args: string[], env: NodeJS.ProcessEnv = {}) {
  // runCli drops DATABASE_URL; an empty RONGJIAN_MASTER_KEY counts as unset.
  const p = runCli(args, { RONGJIAN_MASTER_KEY: '', RONGJIAN_DATA_DIR: dataDir, ...env });
  const code = await p.exited;
  return { code, output: p.output() };
}

describe('rongjian keys (embedded mode)', () => {
  it('seeds encrypted staff phones, rotates the data key in bounded runs, and reports the versions', async () => {
    const seed = await cli(['seed', '--entities', '0', '--staff', '30', '--clues', '0']);
    expect(seed.code).toBe(0);
    // No RONGJIAN_MASTER_KEY: generated once next to the data, with a warning to back it up.
    expect(seed.output).toContain('master.key');
    expect(fs.existsSync(path.join(dataDir, 'master.key'))).toBe(true);

    const partial = await cli(['keys', 'rotate', '--batch-size', '10', '--max-batches', '1']);
    expect(partial.code).toBe(3);
    expect(partial.output).toContain('仍有 20 个值使用旧版本');

    const rest = await cli(['keys', 'rotate', '--batch-size', '10']);
    expect(rest.code).toBe(0);
    expect(rest.output).toContain('继续未完成的轮换：当前数据密钥 v2，本次重新加密 20 个值');
    expect(rest.output).toContain('已停用旧版本：v1');

    const status = await cli(['keys', 'status']);
    expect(status.code).toBe(0);
    expect(status.output).toMatch(/v1\s+已停用/);
    expect(status.output).toMatch(/v2\s+使用中.*加密值 30 个/);
    expect(status.output).toContain('人员手机号（app_user.phone_enc）  v2: 30');
  }, 180_000); // four real processes, each opening the embedded database

  it('refuses a master key that is not the one protecting this data directory', async () => {
    const wrong = await cli(['keys', 'status'], { RONGJIAN_MASTER_KEY: TEST_MASTER_KEY });
    expect(wrong.code).toBe(1);
    expect(wrong.output).toMatch(/RONGJIAN_MASTER_KEY.*不一致/);
  });
});
