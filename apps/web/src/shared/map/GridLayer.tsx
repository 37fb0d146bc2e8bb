import L from 'leaflet';
import { Fragment, useMemo, useState } from 'react';
import { Marker, Polygon, Tooltip, useMapEvents } from 'react-leaflet';
import { SELECTED_COLOR } from './colors.ts';
import type { Geometry } from './geo.ts';
import { toLatLngs } from './geo.ts';
import { escapeHtml } from './html.ts';

/** One grid on the map: its boundary, fill colour and what its tooltip tells. */
export interface MapGrid {
  /** Unique on the map. */
  key: string;
  id?: number | undefined;
  name: string;
  geometry: Geometry;
  color: string;
  /** Tooltip lines under the name, e.g. the owning 所 and the entity count. */
  lines?: string[];
}

/** Where a grid's name goes: the middle of its largest part's bounding box. */
function labelPoint(g: Geometry): L.LatLng {
  const parts = g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
  let best: L.LatLngBounds | null = null;
  let bestArea = -1;
  for (const part of parts) {
    const b = L.latLngBounds((part[0] ?? []).map(([lon = 0, lat = 0]) => L.latLng(lat, lon)));
    const area = (b.getNorth() - b.getSouth()) * (b.getEast() - b.getWest());
    if (area > bestArea) {
      best = b;
      bestArea = area;
    }
  }
  return best?.getCenter() ?? L.latLng(0, 0);
}

/**
 * Grid polygons (holes and MultiPolygon parts included) with a hover tooltip and, once zoomed in enough not to
 * crowd, their names. Clicking a grid reports its id.
 */
export function GridLayer(props: {
  grids: readonly MapGrid[];
  selectedKey?: string | null | undefined;
  onSelect?: ((id: number) => void) | undefined;
  /** `auto`: names from zoom 12, or always when there are few grids. */
  labels?: 'auto' | 'always' | 'never';
  fillOpacity?: number;
}) {
  const { grids, selectedKey, onSelect } = props;
  const [zoom, setZoom] = useState<number | null>(null);
  const map = useMapEvents({ zoomend: (e) => setZoom(e.target.getZoom()) });
  const currentZoom = zoom ?? map.getZoom();
  const mode = props.labels ?? 'auto';
  const showLabels = mode === 'always' || (mode === 'auto' && (grids.length <= 12 || currentZoom >= 12));
  const labels = useMemo(
    () =>
      grids.map((g) => ({
        key: g.key,
        at: labelPoint(g.geometry),
        icon: L.divIcon({
          className: 'rj-grid-label',
          html: `<span>${escapeHtml(g.name)}</span>`,
          iconSize: null as unknown as L.PointExpression,
        }),
      })),
    [grids],
  );

  return (
    <>
      {grids.map((g) => {
        const selected = g.key === selectedKey;
        return (
          <Polygon
            key={`${g.key}:${selected ? 1 : 0}`}
            positions={toLatLngs(g.geometry)}
            pathOptions={{
              color: selected ? '#0958d9' : '#ffffff',
              weight: selected ? 3 : 1.5,
              fillColor: selected ? SELECTED_COLOR : g.color,
              fillOpacity: props.fillOpacity ?? 0.55,
            }}
            eventHandlers={g.id !== undefined && onSelect ? { click: () => onSelect(g.id!) } : {}}
          >
            <Tooltip sticky>
              <b>{g.name}</b>
              {(g.lines ?? []).map((l) => (
                <Fragment key={l}>
                  <br />
                  {l}
                </Fragment>
              ))}
            </Tooltip>
          </Polygon>
        );
      })}
      {showLabels &&
        labels.map((l) => (
          <Marker key={l.key} position={l.at} icon={l.icon} interactive={false} keyboard={false} />
        ))}
    </>
  );
}
