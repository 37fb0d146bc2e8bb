/**
 * The two ways a boundary is typed in the grid form — a vertex list (one `经度, 纬度` per line) or GeoJSON text
 * (Polygon, with holes, or MultiPolygon) —
 * and the conversions between them. Only syntax is checked here; the server checks the geometry itself
 * (closed rings, China's bounds, no self-intersection) and its messages are shown per field.
 */
export type Position = [number, number];
export type Polygon =
  | { type: 'Polygon'; coordinates: Position[][] }
  /** A grid in several parts; edited as GeoJSON only. */
  | { type: 'MultiPolygon'; coordinates: Position[][][] };

export type Parsed = { ok: true; polygon: Polygon } | { ok: false; error: string };

const NUMBER = /^-?\d+(\.\d+)?$/;

/** One vertex per line; the ring is closed automatically when the last vertex differs from the first. */
export function parseVertexList(text: string): Parsed {
  const ring: Position[] = [];
  const lines = text.split(/\r?\n/);
  for (const [i, raw] of lines.entries()) {
    const line = raw.trim();
    if (!line) continue;
    const parts = line.split(/[\s,，]+/).filter(Boolean);
    if (parts.length !== 2 || !parts.every((p) => NUMBER.test(p))) {
      return { ok: false, error: `第 ${i + 1} 行应为“经度, 纬度”，例如 120.6123, 31.4056` };
    }
    ring.push([Number(parts[0]), Number(parts[1])]);
  }
  if (ring.length === 0) return { ok: false, error: '请输入边界顶点' };
  const first = ring[0]!;
  const last = ring[ring.length - 1]!;
  if (ring.length > 1 && (first[0] !== last[0] || first[1] !== last[1])) ring.push([first[0], first[1]]);
  return { ok: true, polygon: { type: 'Polygon', coordinates: [ring] } };
}

/** A MultiPolygon, or a polygon with holes, has no vertex-list form: it is edited as GeoJSON. */
export const fitsVertexList = (p: Polygon): boolean => p.type === 'Polygon' && p.coordinates.length === 1;

/** The outer ring as a vertex list (without the closing vertex, which is added back on parsing). */
export function toVertexList(p: Polygon): string {
  if (p.type !== 'Polygon') return '';
  const ring = p.coordinates[0] ?? [];
  const open = ring.length > 1 ? ring.slice(0, -1) : ring;
  return open.map(([lon, lat]) => `${lon}, ${lat}`).join('\n');
}

/** GeoJSON text: a Polygon geometry, or a Feature / single-feature FeatureCollection holding one. */
export function parseGeoJsonText(text: string): Parsed {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, error: '不是有效的 JSON，请检查括号与逗号' };
  }
  let g = value as {
    type?: string;
    geometry?: unknown;
    features?: { geometry?: unknown }[];
    coordinates?: unknown;
  };
  if (g?.type === 'FeatureCollection') {
    if (g.features?.length !== 1) return { ok: false, error: 'FeatureCollection 中应只有一个要素' };
    g = g.features[0]!.geometry as typeof g;
  } else if (g?.type === 'Feature') {
    g = g.geometry as typeof g;
  }
  if (g?.type !== 'Polygon' && g?.type !== 'MultiPolygon') {
    return { ok: false, error: `几何类型应为 Polygon 或 MultiPolygon，当前为 ${String(g?.type)}` };
  }
  if (!Array.isArray(g.coordinates)) return { ok: false, error: 'coordinates 应为坐标环数组' };
  return { ok: true, polygon: g as Polygon };
}

export const toGeoJsonText = (p: Polygon): string => JSON.stringify(p, null, 2);

/** Rough outline check before drawing a preview: every position a pair of finite numbers. */
export function drawable(p: Polygon): boolean {
  const ringsOk = (rings: unknown) =>
    Array.isArray(rings) &&
    rings.length > 0 &&
    rings.every(
      (ring) =>
        Array.isArray(ring) &&
        ring.length >= 3 &&
        ring.every(
          (pos) => Array.isArray(pos) && pos.length >= 2 && pos.every((v: unknown) => Number.isFinite(v)),
        ),
    );
  return p.type === 'Polygon'
    ? ringsOk(p.coordinates)
    : Array.isArray(p.coordinates) && p.coordinates.length > 0 && p.coordinates.every(ringsOk);
}
