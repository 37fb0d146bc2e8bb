import { booleanPointInPolygon } from '@turf/boolean-point-in-polygon';
import Flatbush from 'flatbush';
import { type GridGeometry, geometryBbox } from './geojson.ts';

/**
 * Point-in-polygon over every grid: the grids' bounding boxes in a static R-tree (flatbush), then the exact test
 * (turf: holes and MultiPolygons, boundary included) only on the few grids whose box holds the point. A county has
 * tens of grids and a city a few thousand, so the index is rebuilt per assignment run in a millisecond or two.
 */
export interface IndexedGrid {
  id: number;
  stationId: number;
  geometry: GridGeometry;
}

export interface GridIndex {
  /** The grid a point lies in, or null for 未落格. A point on a shared edge goes to the grid with the lower id. */
  locate(lon: number, lat: number): IndexedGrid | null;
  readonly size: number;
}

export function buildGridIndex(grids: readonly IndexedGrid[]): GridIndex {
  // Lower ids first, so that the first hit is deterministic where grids touch or (by mistake) overlap.
  const sorted = [...grids].sort((a, b) => a.id - b.id);
  if (sorted.length === 0) return { locate: () => null, size: 0 };
  const index = new Flatbush(sorted.length);
  for (const g of sorted) {
    const [minX, minY, maxX, maxY] = geometryBbox(g.geometry);
    index.add(minX, minY, maxX, maxY);
  }
  index.finish();
  return {
    size: sorted.length,
    locate(lon, lat) {
      const hits = index.search(lon, lat, lon, lat).sort((a, b) => a - b);
      for (const i of hits) {
        const g = sorted[i]!;
        if (booleanPointInPolygon([lon, lat], g.geometry)) return g;
      }
      return null;
    },
  };
}
