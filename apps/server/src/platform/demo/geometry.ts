/**
 * Planar geometry on lon/lat pairs, enough for the demo county (a few tens of kilometres, so treating degrees as
 * a plane is fine for containment and relative areas). No PostGIS in PGlite (STACK-NOTES.md).
 */
export type Point = [lon: number, lat: number];
/** A closed ring: the first point repeated at the end, as GeoJSON requires. */
export type Ring = Point[];

export interface BBox {
  minLon: number;
  minLat: number;
  maxLon: number;
  maxLat: number;
}

/** Even-odd ray casting. Points exactly on an edge may fall either way. */
export function pointInRing(p: Point, ring: readonly Point[]): boolean {
  const [x, y] = p;
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i]!;
    const [xj, yj] = ring[j]!;
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/** Signed shoelace area (positive when counter-clockwise). */
export function signedArea(ring: readonly Point[]): number {
  let s = 0;
  for (let i = 0; i < ring.length - 1; i++) {
    const [x1, y1] = ring[i]!;
    const [x2, y2] = ring[i + 1]!;
    s += x1 * y2 - x2 * y1;
  }
  return s / 2;
}

/** Area centroid of a simple polygon. */
export function centroid(ring: readonly Point[]): Point {
  let a = 0;
  let cx = 0;
  let cy = 0;
  for (let i = 0; i < ring.length - 1; i++) {
    const [x1, y1] = ring[i]!;
    const [x2, y2] = ring[i + 1]!;
    const f = x1 * y2 - x2 * y1;
    a += f;
    cx += (x1 + x2) * f;
    cy += (y1 + y2) * f;
  }
  return [cx / (3 * a), cy / (3 * a)];
}

export function bboxOf(ring: readonly Point[]): BBox {
  const lons = ring.map((p) => p[0]);
  const lats = ring.map((p) => p[1]);
  return {
    minLon: Math.min(...lons),
    minLat: Math.min(...lats),
    maxLon: Math.max(...lons),
    maxLat: Math.max(...lats),
  };
}

/** Coordinates are stored with 6 decimals (about 0.1 m). */
export const round6 = (v: number): number => Math.round(v * 1e6) / 1e6;
