/**
 * 统一社会信用代码 (GB 32100-2015): 18 characters — 登记管理部门 (1), 机构类别 (1), 行政区划 (6, GB/T 2260),
 * 主体标识码 (9), check character (1). DOMAIN.md §4.
 */
export const USCC_CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28] as const;

/** The check character for the first 17 characters of a code. */
export function usccCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const v = USCC_CHARSET.indexOf(first17[i] ?? '');
    if (v < 0) throw new Error(`invalid USCC character at ${i + 1}`);
    sum += v * WEIGHTS[i]!;
  }
  const c = 31 - (sum % 31);
  return USCC_CHARSET[c === 31 ? 0 : c]!;
}

/**
 * 登记管理部门代码, the first character (GB 32100-2015 表 1). Not in DOMAIN.md §4, which names 9 only; the list is
 * the standard's as published — a code whose first character is none of these was not issued under it.
 */
export const REGISTRATION_AUTHORITIES: Readonly<Record<string, string>> = {
  '1': '机构编制',
  '2': '外交',
  '3': '司法行政',
  '4': '文化',
  '5': '民政',
  '6': '旅游',
  '7': '宗教',
  '8': '工会',
  '9': '市场监管（原工商）',
  A: '中央军委改革和编制办公室',
  N: '农业',
  Y: '其他',
};

export type UsccResult = { valid: true } | { valid: false; reason: string };

/** Validate a code; the reason is Chinese, for the person who typed it. */
export function checkUscc(code: string): UsccResult {
  if (code.length !== 18) return { valid: false, reason: `长度应为 18 位，实际 ${code.length} 位` };
  for (let i = 0; i < 18; i++) {
    if (!USCC_CHARSET.includes(code[i]!)) {
      return {
        valid: false,
        reason: `第 ${i + 1} 位“${code[i]}”不是允许的字符（不使用 I、O、Z、S、V 及小写字母）`,
      };
    }
  }
  if (REGISTRATION_AUTHORITIES[code[0]!] === undefined)
    return { valid: false, reason: `第 1 位登记管理部门代码“${code[0]}”不存在（应为 1–9、A、N 或 Y）` };
  if (!/^\d{6}$/.test(code.slice(2, 8))) return { valid: false, reason: '第 3–8 位行政区划码应为 6 位数字' };
  const expected = usccCheckChar(code.slice(0, 17));
  if (code[17] !== expected)
    return { valid: false, reason: `校验位错误：应为“${expected}”，实际为“${code[17]}”` };
  return { valid: true };
}

export const isValidUscc = (code: string): boolean => checkUscc(code).valid;
