import { Alert } from 'antd';
import { useMemo } from 'react';
import { CircleMarker, Tooltip } from 'react-leaflet';
import { MUTED_COLOR, SELECTED_COLOR } from '../../shared/map/colors.ts';
import { boundsOf } from '../../shared/map/geo.ts';
import { GridLayer, type MapGrid } from '../../shared/map/GridLayer.tsx';
import { MapView } from '../../shared/map/MapView.tsx';
import type { ClueDetail } from './api.ts';
import { useGridOptions } from './hooks.ts';

/** Where the clue happened: its grid highlighted among the neighbours, and its point (the address or the respondent's). */
export function ClueMap({ clue, height = 260 }: { clue: ClueDetail; height?: number }) {
  const places = useGridOptions();
  const own = places.features.find((f) => f.properties.id === clue.gridId);
  const grids = useMemo<MapGrid[]>(() => {
    const others = places.features
      .filter(
        (f) =>
          f.properties.id !== clue.gridId && (!own || f.properties.stationId === own.properties.stationId),
      )
      .map((f) => ({
        key: f.properties.code,
        name: f.properties.name,
        geometry: f.geometry,
        color: MUTED_COLOR,
        lines: [`所属：${f.properties.stationName}`],
      }));
    const mine: MapGrid[] = own
      ? [
          {
            key: `own-${own.properties.id}`,
            name: own.properties.name,
            geometry: own.geometry,
            color: SELECTED_COLOR,
          },
        ]
      : [];
    return [...others, ...mine];
  }, [places.features, own, clue.gridId]);

  const p = clue.location;
  if (!p && !own) {
    return <Alert type="info" showIcon title="未定位" description="线索没有坐标，也未划入网格。" />;
  }
  const ownBounds = boundsOf(own ? [own.geometry] : []);
  const bounds =
    ownBounds ??
    (p
      ? ([
          [p.lat - 0.01, p.lng - 0.01],
          [p.lat + 0.01, p.lng + 0.01],
        ] as [[number, number], [number, number]])
      : null);
  return (
    <MapView
      height={height}
      bounds={bounds}
      fitKey={`${clue.id}:${clue.gridId}:${p?.lng}:${p?.lat}:${!!own}`}
      testId="clue-map"
    >
      <GridLayer grids={grids} labels="always" fillOpacity={0.25} />
      {p && (
        <CircleMarker
          center={[p.lat, p.lng]}
          radius={8}
          pathOptions={{ color: '#ffffff', weight: 2, fillColor: '#cf1322', fillOpacity: 1 }}
        >
          <Tooltip>{clue.address || clue.respondentName || clue.number}</Tooltip>
        </CircleMarker>
      )}
    </MapView>
  );
}
