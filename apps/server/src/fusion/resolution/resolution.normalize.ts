/**
 * Normal forms of names and addresses for entity resolution. Two spellings of one shop — 「老王烧烤店」 and
 * 「老王烧烤（个体工商户）」, 「建设路88号」 and 「江苏省苏州市示范县建设路八十八号」 — get the same normal form, so the
 * trigram index finds them and the score (resolution.score.ts) compares like with like. Pure functions: the same
 * input always gives the same key (source keys of records without a USCC are hashed from it).
 */

/** Full-width → half-width, compatibility forms (㈠, ①, ｓ) folded; lower case for Latin letters. */
function fold(s: string): string {
  return s.normalize('NFKC').toLowerCase();
}

const PUNCTUATION = /[\s\p{P}\p{S}]+/gu;

/** Leading 省 / 地市 / 县区 of an address or an enterprise name (行政区划 + 字号 + 行业 + 组织形式). */
const PROVINCE = /^(?:中国)?[\p{Script=Han}]{2,7}?(?:省|自治区|特别行政区)/u;
// 市 as a unit, not in 市场, 超市, 城市, 夜市 …; 区 as a unit, not in 小区, 园区, 社区 … (places inside a town).
const CITY_CHAR = '(?<![城都超门夜集菜股])市(?!场)';
const CITY = new RegExp(`^[\\p{Script=Han}]{2,7}?(?:${CITY_CHAR}|自治州|地区|盟)`, 'u');
const COUNTY = new RegExp(`^[\\p{Script=Han}]{1,6}?(?:(?<![小园社街校景厂片营])区|县|${CITY_CHAR}|旗)`, 'u');

function stripRegion(s: string, keepAtLeast: number): string {
  let out = s;
  for (const re of [PROVINCE, CITY, COUNTY]) {
    const m = re.exec(out);
    if (m && out.length - m[0].length >= keepAtLeast) out = out.slice(m[0].length);
  }
  return out;
}

/** Organisational forms and registration kinds: they say nothing about which shop it is. */
const KEY_GENERIC = [
  '股份有限公司',
  '有限责任公司',
  '有限公司',
  '个人独资企业',
  '普通合伙',
  '有限合伙',
  '个体工商户',
  '个体户',
  '个体经营',
  '公司',
];
/**
 * Matching also drops the short 个体工商户 marker 个体, mostly written as a trailing （个体） or (个体), sometimes
 * bare at the end (城厢镇晓红快餐个体 = 城厢镇晓红快餐). Stored normal forms computed before it were reset by migration
 * 0036 and are filled again before the next match.
 */
const GENERIC = [...KEY_GENERIC, '个体'];
/** Trailing words for "a shop" (老王烧烤店 = 老王烧烤), removed only when two characters or more remain. */
const SHOP_WORDS = ['经营部', '门市部', '商店', '商行', '店'];
const BRACKETED = /[([{【〔〖「『]([^()[\]{}【】〔〕〖〗「」『』]*)[)\]}】〕〗」』]/gu;

/** The normal form of an entity name: what resolution compares (entity.name_norm). */
export function normalizeName(name: string): string {
  return normalizeNameWith(name, GENERIC);
}

/**
 * The normal form hashed into the source key of a record without USCC or 注册号 (resolution.apply.ts). Frozen as it
 * was when such keys were first stored: were it to follow normalizeName, a re-delivered record whose name carries
 * 个体 would get a new key and be stored a second time.
 */
export function normalizeNameForKey(name: string): string {
  return normalizeNameWith(name, KEY_GENERIC);
}

function normalizeNameWith(name: string, generic: readonly string[]): string {
  let s = fold(name).replace(/\s+/g, '');
  // Bracketed generic parts go whole (（个体工商户）); other brackets keep their content (苏州（示范）食品).
  s = s.replace(BRACKETED, (_m, inner: string) => (generic.includes(inner) ? '' : inner));
  s = s.replace(PUNCTUATION, '');
  for (let changed = true; changed; ) {
    changed = false;
    for (const g of generic) {
      if (s.endsWith(g) && s.length > g.length) {
        s = s.slice(0, -g.length);
        changed = true;
      }
    }
  }
  for (const w of SHOP_WORDS) {
    if (s.endsWith(w) && s.length - w.length >= 2) {
      s = s.slice(0, -w.length);
      break;
    }
  }
  return stripRegion(s, 2);
}

const DIGITS: Record<string, number> = {
  零: 0,
  〇: 0,
  一: 1,
  二: 2,
  两: 2,
  三: 3,
  四: 4,
  五: 5,
  六: 6,
  七: 7,
  八: 8,
  九: 9,
};
const UNITS: Record<string, number> = { 十: 10, 百: 100, 千: 1000 };

/**
 * A Chinese numeral as digits: 八十八 → 88, 一百零五 → 105, 十二 → 12, 二〇一 → 201 (digit by digit when it has
 * no unit characters). Null when the text is not a numeral.
 */
export function chineseNumeral(text: string): string | null {
  if (text === '' || [...text].some((c) => !(c in DIGITS) && !(c in UNITS))) return null;
  if (![...text].some((c) => c in UNITS)) return [...text].map((c) => DIGITS[c]).join('');
  let total = 0;
  let digit: number | null = null;
  for (const c of text) {
    if (c in DIGITS) {
      digit = DIGITS[c]!;
    } else {
      total += (digit ?? 1) * UNITS[c]!;
      digit = null;
    }
  }
  return String(total + (digit ?? 0));
}

/** Characters that end a house number, building, lane or room: the numerals before them become digits. */
const NUMBERED = '号|弄|栋|单元|室|层|楼|巷|组';
const NUMERAL_BEFORE_UNIT = new RegExp(`([零〇一二两三四五六七八九十百千]+)(?=${NUMBERED})`, 'gu');

/** The normal form of an address: no province/city/county prefix, digits for numerals, one spelling per unit. */
export function normalizeAddress(address: string): string {
  let s = fold(address)
    .replace(/號/g, '号')
    .replace(/[幢棟]/g, '栋')
    .replace(/衖/g, '弄')
    .replace(/(\d)\s*#/g, '$1号');
  s = s.replace(NUMERAL_BEFORE_UNIT, (m: string) => chineseNumeral(m) ?? m);
  // Keep a hyphen between digits (88-1号), parked on a private-use character; other punctuation goes.
  s = s
    .replace(/(\d)\s*[-－—–]\s*(\d)/g, '$1\uE000$2')
    .replace(PUNCTUATION, '')
    .replace(/\uE000/g, '-');
  return stripRegion(s, 2);
}

/** The house number (门牌号) of a normalised address, e.g. `88` of 建设路88号 or `88-1` of 建设路88-1号. */
export function houseNumber(normalizedAddress: string): string | null {
  const m = /(\d+(?:-\d+)?)号/u.exec(normalizedAddress);
  return m ? m[1]! : null;
}
