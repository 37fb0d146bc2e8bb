import { REGISTRATION_AUTHORITIES } from '@rongjian/shared';
import type { Command } from 'commander';
import { usccReason } from '../support/exchange/exchange.dataset.common.ts';

/** 机构类别 under 登记管理部门 9 (市场监管), GB 32100-2015 / DOMAIN.md §4. */
const MARKET_CATEGORIES: Record<string, string> = { '1': '企业', '2': '个体工商户', '3': '农民专业合作社' };

/** The human-readable parts of a code that passed `usccReason`. */
export function describeUscc(code: string): string[] {
  const dept = code[0]!;
  const category = code[1]!;
  const deptLabel = dept === '9' ? '市场监管' : REGISTRATION_AUTHORITIES[dept]!;
  const categoryLabel = dept === '9' ? (MARKET_CATEGORIES[category] ?? '其他') : '非市场监管登记';
  return [
    `登记管理部门：${dept}（${deptLabel}）`,
    `机构类别：${dept}${category}（${categoryLabel}）`,
    `行政区划：${code.slice(2, 8)}`,
    `主体标识码：${code.slice(8, 17)}`,
    `校验位：${code[17]}`,
  ];
}

/** `rongjian uscc check CODE`: exit 0 and the decoded parts for a valid code, exit 1 with the reason otherwise. */
export function registerUsccCommand(program: Command): void {
  const uscc = program.command('uscc').description('统一社会信用代码（GB 32100-2015）工具');
  uscc
    .command('check')
    .description('校验统一社会信用代码：有效退出码 0 并解析各部分；无效退出码 1 并说明原因')
    .argument('<code>', '18 位统一社会信用代码')
    .action((raw: string) => {
      // A pasted code often carries spaces around it; anything else (lower case included) is judged as typed.
      const code = raw.trim();
      // The same checks as an import's: a code the register would refuse is not called valid here.
      const reason = usccReason(code);
      if (reason !== null) {
        process.stderr.write(`无效：${reason}\n`);
        process.exitCode = 1;
        return;
      }
      process.stdout.write(`有效\n${describeUscc(code).join('\n')}\n`);
    });
}
