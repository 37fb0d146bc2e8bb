import { Card, Col, Form, Input, Row, Space, Spin, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useMapConfig, useMapGrids } from '../../shared/map/api.ts';
import { stationColor } from '../../shared/map/colors.ts';
import { FeatureLayer, MapLegend } from '../../shared/map/FeatureLayer.tsx';
import { boundsOf } from '../../shared/map/geo.ts';
import { GridLayer, type MapGrid } from '../../shared/map/GridLayer.tsx';
import { MapView, type Viewport } from '../../shared/map/MapView.tsx';
import { QueryError } from '../../shared/ui/QueryError.tsx';
import { SearchCard } from '../../shared/ui/SearchCard.tsx';
import { EntityFilterFields } from '../entities/EntityFilterFields.tsx';
import { type MapFilter, useLayerData } from './api.ts';
import { UnlocatedCard } from './UnlocatedCard.tsx';

/**
 * 一张图: the county's grids with the entities on them, coloured by 信用风险分类, filtered like the entity search.
 * Zoomed out, each grid shows how many entities match; zoomed in, every entity is a point with a popup leading to
 * its 一户一档. Beside the map, the entities that sit in no grid (未落格).
 */
export default function MapPage() {
  const config = useMapConfig();
  const grids = useMapGrids();
  const [filter, setFilter] = useState<MapFilter>({});
  const [viewport, setViewport] = useState<Viewport | null>(null);
  const layer = config.data?.layers.find((l) => l.key === 'entities') ?? null;
  const data = useLayerData('entities', layer ? viewport : null, filter);

  const features = grids.data?.features ?? [];
  const stations = useMemo(() => {
    const seen = new Map<number, string>();
    for (const f of features) seen.set(f.properties.stationId, f.properties.stationName);
    return [...seen].map(([id, name]) => ({ id, name }));
  }, [features]);
  const stationIndex = useMemo(() => new Map(stations.map((s, i) => [s.id, i])), [stations]);
  const mapGrids = useMemo<MapGrid[]>(
    () =>
      features.map((f) => ({
        key: f.properties.code,
        id: f.properties.id,
        name: f.properties.name,
        geometry: f.geometry,
        color: stationColor(stationIndex.get(f.properties.stationId) ?? 0),
        lines: [`所属：${f.properties.stationName}`, `经营主体：${f.properties.entityCount} 户`],
      })),
    [features, stationIndex],
  );
  // The map looks at the grids the filter names (one grid, one 所), else at all of them.
  const focus = mapGrids.filter((g) =>
    filter.gridId
      ? g.id === filter.gridId
      : filter.stationId
        ? features.find((f) => f.properties.id === g.id)?.properties.stationId === filter.stationId
        : true,
  );
  const bounds = boundsOf(focus.map((g) => g.geometry));

  const search = (values: Partial<MapFilter>) => {
    const trimmed = Object.fromEntries(
      Object.entries(values).map(([k, v]) => [k, typeof v === 'string' ? v.trim() || undefined : v]),
    ) as MapFilter;
    setFilter(trimmed);
  };
  const answer = data.data;

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <SearchCard<MapFilter> onSearch={search} name="map-search">
        <Form.Item name="q" label="名称">
          <Input placeholder="名称片段" allowClear maxLength={64} style={{ width: 160 }} />
        </Form.Item>
        <EntityFilterFields compact />
      </SearchCard>
      <QueryError query={grids} title="网格加载失败" />
      <QueryError query={data} title="经营主体点位加载失败" />
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={17}>
          <Card
            variant="borderless"
            title="经营主体分布"
            extra={
              <Space size={8}>
                {data.isFetching && <Spin size="small" />}
                <Typography.Text type="secondary" data-testid="map-total">
                  {answer
                    ? answer.mode === 'points'
                      ? `视野内 ${answer.total} 户`
                      : `视野内 ${answer.total} 户 · 按网格汇总，放大或点击圆圈查看点位`
                    : ''}
                </Typography.Text>
              </Space>
            }
          >
            <MapView
              height={620}
              bounds={bounds}
              fitKey={`${filter.stationId ?? ''}:${filter.gridId ?? ''}:${mapGrids.length}`}
              onViewport={setViewport}
              testId="entity-map"
            >
              <GridLayer grids={mapGrids} fillOpacity={0.22} />
              {layer && config.data && (
                <FeatureLayer
                  data={answer}
                  legend={layer.legend}
                  linkLabel={layer.linkLabel}
                  pointZoom={config.data.pointZoom}
                />
              )}
            </MapView>
            <Space orientation="vertical" size={4} style={{ marginTop: 8, width: '100%' }}>
              {layer && <MapLegend items={layer.legend} />}
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                网格按所属市场监管所着色；点位颜色为信用风险分类。
                {config.data?.tiles
                  ? ''
                  : '未配置底图，离线显示网格边界（可在 系统管理 › 参数设置 › 地图底图 中配置天地图等瓦片服务）。'}
              </Typography.Text>
            </Space>
          </Card>
        </Col>
        <Col xs={24} xl={7}>
          <UnlocatedCard />
        </Col>
      </Row>
    </Space>
  );
}
