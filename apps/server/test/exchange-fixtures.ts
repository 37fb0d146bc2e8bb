import { usccCheckChar } from '@rongjian/shared';

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
