import { usccCheckChar } from '@rongjian/shared';
import { CREDIT_COLUMNS, LICENCE_COLUMNS, PERSON_COLUMNS } from '../src/platform/demo/exports.ts';

/** Test data for exchange imports: valid codes of the demo region and a CSV writer. */
export function uscc(n: number, category = '1'): string {
  const first17 = `9${category}320500MA${String(n).padStart(7, '0')}`;
  return first17 + usccCheckChar(first17);
}

/** A code whose check character is wrong. */
export function badUscc(n: number): string {
  const good = uscc(n);
  return good.slice(0, 17) + (good[17] === '0' ? '1' : '0');
}

export const HEADER = [
  '统一社会信用代码',
  '企业名称',
  '主体类型',
  '住所',
  '成立日期',
  '登记状态',
  '经营范围',
];

export function csv(rows: string[][], header = HEADER): string {
  const cell = (v: string) => (/[",\r\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v);
  return `${[header, ...rows].map((r) => r.map(cell).join(',')).join('\r\n')}\r\n`;
}

export function row(n: number, name: string, over: Partial<Record<string, string>> = {}): string[] {
  const base: Record<string, string> = {
    统一社会信用代码: uscc(n),
    企业名称: name,
    主体类型: '有限责任公司',
    住所: `江苏省苏州市示范县人民路 ${n} 号`,
    成立日期: '2019-05-06',
    登记状态: '存续',
    经营范围: '食品销售',
    ...over,
  };
  return HEADER.map((h) => base[h] ?? '');
}

/** Column names of the demo sources of the other datasets (migration 0013): the demo exports' own columns. */
export const LICENCE_HEADER: string[] = [...LICENCE_COLUMNS];
export const CREDIT_HEADER: string[] = [...CREDIT_COLUMNS];
export const PERSON_HEADER: string[] = [...PERSON_COLUMNS];

const pick = (header: string[], values: Record<string, string>) => header.map((h) => values[h] ?? '');

export function licenceRow(n: number, over: Partial<Record<string, string>> = {}): string[] {
  return pick(LICENCE_HEADER, {
    统一社会信用代码: uscc(n),
    经营者名称: '',
    许可类别: '食品经营许可证',
    许可证编号: `JY1320500${String(n).padStart(7, '0')}`,
    发证日期: '2022-03-01',
    有效期至: '2027-02-28',
    许可状态: '有效',
    发证机关: '示范县市场监督管理局',
    更新时间: '2025-06-01 09:30:00',
    ...over,
  });
}

export function creditRow(n: number, over: Partial<Record<string, string>> = {}): string[] {
  return pick(CREDIT_HEADER, {
    统一社会信用代码: uscc(n),
    主体名称: '',
    信用类别: '行政处罚',
    决定日期: '2024-05-06',
    移出日期: '',
    决定机关: '示范县市场监督管理局',
    事由: '销售过期食品',
    决定书文号: `示市监罚〔2024〕${n}号`,
    '罚没金额（元）': '5,000.00',
    更新时间: '2025-06-01',
    ...over,
  });
}

/** A valid 18-digit 公民身份号码 (GB 11643-1999) of the demo region, born 1980-01-01 + n days. */
export function idCard(n: number): string {
  const birth = new Date(Date.UTC(1980, 0, 1 + n)).toISOString().slice(0, 10).replaceAll('-', '');
  const body = `320500${birth}${String(n % 1000).padStart(3, '0')}`;
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...body].reduce((s, c, i) => s + Number(c) * w[i]!, 0);
  return body + '10X98765432'[sum % 11]!;
}

export function personRow(n: number, over: Partial<Record<string, string>> = {}): string[] {
  return pick(PERSON_HEADER, {
    统一社会信用代码: uscc(n),
    主体名称: '',
    人员类别: '法定代表人',
    姓名: `张${n}`,
    身份证号: idCard(n),
    联系电话: `1381234${String(n).padStart(4, '0')}`,
    更新时间: '2025-06-01 10:00:00',
    ...over,
  });
}
