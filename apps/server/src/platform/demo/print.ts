import { COUNTY } from './county.ts';
import type { SeedResult } from './seed.ts';

export interface PrintOptions {
  password: string;
  /** True when the password was generated (not taken from RONGJIAN_DEMO_PASSWORD). */
  generated: boolean;
  port: number;
  host: string;
}

/** Terminal width of a string: CJK and full-width characters take two columns. */
function width(s: string): number {
  let w = 0;
  for (const ch of s)
    w += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(
      ch,
    )
      ? 2
      : 1;
  return w;
}
const pad = (s: string, w: number) => s + ' '.repeat(Math.max(0, w - width(s)));

/** The demo accounts and how to log in, as printed after the first start (and by `rongjian seed`). */
export function printDemoAccounts(
  result: SeedResult,
  opts: PrintOptions,
  log: (line: string) => void = console.log,
): void {
  const c = result.counts;
  const host = opts.host === '0.0.0.0' || opts.host === '::' ? '127.0.0.1' : opts.host;
  log('');
  log(
    `已生成演示数据「${COUNTY.name}」（种子 ${result.seed}）：1 个局、${c.offices} 个科室、${c.stations} 个市场监管所、` +
      `${c.grids} 个网格、${c.staff} 名工作人员、${c.entities} 个经营主体。`,
  );
  log('');
  log('演示账号：');
  const header = ['用户名', '姓名', '角色', '部门'];
  const rows = result.accounts.map((a) => [a.username, a.displayName, a.roleName, a.departmentName]);
  const widths = header.map((h, i) => Math.max(width(h), ...rows.map((r) => width(r[i]!))));
  for (const r of [header, ...rows])
    log(
      `  ${r
        .map((cell, i) => pad(cell, widths[i]!))
        .join('  ')
        .trimEnd()}`,
    );
  log('');
  log(`密码（所有演示账号相同）：${opts.password}`);
  log(
    opts.generated
      ? '  该密码为随机生成，只显示这一次，请妥善保存；如需固定密码，请在首次启动前设置 RONGJIAN_DEMO_PASSWORD。'
      : '  该密码来自环境变量 RONGJIAN_DEMO_PASSWORD。',
  );
  log(`其余 ${c.staff - result.accounts.length} 名工作人员（如 chengxiang01、bgs01）也使用该密码。`);
  log('');
  log(`登录：在浏览器中打开 http://${host}:${opts.port}/ ，输入上表中的用户名和密码。`);
  log('  局长（director）可查看全县数据；officer1、officer2 分属两个市场监管所，只能看到本所的数据。');
  log('演示账号仅供体验，已标记为演示账号；不需要演示数据时，请使用空数据库并设置 RONGJIAN_SEED=0。');
  log('');
}
