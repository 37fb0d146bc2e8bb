import type { MapCell, MapLayerData, MapLegendItem } from '@rongjian/shared/api';
import L from 'leaflet';
import { useMemo } from 'react';
import { CircleMarker, Marker, Popup, Tooltip, useMap } from 'react-leaflet';
import { Link } from 'react-router';

/**
 * One layer's answer drawn generically: points coloured by legend category with a popup (title, facts, a link to
 * the feature's page), or — zoomed out or crowded — one ring per grid with its count and the categories' shares,
 * which zooms in on click.
 */
const FALLBACK = '#8c8c8c';

/** A conic-gradient ring of the categories' shares (legend order), so a grid's mix shows at a glance. */
function ring(cell: MapCell, legend: readonly MapLegendItem[]): string {
  let at = 0;
  const stops: string[] = [];
  for (const l of legend) {
    const n = cell.byCategory[l.value] ?? 0;
    if (!n) continue;
    const end = at + (n / cell.count) * 100;
    stops.push(`${l.color} ${at.toFixed(2)}% ${end.toFixed(2)}%`);
    at = end;
  }
  return stops.length ? `conic-gradient(${stops.join(', ')})` : FALLBACK;
}

function CellMarker({
  cell,
  colors,
  legend,
  zoomTo,
}: {
  cell: MapCell;
  colors: Map<string, string>;
  legend: readonly MapLegendItem[];
  zoomTo: number;
}) {
  const map = useMap();
  const size = Math.round(Math.min(56, 22 + Math.sqrt(cell.count) * 2.4));
  const icon = useMemo(
    () =>
      L.divIcon({
        className: 'rj-cell',
        html: `<span style="width:${size}px;height:${size}px;background:${ring(cell, legend)}"><b>${cell.count}</b></span>`,
        iconSize: null as unknown as L.PointExpression,
      }),
    [cell, legend, size],
  );
  const center = L.latLng(cell.lat, cell.lon);
  return (
    <Marker
      position={center}
      icon={icon}
      keyboard={false}
      eventHandlers={{ click: () => map.flyTo(center, Math.max(map.getZoom() + 1, zoomTo)) }}
    >
      <Tooltip direction="top" offset={[0, -size / 2]}>
        <b>{cell.name}</b>：{cell.count} 户
        {legend
          .filter((l) => cell.byCategory[l.value])
          .map((l) => (
            <div key={l.value}>
              <span style={{ color: colors.get(l.value) }}>●</span> {l.label}：{cell.byCategory[l.value]}
            </div>
          ))}
      </Tooltip>
    </Marker>
  );
}

export function FeatureLayer(props: {
  data: MapLayerData | undefined;
  legend: readonly MapLegendItem[];
  linkLabel: string;
  /** Zoom level a click on a count circle goes to. */
  pointZoom: number;
}) {
  const colors = useMemo(() => new Map(props.legend.map((l) => [l.value, l.color])), [props.legend]);
  const data = props.data;
  if (!data) return null;
  if (data.mode === 'grids') {
    return (
      <>
        {data.cells.map((c) => (
          <CellMarker
            key={c.gridId ?? 'none'}
            cell={c}
            colors={colors}
            legend={props.legend}
            zoomTo={props.pointZoom}
          />
        ))}
      </>
    );
  }
  return (
    <>
      {data.features.map((f) => (
        <CircleMarker
          key={f.id}
          center={[f.lat, f.lon]}
          radius={6}
          pathOptions={{
            color: '#ffffff',
            weight: 1,
            fillColor: colors.get(f.category) ?? FALLBACK,
            fillOpacity: 0.95,
          }}
        >
          <Popup>
            <div className="rj-map-popup" data-testid="map-popup">
              <h4>{f.title}</h4>
              <dl>
                {f.fields.map((x) => (
                  <div key={x.label} style={{ display: 'contents' }}>
                    <dt>{x.label}</dt>
                    <dd>{x.value}</dd>
                  </div>
                ))}
              </dl>
              {f.link && <Link to={f.link}>{props.linkLabel}</Link>}
            </div>
          </Popup>
        </CircleMarker>
      ))}
    </>
  );
}

/** Colour dots with labels, in legend order. */
export function MapLegend({ items }: { items: readonly MapLegendItem[] }) {
  return (
    <div className="rj-map-legend" data-testid="map-legend">
      {items.map((l) => (
        <span key={l.value}>
          <i style={{ background: l.color }} />
          {l.label}
        </span>
      ))}
    </div>
  );
}
