/**
 * Field checks of exchange rows: pure, allocation-light functions (a benchmark validates a million rows). Each
 * returns the normalised value, or null / a Chinese reason when the value is not acceptable.
 */
import { chinaDayStart } from '../../platform/calendar/calendar.rules.ts';

/** GB/T 2260 province-level codes: the first two digits of every valid 行政区划代码. */
const PROVINCES = new Set([
  '11',
  '12',
  '13',
  '14',
  '15',
  '21',
  '22',
  '23',
  '31',
  '32',
  '33',
  '34',
  '35',
  '36',
  '37',
  '41',
  '42',
  '43',
  '44',
  '45',
  '46',
  '50',
  '51',
  '52',
  '53',
  '54',
  '61',
  '62',
  '63',
  '64',
  '65',
  '71',
  '81',
  '82',
]);

const isDigits = (s: string): boolean => {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
};

/** Six digits whose first two are a GB/T 2260 province (the province list is checked; counties are not). */
export function isRegionCode(code: string): boolean {
  return code.length === 6 && isDigits(code) && PROVINCES.has(code.slice(0, 2));
}

function validYmd(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1 || y < 1000) return false;
  const days = [
    31,
    y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : 28,
    31,
    30,
    31,
    30,
    31,
    31,
    30,
    31,
    30,
    31,
  ];
  return d <= days[m - 1]!;
}

const pad2 = (n: number) => (n < 10 ? `0${n}` : String(n));
const DATE_RE = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$/;
const COMPACT_DATE_RE = /^(\d{4})(\d{2})(\d{2})$/;

/** YYYY-MM-DD, YYYY/M/D, YYYY.M.D, YYYY年M月D日 or YYYYMMDD → ISO date, or null when it is not a real date. */
export function parseDate(value: string): string | null {
  const m = DATE_RE.exec(value) ?? COMPACT_DATE_RE.exec(value);
  if (!m) return null;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  return validYmd(y, mo, d) ? `${m[1]}-${pad2(mo)}-${pad2(d)}` : null;
}

const DATETIME_RE =
  /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d{1,6})?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/;

/**
 * A date or date-time → ISO timestamp (UTC). Without a zone the exchange's local time is meant: China time
 * (+08:00). Null when it is not a real moment.
 */
export function parseDateTime(value: string): string | null {
  const m = DATETIME_RE.exec(value);
  if (!m) {
    const day = parseDate(value);
    return day ? chinaDayStart(day).toISOString() : null;
  }
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const [h, mi, s] = [Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0)];
  if (!validYmd(y, mo, d) || h > 23 || mi > 59 || s > 59) return null;
  let zone = m[7] ?? '+08:00';
  if (zone !== 'Z' && zone.length === 5) zone = `${zone.slice(0, 3)}:${zone.slice(3)}`;
  const t = Date.parse(`${m[1]}-${pad2(mo)}-${pad2(d)}T${pad2(h)}:${pad2(mi)}:${pad2(s)}${zone}`);
  return Number.isNaN(t) ? null : new Date(t).toISOString();
}

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = '10X98765432';

/**
 * 公民身份号码 (GB 11643-1999): 6-digit address code, 8-digit birth date, 3-digit sequence, check character by
 * ISO 7064 MOD 11-2. Returns the reason it is invalid, or null. `value` is upper-cased by the caller.
 */
export function idCardProblem(value: string, today: string): string | null {
  if (value.length !== 18) return `应为 18 位，实际 ${value.length} 位`;
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const c = value.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return '前 17 位应为数字';
    sum += c * ID_WEIGHTS[i]!;
  }
  if (!PROVINCES.has(value.slice(0, 2))) return `地址码“${value.slice(0, 6)}”不是有效的行政区划代码`;
  const y = Number(value.slice(6, 10));
  const mo = Number(value.slice(10, 12));
  const d = Number(value.slice(12, 14));
  if (!validYmd(y, mo, d) || y < 1900) return `出生日期“${value.slice(6, 14)}”不是有效日期`;
  if (`${value.slice(6, 10)}-${value.slice(10, 12)}-${value.slice(12, 14)}` > today)
    return '出生日期晚于今天';
  const expected = ID_CHECK[sum % 11]!;
  if (value[17] !== expected) return `校验位错误：应为 ${expected}`;
  return null;
}

/** Mobile `1[3-9]` + 9 digits (an optional +86 removed), or a landline with its area code (0 + 9–11 digits). */
export function normalisePhone(value: string): string | null {
  let digits = '';
  for (let i = 0; i < value.length; i++) {
    const c = value[i]!;
    if (c >= '0' && c <= '9') digits += c;
    else if (
      c !== ' ' &&
      c !== '-' &&
      c !== '(' &&
      c !== ')' &&
      c !== '（' &&
      c !== '）' &&
      !(c === '+' && i === 0)
    )
      return null;
  }
  if (digits.length === 13 && digits.startsWith('86')) digits = digits.slice(2);
  if (digits.length === 11 && digits[0] === '1' && digits[1]! >= '3') return digits;
  if (digits[0] === '0' && digits[1] !== '0' && digits.length >= 10 && digits.length <= 12) return digits;
  return null;
}

/** ISO 7064 MOD 11,10 (hybrid) check digit of the first 14 digits of `value`. */
function mod1110CheckDigit(value: string): number {
  let p = 10;
  for (let i = 0; i < 14; i++) {
    let s = (p + value.charCodeAt(i) - 48) % 10;
    if (s === 0) s = 10;
    p = (s * 2) % 11;
  }
  return (11 - p) % 10;
}

/**
 * 注册号 (GS 15-2006, 工商行政管理市场主体注册号编制规则): 15 digits, the first six the registering
 * authority's 行政区划代码, the last an ISO 7064 MOD 11,10 check digit. Returns why it is invalid, or null.
 */
export function registrationNoProblem(value: string): string | null {
  if (value.length !== 15 || !isDigits(value)) return '应为 15 位数字';
  const expected = mod1110CheckDigit(value);
  if (value.charCodeAt(14) - 48 !== expected) return `校验位错误：应为 ${expected}`;
  return null;
}

/** The check digit a 14-digit 注册号 body needs (test data). */
export const registrationNoCheckDigit = (body14: string): string => String(mod1110CheckDigit(body14));

/** Decimal degrees within [min, max], or null. */
export function parseCoordinate(value: string, min: number, max: number): number | null {
  if (!/^-?\d{1,3}(\.\d+)?$/.test(value)) return null;
  const n = Number(value);
  return n >= min && n <= max ? n : null;
}

/** 罚没金额: `12,345.6`, `12345元` → 12345.6; at most two decimals, below 10^12. */
export function parseAmount(value: string): number | null {
  const clean = value.replace(/[,，\s]/g, '').replace(/元$/, '');
  if (!/^\d{1,12}(\.\d{1,2})?$/.test(clean)) return null;
  return Number(clean);
}
