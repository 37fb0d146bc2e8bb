import { describe, expect, it } from 'vitest';
import {
  findSelfIntersection,
  type Polygon,
  type Position,
  polygonAreaKm2,
  polygonCenter,
  validatePolygon,
} from './geojson.ts';

const square = (lon = 120.6, lat = 31.4, d = 0.01): Position[] => [
  [lon, lat],
  [lon + d, lat],
  [lon + d, lat + d],
  [lon, lat + d],
  [lon, lat],
];
const poly = (...rings: Position[][]): Polygon => ({ type: 'Polygon', coordinates: rings });
const messages = (g: unknown) => validatePolygon(g).map((i) => i.message);

describe('validatePolygon', () => {
  it('accepts a simple closed ring inside China, with or without holes', () => {
    expect(validatePolygon(poly(square()))).toEqual([]);
    expect(validatePolygon(poly(square(120.6, 31.4, 0.1), square(120.62, 31.42, 0.01)))).toEqual([]);
    // A concave (L-shaped) ring is simple too.
    const l: Position[] = [
      [120.6, 31.4],
      [120.62, 31.4],
      [120.62, 31.41],
      [120.61, 31.41],
      [120.61, 31.42],
      [120.6, 31.42],
      [120.6, 31.4],
    ];
    expect(validatePolygon(poly(l))).toEqual([]);
  });

  it('refuses other geometry types and missing rings', () => {
    expect(messages({ type: 'Point', coordinates: [120.6, 31.4] })[0]).toContain('必须为 Polygon');
    expect(messages({ type: 'Polygon', coordinates: [] })[0]).toContain('至少需要一个外环');
    expect(messages(null)[0]).toContain('GeoJSON');
  });

  it('refuses rings with fewer than 4 positions', () => {
    const issues = validatePolygon(
      poly([
        [120.6, 31.4],
        [120.61, 31.4],
        [120.6, 31.4],
      ]),
    );
    expect(issues).toEqual([
      { path: 'coordinates.0', message: expect.stringContaining('至少需要 4 个坐标点') },
    ]);
  });

  it('refuses an open ring', () => {
    const open = square()
      .slice(0, 4)
      .concat([[120.6, 31.405]]);
    expect(messages(poly(open))[0]).toContain('未闭合');
  });

  it('refuses coordinates outside China, naming the point and hinting at swapped lon/lat', () => {
    const swapped = square().map(([lon, lat]) => [lat, lon] as Position);
    const issues = validatePolygon(poly(swapped));
    expect(issues[0]!.path).toBe('coordinates.0.0');
    expect(issues[0]!.message).toContain('超出中国境内经纬度范围');
    expect(issues[0]!.message).toContain('经度在前');
    expect(messages(poly(square(-74, 40.7)))[0]).toContain('超出中国境内');
  });

  it('refuses non-numeric positions', () => {
    const bad = [
      [120.6, 31.4],
      ['120.61', 31.4],
      [120.61, 31.41],
      [120.6, 31.4],
    ];
    expect(validatePolygon({ type: 'Polygon', coordinates: [bad] })[0]).toEqual({
      path: 'coordinates.0.1',
      message: expect.stringContaining('[经度, 纬度]'),
    });
  });

  it('refuses a self-intersecting outer ring (a bow tie) and names the crossing edges', () => {
    const bowTie: Position[] = [
      [120.6, 31.4],
      [120.61, 31.41],
      [120.61, 31.4],
      [120.6, 31.41],
      [120.6, 31.4],
    ];
    expect(messages(poly(bowTie))[0]).toBe('外环边界自相交：第 1 条边与第 3 条边相交或重叠');
  });

  it('refuses a ring that doubles back on itself and repeated vertices', () => {
    const spike: Position[] = [
      [120.6, 31.4],
      [120.62, 31.4],
      [120.61, 31.4],
      [120.61, 31.41],
      [120.6, 31.4],
    ];
    expect(messages(poly(spike))[0]).toContain('自相交');
    const repeated = [square()[0]!, ...square()];
    expect(messages(poly(repeated))[0]).toContain('坐标点重复');
  });

  it('refuses a ring of zero area', () => {
    const line: Position[] = [
      [120.6, 31.4],
      [120.61, 31.4],
      [120.62, 31.4],
      [120.6, 31.4],
    ];
    // Collinear vertices fold back on themselves, which is reported as an overlap (area 0).
    expect(messages(poly(line))[0]).toMatch(/自相交|面积为 0/);
  });
});

describe('findSelfIntersection', () => {
  it('finds nothing in a simple ring and the crossing pair in a figure eight', () => {
    expect(findSelfIntersection(square())).toBeNull();
    const eight: Position[] = [
      [0, 0],
      [2, 2],
      [2, 0],
      [0, 2],
      [0, 0],
    ];
    expect(findSelfIntersection(eight)).toEqual([1, 3]);
  });
});

describe('polygonCenter / polygonAreaKm2', () => {
  it('computes the centroid and an area in km² for a square near Suzhou', () => {
    expect(polygonCenter(poly(square(120.6, 31.4, 0.02)))).toEqual([120.61, 31.41]);
    // 0.01° × 0.01° at 31.4° N is about 1.113 km × 0.950 km.
    expect(polygonAreaKm2(poly(square()))).toBeCloseTo(1.058, 2);
    const withHole = poly(square(120.6, 31.4, 0.02), square(120.605, 31.405, 0.01));
    expect(polygonAreaKm2(withHole)).toBeCloseTo(3 * 1.058, 1);
  });
});
