import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { badUscc, csv, row, uscc } from '../../test/exchange-fixtures.ts';
import { runCli } from '../../test/server-process.ts';
import { openDatabase } from '../platform/db/database.ts';

let tmp: string;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'rj-import-cli-'));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

async function importFile(dataDir: string, file: string) {
  const p = runCli(['import', '--source', 'demo-registration', '--file', file], {
    RONGJIAN_DATA_DIR: dataDir,
  });
  const code = await p.exited;
  return { code, output: p.output() };
}

// Each step opens the embedded database in a fresh process (several seconds each on a busy machine).
describe('rongjian import', { timeout: 180_000 }, () => {
  it('imports a file with a progress bar and the counts, and exits 1 when the run fails', async () => {
    const dataDir = path.join(tmp, 'data');
    const good = path.join(tmp, '登记.csv');
    fs.writeFileSync(
      good,
      csv([
        row(1, '示范县命令行甲'),
        row(2, '示范县命令行乙'),
        row(3, '坏码', { 统一社会信用代码: badUscc(3) }),
      ]),
    );
    const ok = await importFile(dataDir, good);
    expect(ok.code, ok.output).toBe(0);
    expect(ok.output).toMatch(/\[#+\] 3\/3 行/);
    expect(ok.output).toContain('读入 3 行，接收 2，拒绝 1，新增 2，更新 0');
    // No worker runs in a CLI process: the after-import steps run inline.
    expect(ok.output).toMatch(/导入后处理完成（批次 1：/);

    const truncated = path.join(tmp, 'cut.csv');
    const text = csv([row(4, '示范县命令行丙', { 经营范围: '多行\n范围' })]);
    fs.writeFileSync(truncated, text.slice(0, text.lastIndexOf('范围')));
    const failed = await importFile(dataDir, truncated);
    expect(failed.code).toBe(1);
    expect(failed.output).toMatch(/导入失败：文件不完整/);

    const database = await openDatabase({ dataDir });
    try {
      const names = await database.db
        .selectFrom('entity')
        .select('name')
        .where('uscc', 'in', [uscc(1), uscc(2)])
        .orderBy('uscc')
        .execute();
      expect(names.map((n) => n.name)).toEqual(['示范县命令行甲', '示范县命令行乙']);
      const runs = await database.db.selectFrom('exchange_run').select('status').orderBy('id').execute();
      expect(runs.map((r) => r.status)).toEqual(['succeeded', 'failed']);
    } finally {
      await database.close();
    }
  });
});
