import type { PolygonGeometry } from '@rongjian/shared/api';
import type { LatLngBounds, LatLngExpression, LatLngTuple } from 'leaflet';

/**
 * GeoJSON `[lon, lat]` ↔ Leaflet `[lat, lon]`. Coordinates are CGCS2000 / WGS-84 throughout: no GCJ-02 shift, so
 * a tile service must be a CGCS2000/WGS-84 one (天地图), never 高德 or 腾讯.
 */
export type Geometry = PolygonGeometry;

const ll = (p: readonly number[]): LatLngTuple => [p[1] ?? 0, p[0] ?? 0];

/** Leaflet polygon positions: rings for a Polygon, parts of rings for a MultiPolygon (holes included). */
export function toLatLngs(g: Geometry): LatLngExpression[][] | LatLngExpression[][][] {
  return g.type === 'Polygon'
    ? g.coordinates.map((ring) => ring.map(ll))
    : g.coordinates.map((part) => part.map((ring) => ring.map(ll)));
}

/** `[[south, west], [north, east]]` around every outer ring, or null when there is nothing. */
export function boundsOf(geometries: readonly Geometry[]): [LatLngTuple, LatLngTuple] | null {
  let s = 90;
  let w = 180;
  let n = -90;
  let e = -180;
  let any = false;
  for (const g of geometries) {
    const parts = g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
    for (const part of parts) {
      for (const [lon = 0, lat = 0] of part[0] ?? []) {
        any = true;
        s = Math.min(s, lat);
        n = Math.max(n, lat);
        w = Math.min(w, lon);
        e = Math.max(e, lon);
      }
    }
  }
  return any
    ? [
        [s, w],
        [n, e],
      ]
    : null;
}

/** `minLon,minLat,maxLon,maxLat` of the visible map, clamped to valid ranges, for the layer APIs. */
export function bboxParam(b: LatLngBounds): string {
  const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));
  const r = (v: number) => Math.round(v * 1e6) / 1e6;
  return [
    r(clamp(b.getWest(), -180, 180)),
    r(clamp(b.getSouth(), -90, 90)),
    r(clamp(b.getEast(), -180, 180)),
    r(clamp(b.getNorth(), -90, 90)),
  ].join(',');
}
