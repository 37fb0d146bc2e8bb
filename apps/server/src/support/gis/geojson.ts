/**
 * GeoJSON Polygon / MultiPolygon checks for 网格 boundaries, in plain TypeScript (PGlite has no PostGIS). Coordinates are
 * WGS-84 `[lon, lat]`. A county is a few tens of kilometres across, so edges are treated as straight lines in
 * the lon/lat plane; the area in km² uses a local equirectangular scale, good to a fraction of a percent there.
 */
import { featureCollection, feature } from '@turf/helpers';
import intersect from '@turf/intersect';

export type Position = [lon: number, lat: number];
export interface Polygon {
  type: 'Polygon';
  coordinates: Position[][];
}
/** A grid in several parts (an enclave, an island): each part an outer ring with optional holes. */
export interface MultiPolygon {
  type: 'MultiPolygon';
  coordinates: Position[][][];
}
export type GridGeometry = Polygon | MultiPolygon;

/** Each part's rings (outer ring first, then holes), whatever the geometry type. */
export const polygonsOf = (g: GridGeometry): Position[][][] =>
  g.type === 'Polygon' ? [g.coordinates] : g.coordinates;

export interface GeoIssue {
  /** Path inside the geometry, e.g. `coordinates.0.3`. */
  path: string;
  message: string;
}

/** China's extreme points, rounded outwards: 漠河 (north), 曾母暗沙 (south), 乌苏里江 (east), 帕米尔 (west). */
export const CHINA_BOUNDS = { minLon: 73.4, maxLon: 135.1, minLat: 3.8, maxLat: 53.6 } as const;

const MAX_ISSUES = 10;
/** The self-intersection check is quadratic; a hand-drawn grid boundary never needs more vertices. */
export const MAX_VERTICES = 5000;
const num = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const ringName = (i: number) => (i === 0 ? '外环' : `第 ${i} 个内环（洞）`);

/** Twice the signed area (shoelace; positive counter-clockwise). The ring must be closed. */
function doubledArea(ring: readonly Position[]): number {
  let s = 0;
  for (let i = 0; i < ring.length - 1; i++) {
    const [x1, y1] = ring[i]!;
    const [x2, y2] = ring[i + 1]!;
    s += x1 * y2 - x2 * y1;
  }
  return s;
}

function orient(a: Position, b: Position, c: Position): number {
  const v = (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0]);
  return v > 0 ? 1 : v < 0 ? -1 : 0;
}

function onSegment(a: Position, b: Position, p: Position): boolean {
  return (
    Math.min(a[0], b[0]) <= p[0] &&
    p[0] <= Math.max(a[0], b[0]) &&
    Math.min(a[1], b[1]) <= p[1] &&
    p[1] <= Math.max(a[1], b[1])
  );
}

/** Closed-segment intersection, touching and collinear overlap included. */
export function segmentsIntersect(p1: Position, p2: Position, q1: Position, q2: Position): boolean {
  const o1 = orient(p1, p2, q1);
  const o2 = orient(p1, p2, q2);
  const o3 = orient(q1, q2, p1);
  const o4 = orient(q1, q2, p2);
  if (o1 !== o2 && o3 !== o4) return true;
  return (
    (o1 === 0 && onSegment(p1, p2, q1)) ||
    (o2 === 0 && onSegment(p1, p2, q2)) ||
    (o3 === 0 && onSegment(q1, q2, p1)) ||
    (o4 === 0 && onSegment(q1, q2, p2))
  );
}

/**
 * The first pair of edges of a closed ring that cross, touch or fold back on each other (edge numbers from 1),
 * or null for a simple ring. O(n²), which is fine for hand-drawn grids of a few hundred vertices.
 */
export function findSelfIntersection(ring: readonly Position[]): [number, number] | null {
  const n = ring.length - 1;
  for (let i = 0; i < n; i++) {
    const a1 = ring[i]!;
    const a2 = ring[i + 1]!;
    // Adjacent edges share a vertex; they only overlap when the second one doubles back along the first.
    const b2 = ring[(i + 2) % n]!;
    if (
      n > 2 &&
      orient(a1, a2, b2) === 0 &&
      (a2[0] - a1[0]) * (b2[0] - a2[0]) + (a2[1] - a1[1]) * (b2[1] - a2[1]) < 0
    )
      return [i + 1, ((i + 1) % n) + 1];
    for (let j = i + 2; j < n; j++) {
      if (i === 0 && j === n - 1) continue;
      if (segmentsIntersect(a1, a2, ring[j]!, ring[j + 1]!)) return [i + 1, j + 1];
    }
  }
  return null;
}

function checkRing(ring: unknown, r: number, issues: GeoIssue[], base = 'coordinates'): ring is Position[] {
  const at = `${base}.${r}`;
  if (!Array.isArray(ring)) {
    issues.push({ path: at, message: `${ringName(r)}应为坐标点数组` });
    return false;
  }
  if (ring.length > MAX_VERTICES) {
    issues.push({
      path: at,
      message: `${ringName(r)}坐标点过多（${ring.length} 个），最多 ${MAX_VERTICES} 个`,
    });
    return false;
  }
  let ok = true;
  ring.forEach((pos, i) => {
    if (issues.length >= MAX_ISSUES) return;
    if (!Array.isArray(pos) || pos.length < 2 || pos.length > 3 || !pos.every(num)) {
      issues.push({
        path: `${at}.${i}`,
        message: `${ringName(r)}第 ${i + 1} 个坐标点应为 [经度, 纬度] 数字对`,
      });
      ok = false;
      return;
    }
    const [lon, lat] = pos as number[];
    const b = CHINA_BOUNDS;
    if (lon! < b.minLon || lon! > b.maxLon || lat! < b.minLat || lat! > b.maxLat) {
      issues.push({
        path: `${at}.${i}`,
        message: `${ringName(r)}第 ${i + 1} 个坐标点 [${lon}, ${lat}] 超出中国境内经纬度范围（经度 ${b.minLon}–${b.maxLon}，纬度 ${b.minLat}–${b.maxLat}），请确认经度在前、纬度在后`,
      });
      ok = false;
    }
  });
  if (!ok) return false;
  if (ring.length < 4) {
    issues.push({ path: at, message: `${ringName(r)}至少需要 4 个坐标点（3 个顶点，再加与起点相同的终点）` });
    return false;
  }
  const first = ring[0] as number[];
  const last = ring[ring.length - 1] as number[];
  if (first[0] !== last[0] || first[1] !== last[1]) {
    issues.push({ path: at, message: `${ringName(r)}未闭合：最后一个坐标点必须与第一个坐标点相同` });
    return false;
  }
  for (let i = 0; i < ring.length - 1; i++) {
    const [a, b] = [ring[i] as number[], ring[i + 1] as number[]];
    if (a[0] === b[0] && a[1] === b[1]) {
      issues.push({
        path: `${at}.${i + 1}`,
        message: `${ringName(r)}第 ${i + 1} 与第 ${i + 2} 个坐标点重复`,
      });
      return false;
    }
  }
  return true;
}

/** The rings of one polygon (outer ring, then holes), checked under `base` (`coordinates` or `coordinates.<part>`). */
function checkPolygonRings(rings: unknown, base: string, issues: GeoIssue[]): void {
  if (!Array.isArray(rings) || rings.length === 0) {
    issues.push({ path: base, message: '多边形至少需要一个外环' });
    return;
  }
  const valid = rings.map((ring, r) => checkRing(ring, r, issues, base));
  if (!valid.every(Boolean)) return;
  (rings as Position[][]).forEach((ring, r) => {
    const crossing = findSelfIntersection(ring);
    if (crossing) {
      issues.push({
        path: `${base}.${r}`,
        message: `${ringName(r)}边界自相交：第 ${crossing[0]} 条边与第 ${crossing[1]} 条边相交或重叠`,
      });
    } else if (doubledArea(ring) === 0) {
      issues.push({ path: `${base}.${r}`, message: `${ringName(r)}面积为 0（所有顶点在一条直线上）` });
    }
  });
}

/** Every problem that makes `geometry` unusable as a 网格 boundary, in Chinese; empty when it is valid. */
export function validatePolygon(geometry: unknown): GeoIssue[] {
  const g = geometry as { type?: unknown; coordinates?: unknown } | null;
  if (!g || typeof g !== 'object') return [{ path: '', message: '边界应为 GeoJSON 几何对象' }];
  if (g.type !== 'Polygon' && g.type !== 'MultiPolygon') {
    return [
      {
        path: 'type',
        message: `几何类型必须为 Polygon（多边形）或 MultiPolygon（多部分多边形），而不是 ${String(g.type)}`,
      },
    ];
  }
  if (!Array.isArray(g.coordinates) || g.coordinates.length === 0) {
    return [
      {
        path: 'coordinates',
        message: g.type === 'Polygon' ? '多边形至少需要一个外环' : '多部分多边形至少需要一个部分',
      },
    ];
  }
  const issues: GeoIssue[] = [];
  if (g.type === 'Polygon') checkPolygonRings(g.coordinates, 'coordinates', issues);
  else {
    g.coordinates.forEach((part, p) => {
      if (issues.length < MAX_ISSUES) checkPolygonRings(part, `coordinates.${p}`, issues);
    });
  }
  return issues.slice(0, MAX_ISSUES);
}

/** Area centroid of one outer ring, and its doubled signed area. */
function ringCentroid(ring: readonly Position[]): { x: number; y: number; a: number } {
  let a = 0;
  let cx = 0;
  let cy = 0;
  // Relative to the first vertex, so that large absolute coordinates do not cost precision.
  const [ox, oy] = ring[0]!;
  for (let i = 0; i < ring.length - 1; i++) {
    const x1 = ring[i]![0] - ox;
    const y1 = ring[i]![1] - oy;
    const x2 = ring[i + 1]![0] - ox;
    const y2 = ring[i + 1]![1] - oy;
    const f = x1 * y2 - x2 * y1;
    a += f;
    cx += (x1 + x2) * f;
    cy += (y1 + y2) * f;
  }
  return { x: ox + cx / (3 * a), y: oy + cy / (3 * a), a };
}

/**
 * Area centroid of the outer ring, rounded to 6 decimals (about 0.1 m). For a MultiPolygon, the centroid of its
 * largest part, so that the label of a grid in two pieces sits inside one of them.
 */
export function polygonCenter(geometry: GridGeometry): Position {
  const parts = polygonsOf(geometry).map((rings) => ringCentroid(rings[0]!));
  const largest = parts.reduce((best, p) => (Math.abs(p.a) > Math.abs(best.a) ? p : best));
  const round6 = (v: number) => Math.round(v * 1e6) / 1e6;
  return [round6(largest.x), round6(largest.y)];
}

/** Area in km² (outer rings minus holes, over every part). */
export function polygonAreaKm2(geometry: GridGeometry): number {
  const parts = polygonsOf(geometry);
  const lat0 = (parts[0]![0]![0]![1] * Math.PI) / 180;
  const kmPerDegLat = 111.32;
  const kmPerDegLon = 111.32 * Math.cos(lat0);
  let deg2 = 0;
  for (const rings of parts) {
    const [outer, ...holes] = rings.map((r) => Math.abs(doubledArea(r)) / 2);
    deg2 += (outer ?? 0) - holes.reduce((s, h) => s + h, 0);
  }
  return Math.round(deg2 * kmPerDegLat * kmPerDegLon * 1000) / 1000;
}

/** The bounding box `[minLon, minLat, maxLon, maxLat]` of a geometry's outer rings. */
export function geometryBbox(geometry: GridGeometry): [number, number, number, number] {
  let minX = Number.POSITIVE_INFINITY;
  let minY = Number.POSITIVE_INFINITY;
  let maxX = Number.NEGATIVE_INFINITY;
  let maxY = Number.NEGATIVE_INFINITY;
  for (const rings of polygonsOf(geometry)) {
    for (const [x, y] of rings[0] ?? []) {
      if (x < minX) minX = x;
      if (y < minY) minY = y;
      if (x > maxX) maxX = x;
      if (y > maxY) maxY = y;
    }
  }
  return [minX, minY, maxX, maxY];
}

/** The area two boundaries share, in km² (0 when they only touch along an edge or not at all). */
export function overlapKm2(a: GridGeometry, b: GridGeometry): number {
  const [ax0, ay0, ax1, ay1] = geometryBbox(a);
  const [bx0, by0, bx1, by1] = geometryBbox(b);
  if (ax1 <= bx0 || bx1 <= ax0 || ay1 <= by0 || by1 <= ay0) return 0;
  const shared = intersect(featureCollection([feature(a), feature(b)]));
  return shared ? polygonAreaKm2(shared.geometry as GridGeometry) : 0;
}
