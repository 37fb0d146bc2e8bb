import { AimOutlined, PlusOutlined } from '@ant-design/icons';
import { App, Button, Card, Col, Form, Input, Row, Select, Space, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useCurrentUser } from '../../../shared/auth/api.ts';
import { can } from '../../../shared/auth/permissions.ts';
import { QueryError } from '../../../shared/ui/QueryError.tsx';
import { SearchCard } from '../../../shared/ui/SearchCard.tsx';
import { errorMessage } from '../../../shared/api/client.ts';
import { type GridFilter, useGridFeatures, useRequestLocate, useStations } from './api.ts';
import { stationColor } from '../../../shared/map/colors.ts';
import { GridDrawer } from './GridDrawer.tsx';
import { GridMap, type MapRegion } from './GridMap.tsx';
import { GridTable, StationName } from './GridTable.tsx';
import './grids.css';

const PAGE_SIZE = 10;

/** 系统管理 › 网格管理: the county's grids on a map (coloured by 所) beside their table; click one to select it. */
export default function GridsPage() {
  const user = useCurrentUser();
  const { message } = App.useApp();
  const locate = useRequestLocate();
  const [filter, setFilter] = useState<GridFilter>({});
  const [selectedId, setSelectedId] = useState<number | null>(null);
  const [page, setPage] = useState(1);
  const [drawer, setDrawer] = useState<{ gridId: number | null } | null>(null);
  const stations = useStations();
  const features = useGridFeatures(filter);

  const stationIndex = useMemo(
    () => new Map((stations.data?.items ?? []).map((s, i) => [s.id, i])),
    [stations.data],
  );
  const colorOf = (stationId: number) => stationColor(stationIndex.get(stationId) ?? 0);
  const rows = features.data?.features ?? [];
  const regions = useMemo<MapRegion[]>(
    () =>
      rows.map((f) => ({
        id: f.properties.id,
        code: f.properties.code,
        name: f.properties.name,
        geometry: f.geometry,
        color: stationColor(stationIndex.get(f.properties.stationId) ?? 0),
        lines: [
          `编码：${f.properties.code}`,
          `所属：${f.properties.stationName}`,
          `经营主体：${f.properties.entityCount} 户`,
        ],
      })),
    [rows, stationIndex],
  );
  const selected = rows.find((f) => f.properties.id === selectedId) ?? null;

  // A click on the map turns the table to the grid's page and scrolls its row into view.
  const selectFromMap = (id: number) => {
    setSelectedId(id);
    const index = rows.findIndex((f) => f.properties.id === id);
    if (index < 0) return;
    setPage(Math.floor(index / PAGE_SIZE) + 1);
    requestAnimationFrame(() =>
      document.querySelector(`[data-row-key="${id}"]`)?.scrollIntoView({ block: 'nearest' }),
    );
  };

  const search = (v: GridFilter) => {
    setFilter({ stationId: v.stationId, keyword: v.keyword?.trim() || undefined });
    setPage(1);
    setSelectedId(null);
  };

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <SearchCard onSearch={search}>
        <Form.Item name="stationId" label="所属所">
          <Select
            allowClear
            placeholder="全部"
            style={{ width: 180 }}
            options={(stations.data?.items ?? []).map((s) => ({ value: s.id, label: s.name }))}
          />
        </Form.Item>
        <Form.Item name="keyword" label="网格">
          <Input allowClear placeholder="编码或名称" style={{ width: 200 }} />
        </Form.Item>
      </SearchCard>
      <QueryError query={features} title="网格加载失败" />
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={14}>
          <Card variant="borderless" title="网格分布">
            <GridMap
              regions={regions}
              selectedCode={selected?.properties.code ?? null}
              onSelect={selectFromMap}
              height={460}
              testId="grid-map"
            />
            <Space size={[16, 4]} wrap style={{ marginTop: 8 }} data-testid="station-legend">
              {(stations.data?.items ?? []).map((s) => (
                <StationName key={s.id} name={s.name} color={colorOf(s.id)} />
              ))}
            </Space>
            <Typography.Paragraph type="secondary" style={{ fontSize: 12, margin: '8px 0 0' }}>
              颜色区分所属市场监管所，蓝色为选中的网格；悬停查看经营主体数，点击网格在右侧表格中选中；滚轮缩放、拖动平移。修改边界或所属所后，网格内的经营主体会自动重新落格。
            </Typography.Paragraph>
          </Card>
        </Col>
        <Col xs={24} xl={10}>
          <Card
            variant="borderless"
            title={`网格列表（${rows.length}）`}
            extra={
              <Space>
                {can(user, 'system:grid:update') && (
                  <Button
                    icon={<AimOutlined />}
                    loading={locate.isPending}
                    title="解析无坐标经营主体的地址，并把每个坐标划入所在网格（每晚也会自动执行）"
                    onClick={() =>
                      locate.mutate(undefined, {
                        onSuccess: () =>
                          void message.success(
                            '已排队执行落格（地址解析与网格划分），完成后网格内的主体数会更新',
                          ),
                        onError: (e) => void message.error(errorMessage(e)),
                      })
                    }
                  >
                    重新落格
                  </Button>
                )}
                {can(user, 'system:grid:create') && (
                  <Button type="primary" icon={<PlusOutlined />} onClick={() => setDrawer({ gridId: null })}>
                    新增网格
                  </Button>
                )}
              </Space>
            }
          >
            <GridTable
              rows={rows}
              loading={features.isFetching}
              selectedId={selectedId}
              onSelect={setSelectedId}
              page={page}
              onPage={setPage}
              pageSize={PAGE_SIZE}
              colorOf={colorOf}
              onOpen={(gridId) => setDrawer({ gridId })}
            />
          </Card>
        </Col>
      </Row>
      <GridDrawer
        open={drawer !== null}
        gridId={drawer?.gridId ?? null}
        stations={stations.data?.items ?? []}
        context={regions}
        canSave={can(user, drawer?.gridId ? 'system:grid:update' : 'system:grid:create')}
        onClose={() => setDrawer(null)}
      />
    </Space>
  );
}
