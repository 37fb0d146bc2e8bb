import 'leaflet/dist/leaflet.css';
import './map.css';
import type { LatLngTuple } from 'leaflet';
import { type ReactNode, useEffect } from 'react';
import { AttributionControl, MapContainer, TileLayer, useMap, useMapEvents } from 'react-leaflet';
import { useMapConfig } from './api.ts';
import { bboxParam } from './geo.ts';
import { escapeHtml } from './html.ts';

/**
 * The platform's one map (Leaflet; see docs/decisions/2026-11-28-map-library.md). Offline by default: with the
 * 地图底图 setting empty there is no tile layer and the browser fetches nothing outside the platform — the grid
 * polygons and points are the map. With a tile service set, its tiles (and an optional annotation layer) lie
 * underneath. Vector layers are drawn on a canvas, so thousands of points stay smooth.
 */
export interface Viewport {
  /** `minLon,minLat,maxLon,maxLat`. */
  bbox: string;
  zoom: number;
}

/** The demo county's middle, only until the first fit: every page fits the map to its own data. */
const DEFAULT_CENTER: LatLngTuple = [31.4, 120.7];

function FitBounds({ bounds, fitKey }: { bounds: [LatLngTuple, LatLngTuple] | null; fitKey: string }) {
  const map = useMap();
  // Only a new key refits: panning around must not snap back when the data refreshes.
  // biome-ignore lint/correctness/useExhaustiveDependencies: `bounds` is read when the key changes
  useEffect(() => {
    if (bounds) map.fitBounds(bounds, { padding: [16, 16], maxZoom: 16 });
  }, [map, fitKey, bounds === null]);
  return null;
}

function Events(props: { onViewport?: (v: Viewport) => void; onClick?: (lon: number, lat: number) => void }) {
  const report = (m: ReturnType<typeof useMap>) =>
    props.onViewport?.({ bbox: bboxParam(m.getBounds()), zoom: Math.floor(m.getZoom()) });
  const map = useMapEvents({
    moveend: (e) => report(e.target),
    click: (e) => props.onClick?.(e.latlng.lng, e.latlng.lat),
  });
  // biome-ignore lint/correctness/useExhaustiveDependencies: the first viewport, once
  useEffect(() => {
    map.whenReady(() => report(map));
  }, [map]);
  return null;
}

/** Leaflet measures its container once; a card that changes size (a drawer, a collapsed menu) needs a nudge. */
function Resize() {
  const map = useMap();
  useEffect(() => {
    const observer = new ResizeObserver(() => map.invalidateSize());
    observer.observe(map.getContainer());
    return () => observer.disconnect();
  }, [map]);
  return null;
}

export function MapView(props: {
  height: number;
  /** Fit the map to these bounds whenever `fitKey` changes. */
  bounds?: [LatLngTuple, LatLngTuple] | null;
  fitKey?: string;
  onViewport?: (v: Viewport) => void;
  onClick?: (lon: number, lat: number) => void;
  /** A crosshair cursor: the next click picks a point. */
  picking?: boolean;
  children?: ReactNode;
  testId?: string;
}) {
  const config = useMapConfig();
  const tiles = config.data?.tiles ?? null;
  return (
    <div data-testid={props.testId} data-tiles={tiles ? 'online' : 'offline'}>
      <MapContainer
        className={`rj-map${props.picking ? ' rj-picking' : ''}`}
        style={{ height: props.height, width: '100%' }}
        center={DEFAULT_CENTER}
        zoom={10}
        minZoom={3}
        // Quarter steps, so that fitting a county or a grid leaves little empty margin.
        zoomSnap={0.25}
        zoomDelta={0.5}
        maxZoom={tiles?.maxZoom ?? 19}
        preferCanvas
        attributionControl={false}
      >
        {tiles && (
          <>
            <TileLayer
              url={tiles.url}
              subdomains={tiles.subdomains.length > 0 ? tiles.subdomains : 'abc'}
              maxZoom={tiles.maxZoom}
              // The 版权说明 setting is text: Leaflet would render it as HTML.
              attribution={escapeHtml(tiles.attribution)}
            />
            {tiles.labelUrl && (
              <TileLayer
                url={tiles.labelUrl}
                subdomains={tiles.subdomains.length > 0 ? tiles.subdomains : 'abc'}
                maxZoom={tiles.maxZoom}
              />
            )}
            <AttributionControl prefix={false} />
          </>
        )}
        <FitBounds bounds={props.bounds ?? null} fitKey={props.fitKey ?? ''} />
        <Events
          {...(props.onViewport ? { onViewport: props.onViewport } : {})}
          {...(props.onClick ? { onClick: props.onClick } : {})}
        />
        <Resize />
        {props.children}
      </MapContainer>
    </div>
  );
}
