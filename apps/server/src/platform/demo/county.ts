import { type BBox, bboxOf, centroid, type Point, pointInRing, type Ring, round6 } from './geometry.ts';
import type { Rng } from './random.ts';

/**
 * The fictional 示范县, shaped like a county of Suzhou on the Yangtze: about 38 × 22 km, 8 镇/街道, 40 网格.
 * The county is a lattice of 8 × 5 quadrilateral cells whose inner corners are jittered (so grids are not plain
 * rectangles); every cell is one 网格 and every 镇/街道 is a connected group of cells (TOWN_LAYOUT). Neighbouring
 * cells share the very same corner coordinates, so the grids tile the county exactly.
 */
export const COUNTY = {
  name: '示范县',
  /** Fictional GB/T 2260 code (Suzhou's codes are 3205xx; 99 is unused). */
  regionCode: '320599',
  bbox: { minLon: 120.5, minLat: 31.3, maxLon: 120.9, maxLat: 31.5 } satisfies BBox,
} as const;

export interface Town {
  /** Full name, e.g. 城厢镇 / 娄东街道. */
  name: string;
  /** Name without 镇/街道, used for the 所: 城厢市场监管所. */
  short: string;
  /** Pinyin, used for usernames and codes. */
  pinyin: string;
  /** 9-digit township code under the county. */
  code: string;
  kind: '镇' | '街道';
  /** Relative density of 经营主体 per grid (the county seat and the streets are busiest). */
  density: number;
  /** Relative weight for 农民专业合作社 per grid (none in the streets). */
  farming: number;
  roads: readonly string[];
  villages: readonly string[];
}

/** In station order: the first two are where officer1 and officer2 work. */
export const TOWNS: readonly Town[] = [
  {
    name: '城厢镇',
    short: '城厢',
    pinyin: 'chengxiang',
    code: '320599100',
    kind: '镇',
    density: 3.2,
    farming: 0.3,
    roads: ['人民南路', '县府街', '上海东路', '弇山路', '致和塘路', '太平北路', '朝阳路', '东仓路'],
    villages: ['电站村', '东林村', '万丰村'],
  },
  {
    name: '沙溪镇',
    short: '沙溪',
    pinyin: 'shaxi',
    code: '320599101',
    kind: '镇',
    density: 1.3,
    farming: 1.2,
    roads: ['白云路', '新港路', '印溪路', '沙南路', '长寿路', '松南路'],
    villages: ['松南村', '泥桥村', '岳王村', '庄西村'],
  },
  {
    name: '浏河镇',
    short: '浏河',
    pinyin: 'liuhe',
    code: '320599102',
    kind: '镇',
    density: 1.1,
    farming: 1.0,
    roads: ['郑和路', '闸北路', '新浏路', '滨江大道', '东仓南路'],
    villages: ['何桥村', '东仓村', '新闸村'],
  },
  {
    name: '浮桥镇',
    short: '浮桥',
    pinyin: 'fuqiao',
    code: '320599103',
    kind: '镇',
    density: 1.0,
    farming: 1.1,
    roads: ['浏家港路', '七浦塘路', '浮盛路', '港城大道', '新海路'],
    villages: ['方桥村', '绿化村', '时思村'],
  },
  {
    name: '璜泾镇',
    short: '璜泾',
    pinyin: 'huangjing',
    code: '320599104',
    kind: '镇',
    density: 0.9,
    farming: 1.3,
    roads: ['璜泾大道', '杨林路', '雅鹿路', '永乐路', '滨河路'],
    villages: ['杨漕村', '王秀村', '雅鹿村', '永乐村'],
  },
  {
    name: '双凤镇',
    short: '双凤',
    pinyin: 'shuangfeng',
    code: '320599105',
    kind: '镇',
    density: 0.9,
    farming: 1.5,
    roads: ['凤中路', '凤北路', '双湖路', '新湖路', '凤凰大道'],
    villages: ['维新村', '勤力村', '庆丰村', '新湖村'],
  },
  {
    name: '娄东街道',
    short: '娄东',
    pinyin: 'loudong',
    code: '320599001',
    kind: '街道',
    density: 2.6,
    farming: 0,
    roads: ['娄江路', '北京东路', '常胜路', '南洋广场路', '半泾路', '洛阳东路'],
    villages: [],
  },
  {
    name: '陆渡街道',
    short: '陆渡',
    pinyin: 'ludu',
    code: '320599002',
    kind: '街道',
    density: 1.8,
    farming: 0,
    roads: ['陆渡大道', '太平南路', '苏州路', '广州路', '文治路'],
    villages: [],
  },
];

/** Which town each lattice cell belongs to (rows north → south, columns west → east); letters index TOWN_KEYS. */
const TOWN_KEYS = 'CSLFHBDU';
const TOWN_LAYOUT = ['SSHHHFFF', 'SSHHFFLL', 'BSCCDDLL', 'BBCCDUUL', 'BBCUUULL'] as const;
const COLS = 8;
const ROWS = TOWN_LAYOUT.length;
/** Inner corners move up to this share of a cell, small enough that every cell stays convex. */
const JITTER = 0.2;

export interface GridPlan {
  /** e.g. 32059910001 (town code + 2-digit number). */
  code: string;
  /** e.g. 城厢镇第1网格. */
  name: string;
  townIndex: number;
  /** Closed GeoJSON ring, counter-clockwise, lon/lat with 6 decimals. */
  ring: Ring;
  center: Point;
  bbox: BBox;
}

/** The county's 网格, ordered by town and then by number. */
export function buildGrids(rng: Rng): GridPlan[] {
  const { minLon, minLat, maxLon, maxLat } = COUNTY.bbox;
  const dx = (maxLon - minLon) / COLS;
  const dy = (maxLat - minLat) / ROWS;
  // corners[row][col]: rows 0..ROWS from north to south, cols 0..COLS from west to east.
  const corners: Point[][] = [];
  for (let r = 0; r <= ROWS; r++) {
    const line: Point[] = [];
    for (let c = 0; c <= COLS; c++) {
      const jx = c === 0 || c === COLS ? 0 : rng.float(-JITTER, JITTER) * dx;
      const jy = r === 0 || r === ROWS ? 0 : rng.float(-JITTER, JITTER) * dy;
      line.push([round6(minLon + c * dx + jx), round6(maxLat - r * dy + jy)]);
    }
    corners.push(line);
  }
  const seqByTown = TOWNS.map(() => 0);
  const grids: GridPlan[] = [];
  for (let r = 0; r < ROWS; r++) {
    for (let c = 0; c < COLS; c++) {
      const townIndex = TOWN_KEYS.indexOf(TOWN_LAYOUT[r]![c]!);
      const town = TOWNS[townIndex]!;
      const seq = ++seqByTown[townIndex]!;
      const sw = corners[r + 1]![c]!;
      const ring: Ring = [sw, corners[r + 1]![c + 1]!, corners[r]![c + 1]!, corners[r]![c]!, sw];
      const [cx, cy] = centroid(ring);
      grids.push({
        code: `${town.code}${String(seq).padStart(2, '0')}`,
        name: `${town.name}第${seq}网格`,
        townIndex,
        ring,
        center: [round6(cx), round6(cy)],
        bbox: bboxOf(ring),
      });
    }
  }
  return grids.sort((a, b) => a.townIndex - b.townIndex || a.code.localeCompare(b.code));
}

/** A point uniformly inside the grid (rejection sampling in its bounding box), already rounded and re-checked. */
export function samplePointInGrid(rng: Rng, grid: GridPlan): Point {
  const { minLon, minLat, maxLon, maxLat } = grid.bbox;
  for (;;) {
    const p: Point = [round6(rng.float(minLon, maxLon)), round6(rng.float(minLat, maxLat))];
    if (pointInRing(p, grid.ring)) return p;
  }
}
