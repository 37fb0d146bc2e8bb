import { describe, expect, it } from 'vitest';
import { runCli } from '../../test/server-process.ts';

/** The real binary, as a registration clerk would run it; no database is opened. */
async function uscc(...args: string[]) {
  const p = runCli(['uscc', 'check', ...args], { RONGJIAN_DATA_DIR: '/nonexistent/rongjian-uscc-test' });
  const code = await p.exited;
  return { code, out: p.output() };
}

describe('rongjian uscc check', () => {
  it('accepts the GB 32100 examples and decodes their parts', async () => {
    const a = await uscc('914403001922038216');
    expect(a.code).toBe(0);
    expect(a.out).toContain('有效');
    expect(a.out).toContain('登记管理部门：9（市场监管）');
    expect(a.out).toContain('机构类别：91（企业）');
    expect(a.out).toContain('行政区划：440300');

    const b = await uscc('91110000710925462X');
    expect(b.code).toBe(0);
    expect(b.out).toContain('行政区划：110000');

    const c = await uscc('91110108551385082Q');
    expect(c.code).toBe(0);
    expect(c.out).toContain('行政区划：110108');
  });

  it('refuses a wrong check character with the reason in Chinese', async () => {
    const r = await uscc('914403001922038217');
    expect(r.code).toBe(1);
    expect(r.out).toContain('校验位错误：应为“6”，实际为“7”');
    expect(r.out).not.toContain('有效\n');
  });

  it('refuses what an import refuses: no such 登记管理部门, no such region', async () => {
    const zero = await uscc('000000000000000000');
    expect(zero.code).toBe(1);
    expect(zero.out).toContain('第 1 位登记管理部门代码“0”不存在');
    const region = await uscc('91000000MA09000011');
    expect(region.code).toBe(1);
    expect(region.out).toContain('第 3–8 位行政区划码“000000”不是有效的 GB/T 2260 代码');
  });

  it('explains a wrong length and a forbidden character', async () => {
    const short = await uscc('91440300');
    expect(short.code).toBe(1);
    expect(short.out).toContain('长度应为 18 位，实际 8 位');
    const letter = await uscc('91440300192203821I');
    expect(letter.code).toBe(1);
    expect(letter.out).toContain('第 18 位“I”不是允许的字符');
  });
});
