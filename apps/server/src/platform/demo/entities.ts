import { USCC_CHARSET, usccCheckChar, type BusinessLine } from '@rongjian/shared';
import type { EntityType } from '../db/schema.ts';
import { EXTRA_LINES, FARM_PRODUCTS, INDUSTRIES, SHOPS, type Trade } from './catalog.ts';
import { COUNTY, type GridPlan, samplePointInGrid, TOWNS } from './county.ts';
import { entityAddress, entityName } from './names.ts';
import { dayFromReference, type Rng, weightedPicker } from './random.ts';

/** The county's 经营主体: type, name, valid 统一社会信用代码, address and a point inside their grid. */
export interface EntityPlan {
  uscc: string;
  name: string;
  type: EntityType;
  address: string;
  /** The town's 9-digit code. */
  regionCode: string;
  /** Index into the generated grid list. */
  gridIndex: number;
  townIndex: number;
  lon: number;
  lat: number;
  businessLines: BusinessLine[];
  establishedOn: string;
  /** 登记状态: mostly 存续; a few revoked or deregistered (see `planStatuses`). */
  status: string;
}

/** GB 32100 position 2 (机构类别) under 登记管理部门 9 (市场监管). */
const CATEGORY: Record<EntityType, string> = { enterprise: '1', individual: '2', cooperative: '3' };

const pickType = weightedPicker<EntityType>(['enterprise', 'individual', 'cooperative'], [35, 60, 5]);
const tradePickers: Record<EntityType, (rng: Rng) => Trade> = {
  enterprise: weightedPicker(
    INDUSTRIES,
    INDUSTRIES.map((t) => t.weight),
  ),
  individual: weightedPicker(
    SHOPS,
    SHOPS.map((t) => t.weight),
  ),
  cooperative: weightedPicker(
    FARM_PRODUCTS,
    FARM_PRODUCTS.map((t) => t.weight),
  ),
};
/** Oldest registration, in years before the reference date, per type. */
const MAX_AGE_YEARS: Record<EntityType, number> = { enterprise: 28, individual: 20, cooperative: 17 };
/** Entity codes with the `MA` prefix are issued since 2016. */
const MA_SINCE = '2016-01-01';

const DIGITS = '0123456789';

/** 主体标识码 (positions 9–17): `MA` + 7 characters for recent registrations, 8 digits + a check-like one before. */
function subjectCode(rng: Rng, establishedOn: string): string {
  let s = '';
  if (establishedOn >= MA_SINCE) {
    s = 'MA';
    for (let i = 0; i < 7; i++) s += USCC_CHARSET[rng.int(0, USCC_CHARSET.length - 1)];
  } else {
    for (let i = 0; i < 8; i++) s += DIGITS[rng.int(0, 9)];
    s += rng.chance(0.1) ? 'X' : DIGITS[rng.int(0, 9)];
  }
  return s;
}

function businessLines(rng: Rng, trade: Trade): BusinessLine[] {
  const lines = new Set<BusinessLine>(trade.lines);
  for (const [line, p] of EXTRA_LINES) if (rng.chance(p)) lines.add(line);
  return [...lines];
}

export function generateEntities(rng: Rng, grids: readonly GridPlan[], count: number): EntityPlan[] {
  const gridIdx = grids.map((_, i) => i);
  const gridPickers: Record<EntityType, (r: Rng) => number> = {
    enterprise: weightedPicker(
      gridIdx,
      grids.map((g) => TOWNS[g.townIndex]!.density),
    ),
    individual: weightedPicker(
      gridIdx,
      grids.map((g) => TOWNS[g.townIndex]!.density),
    ),
    cooperative: weightedPicker(
      gridIdx,
      grids.map((g) => TOWNS[g.townIndex]!.farming),
    ),
  };
  const names = new Set<string>();
  const codes = new Set<string>();
  const out: EntityPlan[] = [];
  for (let n = 0; n < count; n++) {
    const type = pickType(rng);
    const gridIndex = gridPickers[type](rng);
    const grid = grids[gridIndex]!;
    const town = TOWNS[grid.townIndex]!;
    const trade = tradePickers[type](rng);

    let name = entityName(rng, type, town, trade);
    for (let attempt = 1; names.has(name); attempt++) {
      // Registered names are unique; after many collisions fall back to a numbered branch (分店).
      name =
        attempt < 20
          ? entityName(rng, type, town, trade)
          : `${entityName(rng, type, town, trade)}${attempt}号店`;
    }
    names.add(name);

    // Skewed towards recent years: most 主体 in a county are young.
    const ageDays = Math.floor(rng.next() ** 1.8 * MAX_AGE_YEARS[type] * 365) + 30;
    const establishedOn = dayFromReference(-ageDays);
    let body = subjectCode(rng, establishedOn);
    while (codes.has(body)) body = subjectCode(rng, establishedOn);
    codes.add(body);
    const first17 = `9${CATEGORY[type]}${COUNTY.regionCode}${body}`;
    const [lon, lat] = samplePointInGrid(rng, grid);

    out.push({
      uscc: first17 + usccCheckChar(first17),
      name,
      type,
      address: entityAddress(rng, type, town),
      regionCode: town.code,
      gridIndex,
      townIndex: grid.townIndex,
      lon,
      lat,
      businessLines: businessLines(rng, trade),
      establishedOn,
      status: '存续',
    });
    // The draw that once picked a random risk class (now computed by fusion/risk), kept so that one seed still
    // yields the same county as before.
    rng.next();
  }
  return out;
}

/**
 * 登记状态 of the generated entities, from a stream of its own: about 2% 注销 and 1% 吊销 (some still holding a
 * licence, which the risk model flags as 登记状态异常); the rest 存续.
 */
export function planStatuses(rng: Rng, entities: readonly EntityPlan[]): EntityPlan[] {
  return entities.map((e) => {
    const r = rng.next();
    return r < 0.01 ? { ...e, status: '吊销，未注销' } : r < 0.03 ? { ...e, status: '注销' } : e;
  });
}
