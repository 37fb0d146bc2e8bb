import type { GazetteerPrecision } from './gis.tables.ts';

/**
 * Chinese addresses → gazetteer keys, most precise first. A registered address reads from large to small:
 * 省 市 县/区 乡镇/街道 (村/社区) 路/街 门牌 (幢 室). The keys start at the 乡镇/街道 — a bureau's gazetteer covers
 * its own county, and sources disagree on whether they write the province, city and county at all — and drop
 * what is below the house number (building, floor, room), which shares the house's point.
 *
 *   门牌  城厢镇人民南路12号        村社区的门牌  城厢镇电站村5组12号
 *   道路  城厢镇人民南路            村社区       城厢镇电站村
 *   乡镇  城厢镇
 */
export interface AddressKeys {
  door: string | null;
  road: string | null;
  village: string | null;
  town: string | null;
}

/** Most precise first: the order in which lookups try the keys. */
export const PRECISION_ORDER: readonly GazetteerPrecision[] = ['door', 'road', 'village', 'town'];

/**
 * Full-width to half-width (NFKC), no whitespace, no bracketed remarks ("（东门）"), no punctuation. Chinese
 * numerals are left alone: 五组 and 5组 stay different keys.
 */
export function normaliseAddress(address: string): string {
  return address
    .normalize('NFKC')
    .replace(/[(（[【][^)）\]】]*[)）\]】]/g, '')
    .replace(/[\s,，、。.;；:："'“”‘’·]/g, '');
}

const PROVINCE = /^.{2,7}?(?:省|自治区)/;
const CITY = /^.{2,7}?(?:市|自治州|地区|盟)/;
const COUNTY = /^.{1,7}?(?:县|区|市|旗)/;
// Not when the word goes on as a road's name (新镇路, 新村路).
const TOWN = /^.{1,8}?(?:镇|乡|街道)(?![路街巷弄道])/;
const VILLAGE = /^.{1,10}?(?:村|社区|居委会)(?![路街巷弄道])/;
const ROAD = /^.{1,12}?(?:大道|大街|路|街|巷|弄|道|胡同)/;
const HOUSE = /^((?:\d+组)?\d+(?:-\d+)?)号/;

/** Reads an address left to right, one level at a time. */
function reader(text: string) {
  let rest = text;
  return {
    take(re: RegExp): string | null {
      const m = re.exec(rest);
      if (!m) return null;
      rest = rest.slice(m[0].length);
      return m[0];
    },
    /** Take `re` only when `next` matches what follows it. */
    takeBefore(re: RegExp, next: RegExp): string | null {
      const m = re.exec(rest);
      if (!m || !next.test(rest.slice(m[0].length))) return null;
      rest = rest.slice(m[0].length);
      return m[0];
    },
    get rest() {
      return rest;
    },
  };
}

/** The gazetteer keys of one address; null where the address does not reach that level. */
export function addressKeys(address: string): AddressKeys {
  const r = reader(normaliseAddress(address));
  // Administrative prefix above the town: accepted and dropped.
  r.take(PROVINCE);
  r.take(CITY);
  // "示范县城厢镇…": a county only when a town follows it, so that a road named 城区路 is not eaten as a county.
  r.takeBefore(COUNTY, TOWN);
  const town = r.take(TOWN);
  const village = r.take(VILLAGE);
  const road = r.take(ROAD);
  const house = HOUSE.exec(r.rest)?.[1] ?? null;

  const prefix = `${town ?? ''}${village ?? ''}`;
  return {
    door: house && (road || village) ? `${prefix}${road ?? ''}${house}号` : null,
    road: road ? `${prefix}${road}` : null,
    village: village ? `${town ?? ''}${village}` : null,
    town,
  };
}

/** The keys as a list, most precise first (for lookups). */
export function keyList(keys: AddressKeys): { precision: GazetteerPrecision; key: string }[] {
  return PRECISION_ORDER.flatMap((precision) => {
    const key = keys[precision];
    return key ? [{ precision, key }] : [];
  });
}
