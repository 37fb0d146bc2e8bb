import { AimOutlined } from '@ant-design/icons';
import {
  type EntityLocation,
  GEO_PRECISION_LABELS,
  GEO_PROVIDER_LABELS,
  GEO_SOURCE_LABELS,
} from '@rongjian/shared/api';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Descriptions, Input, Skeleton, Space, Typography } from 'antd';
import L from 'leaflet';
import { useMemo, useState } from 'react';
import { CircleMarker, Marker, Tooltip } from 'react-leaflet';
import { api, errorMessage } from '../../shared/api/client.ts';
import { useCurrentUser } from '../../shared/auth/api.ts';
import { can } from '../../shared/auth/permissions.ts';
import { useMapGrids } from '../../shared/map/api.ts';
import { MUTED_COLOR, SELECTED_COLOR } from '../../shared/map/colors.ts';
import { boundsOf } from '../../shared/map/geo.ts';
import { GridLayer, type MapGrid } from '../../shared/map/GridLayer.tsx';
import { MapView } from '../../shared/map/MapView.tsx';
import { QueryError } from '../../shared/ui/QueryError.tsx';
import { entityKeys } from './api.ts';

const locationKey = (id: number) => ['entities', 'location', id] as const;

/** The new position while picking: a ring, so the old point stays visible beside it. */
const pin = L.divIcon({
  className: 'rj-pick-pin',
  html: '<span></span>',
  iconSize: null as unknown as L.PointExpression,
});

function sourceText(l: EntityLocation): string {
  if (!l.source) return '—';
  const parts = [GEO_SOURCE_LABELS[l.source]];
  if (l.provider) parts.push(GEO_PROVIDER_LABELS[l.provider] ?? l.provider);
  if (l.precision) {
    parts.push(
      l.precision === 'point' ? GEO_PRECISION_LABELS.point : `${GEO_PRECISION_LABELS[l.precision]}级`,
    );
  }
  return parts.join(' · ');
}

/**
 * The 一户一档's location card: the entity's grid and point on the shared (offline-capable) map, where the point
 * came from (source data, address lookup and at what precision, or a person), and — for users who may — 校正位置:
 * click the right spot, give a reason, and the entity is placed in that spot's grid at once.
 */
export function EntityMap({ entityId, height = 300 }: { entityId: number; height?: number }) {
  const user = useCurrentUser();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const mayLocate = can(user, 'entity:map:locate');
  const location = useQuery({
    queryKey: locationKey(entityId),
    queryFn: ({ signal }) =>
      api.get<EntityLocation>(`/api/gis/entities/${entityId}/location`, undefined, signal),
  });
  const [picking, setPicking] = useState(false);
  const [picked, setPicked] = useState<[number, number] | null>(null);
  const [reason, setReason] = useState('');
  // Neighbouring grids, grey, give the point (and a correcting click) some context; users of 一张图 may read them.
  const context = useMapGrids(can(user, 'entity:map:read'));
  const save = useMutation({
    mutationFn: (body: { lon: number; lat: number; reason: string }) =>
      api.put<EntityLocation>(`/api/gis/entities/${entityId}/location`, body),
    onSuccess: (l) => {
      qc.setQueryData(locationKey(entityId), l);
      void qc.invalidateQueries({ queryKey: entityKeys.detail(entityId) });
      message.success(`位置已校正，${l.gridName ? `划入${l.gridName}` : '该位置不在任何网格内（未落格）'}`);
      setPicking(false);
      setPicked(null);
      setReason('');
    },
    onError: (e) => void message.error(errorMessage(e)),
  });

  const l = location.data;
  const grids = useMemo<MapGrid[]>(() => {
    const own: MapGrid[] =
      l?.gridGeometry && l.gridId !== null
        ? [
            {
              key: `own-${l.gridId}`,
              name: l.gridName ?? '网格',
              geometry: l.gridGeometry,
              color: SELECTED_COLOR,
            },
          ]
        : [];
    const others = (context.data?.features ?? [])
      .filter((f) => f.properties.id !== l?.gridId)
      .map((f) => ({
        key: f.properties.code,
        name: f.properties.name,
        geometry: f.geometry,
        color: MUTED_COLOR,
        lines: [`所属：${f.properties.stationName}`],
      }));
    return [...others, ...own];
  }, [l, context.data]);

  if (location.isPending) return <Skeleton active />;
  if (!l) return <QueryError query={location} title="位置加载失败" />;
  const hasPoint = l.lon !== null && l.lat !== null;
  const ownBounds = boundsOf(l.gridGeometry ? [l.gridGeometry] : []);
  const bounds = hasPoint
    ? (ownBounds ?? [
        [l.lat! - 0.01, l.lon! - 0.01],
        [l.lat! + 0.01, l.lon! + 0.01],
      ])
    : (ownBounds ?? boundsOf(grids.map((g) => g.geometry)));
  const showMap = hasPoint || grids.length > 0 || picking;

  return (
    <Space orientation="vertical" size={8} style={{ width: '100%' }}>
      {showMap ? (
        <MapView
          height={height}
          bounds={bounds}
          fitKey={`${l.gridId}:${l.lon}:${l.lat}:${ownBounds ? 'own' : grids.length}`}
          picking={picking}
          onClick={picking ? (lon, lat) => setPicked([lon, lat]) : undefined}
          testId="entity-location-map"
        >
          <GridLayer grids={grids} labels="always" fillOpacity={0.25} />
          {hasPoint && (
            <CircleMarker
              center={[l.lat!, l.lon!]}
              radius={8}
              pathOptions={{ color: '#ffffff', weight: 2, fillColor: '#cf1322', fillOpacity: 1 }}
            >
              <Tooltip>{l.name}</Tooltip>
            </CircleMarker>
          )}
          {picked && <Marker position={[picked[1], picked[0]]} icon={pin} interactive={false} />}
        </MapView>
      ) : (
        <Alert type="info" showIcon title="暂无坐标，且未划入网格" description="地址未能解析为坐标。" />
      )}
      <Descriptions
        size="small"
        column={1}
        items={[
          {
            key: 'point',
            label: '坐标',
            children: hasPoint ? `${l.lon!.toFixed(6)}, ${l.lat!.toFixed(6)}` : '无',
          },
          { key: 'source', label: '来源', children: sourceText(l) },
          { key: 'grid', label: '网格', children: l.gridName ?? '未落格' },
        ]}
      />
      {mayLocate && !picking && (
        <Button icon={<AimOutlined />} onClick={() => setPicking(true)}>
          校正位置
        </Button>
      )}
      {picking && (
        <Space orientation="vertical" size={8} style={{ width: '100%' }} data-testid="relocate-form">
          <Typography.Text type={picked ? 'success' : 'secondary'}>
            {picked
              ? `新位置：${picked[0].toFixed(6)}, ${picked[1].toFixed(6)}（可再次点击地图调整）`
              : '在地图上点击经营主体的实际位置'}
          </Typography.Text>
          <Input.TextArea
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            maxLength={200}
            rows={2}
            placeholder="校正原因（必填），如：现场核实，实际经营地址在…"
            aria-label="校正原因"
          />
          <Space>
            <Button
              type="primary"
              disabled={!picked || reason.trim().length < 2}
              loading={save.isPending}
              onClick={() => picked && save.mutate({ lon: picked[0], lat: picked[1], reason: reason.trim() })}
            >
              保存位置
            </Button>
            <Button
              onClick={() => {
                setPicking(false);
                setPicked(null);
              }}
            >
              取消
            </Button>
          </Space>
        </Space>
      )}
    </Space>
  );
}
