import { DISPATCH_MODULE_LABELS, type DispatchModule, type DispatchOrderSummary } from '@rongjian/shared/api';
import {
  Badge,
  Button,
  Card,
  Col,
  Empty,
  Input,
  Row,
  Select,
  Space,
  Statistic,
  Table,
  Tabs,
  Tag,
  Typography,
} from 'antd';
import { useMemo, useState } from 'react';
import { CircleMarker, Tooltip } from 'react-leaflet';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { useCurrentUser } from '../../shared/auth/api.ts';
import { can } from '../../shared/auth/permissions.ts';
import { MUTED_COLOR } from '../../shared/map/colors.ts';
import { boundsOf } from '../../shared/map/geo.ts';
import { GridLayer, type MapGrid } from '../../shared/map/GridLayer.tsx';
import { MapView } from '../../shared/map/MapView.tsx';
import { QueryError } from '../../shared/ui/QueryError.tsx';
import { dateTime } from '../clues/api.ts';
import { useGridOptions } from '../clues/hooks.ts';
import { kindLabel } from '../clues/labels.tsx';
import { type BoardFilter, useBoard, useQueue } from './api.ts';
import { DispatchDialog, type DispatchTarget } from './DispatchDialog.tsx';
import { DeadlineTag, ModuleTag, OrderStatusTag, STATE_COLORS } from './labels.tsx';

const STATUS_OPTIONS = [
  { value: 'open', label: '在办（待签收/已签收/办理中）' },
  { value: 'pending', label: '待签收' },
  { value: 'signed', label: '已签收' },
  { value: 'handling', label: '办理中' },
  { value: 'completed', label: '已办结' },
  { value: 'returned', label: '已退回' },
  { value: 'all', label: '全部' },
];

/** The board's map: grids muted, each open order a dot coloured by its deadline state. */
function BoardMap({ orders }: { orders: DispatchOrderSummary[] }) {
  const places = useGridOptions();
  const navigate = useNavigate();
  const grids = useMemo<MapGrid[]>(
    () =>
      places.features.map((f) => ({
        key: f.properties.code,
        name: f.properties.name,
        geometry: f.geometry,
        color: MUTED_COLOR,
        lines: [`所属：${f.properties.stationName}`],
      })),
    [places.features],
  );
  const located = orders.filter((o) => o.location);
  const bounds =
    boundsOf(places.features.map((f) => f.geometry)) ??
    (located[0]?.location
      ? ([
          [located[0].location.lat - 0.05, located[0].location.lng - 0.05],
          [located[0].location.lat + 0.05, located[0].location.lng + 0.05],
        ] as [[number, number], [number, number]])
      : null);
  return (
    <MapView height={420} bounds={bounds} fitKey={`board:${places.features.length}`} testId="dispatch-map">
      <GridLayer grids={grids} labels="auto" fillOpacity={0.12} />
      {located.map((o) => (
        <CircleMarker
          key={o.id}
          center={[o.location!.lat, o.location!.lng]}
          radius={o.urged ? 9 : 7}
          pathOptions={{
            color: '#ffffff',
            weight: 2,
            fillColor: STATE_COLORS[o.deadlineState ?? 'none'],
            fillOpacity: 0.95,
          }}
          eventHandlers={{ click: () => navigate(`/dispatch/orders/${o.id}`) }}
        >
          <Tooltip>
            {o.number} · {o.departmentName} · {o.title}
          </Tooltip>
        </CircleMarker>
      ))}
    </MapView>
  );
}

function OrdersTab() {
  const [filter, setFilter] = useState<BoardFilter>({ status: 'open' });
  const [text, setText] = useState('');
  const board = useBoard(filter);
  const data = board.data;
  const departments = data?.counts ?? [];
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Row gutter={[12, 12]}>
        {departments.length === 0 ? (
          <Col span={24}>
            <Typography.Text type="secondary">暂无在办调度单</Typography.Text>
          </Col>
        ) : (
          departments.map((d) => (
            <Col key={d.departmentId} xs={12} md={6} xl={4}>
              <Card
                size="small"
                hoverable
                onClick={() =>
                  setFilter((f) => ({
                    ...f,
                    departmentId: f.departmentId === d.departmentId ? undefined : d.departmentId,
                  }))
                }
                style={filter.departmentId === d.departmentId ? { borderColor: '#1677ff' } : undefined}
                data-testid={`dept-count-${d.departmentId}`}
              >
                <Statistic title={d.departmentName} value={d.open} suffix="件在办" />
                <Space size={4}>
                  <Tag color="orange">预警 {d.warning}</Tag>
                  <Tag color="red">逾期 {d.overdue}</Tag>
                </Space>
              </Card>
            </Col>
          ))
        )}
      </Row>
      <Space wrap>
        <Select
          style={{ width: 220 }}
          value={filter.status}
          options={STATUS_OPTIONS}
          onChange={(status) => setFilter((f) => ({ ...f, status }))}
          aria-label="状态"
        />
        <Select
          allowClear
          placeholder="目标模块"
          style={{ width: 140 }}
          value={filter.module}
          options={(Object.keys(DISPATCH_MODULE_LABELS) as DispatchModule[]).map((m) => ({
            value: m,
            label: DISPATCH_MODULE_LABELS[m],
          }))}
          onChange={(module) => setFilter((f) => ({ ...f, module }))}
        />
        <Select
          allowClear
          placeholder="时限状态"
          style={{ width: 120 }}
          value={filter.deadlineState}
          options={[
            { value: 'normal', label: '正常' },
            { value: 'warning', label: '预警' },
            { value: 'overdue', label: '逾期' },
          ]}
          onChange={(deadlineState) => setFilter((f) => ({ ...f, deadlineState }))}
        />
        <Select
          allowClear
          placeholder="承办部门"
          style={{ width: 200 }}
          value={filter.departmentId}
          options={departments.map((d) => ({ value: d.departmentId, label: d.departmentName }))}
          onChange={(departmentId) => setFilter((f) => ({ ...f, departmentId }))}
        />
        <Input.Search
          allowClear
          placeholder="调度单号、线索编号或标题"
          style={{ width: 260 }}
          value={text}
          onChange={(e) => setText(e.target.value)}
          onSearch={(q) => setFilter((f) => ({ ...f, q: q.trim() || undefined }))}
        />
      </Space>
      {board.isError ? (
        <QueryError query={board} />
      ) : (
        <Row gutter={16}>
          <Col xs={24} xl={10}>
            <Card size="small" title="地图（点的颜色：蓝 正常 / 橙 预警 / 红 逾期）">
              <BoardMap orders={data?.items ?? []} />
            </Card>
          </Col>
          <Col xs={24} xl={14}>
            <Table<DispatchOrderSummary>
              size="small"
              rowKey="id"
              loading={board.isFetching && !data}
              dataSource={data?.items ?? []}
              pagination={{ pageSize: 20, showSizeChanger: false }}
              locale={{ emptyText: <Empty description="没有符合条件的调度单" /> }}
              columns={[
                {
                  title: '调度单',
                  dataIndex: 'number',
                  render: (_, o) => (
                    <Space orientation="vertical" size={0}>
                      <Link to={`/dispatch/orders/${o.id}`}>{o.number}</Link>
                      <Typography.Text type="secondary" ellipsis style={{ maxWidth: 260 }}>
                        {o.title}
                      </Typography.Text>
                    </Space>
                  ),
                },
                { title: '模块', dataIndex: 'module', render: (m) => <ModuleTag module={m} /> },
                { title: '承办部门', dataIndex: 'departmentName' },
                { title: '承办人员', dataIndex: 'officerNames', render: (n: string[]) => n.join('、') },
                {
                  title: '状态',
                  dataIndex: 'status',
                  render: (_, o) => (
                    <Space size={2} wrap>
                      <OrderStatusTag status={o.status} />
                      {o.urged && <Tag color="magenta">督办</Tag>}
                      {o.escalated && <Tag color="red">已上报</Tag>}
                      {o.transferPending && <Tag color="purple">转办待批</Tag>}
                    </Space>
                  ),
                },
                {
                  title: '时限',
                  dataIndex: 'dueOn',
                  sorter: (a, b) => (a.dueOn ?? '9').localeCompare(b.dueOn ?? '9'),
                  render: (_, o) => (
                    <Space size={2}>
                      <DeadlineTag state={o.deadlineState} />
                      <span>{o.dueOn ?? '—'}</span>
                    </Space>
                  ),
                },
              ]}
            />
          </Col>
        </Row>
      )}
    </Space>
  );
}

function QueueTab() {
  const user = useCurrentUser();
  const [q, setQ] = useState('');
  const queue = useQueue(q);
  const [target, setTarget] = useState<DispatchTarget | null>(null);
  const mayCreate = can(user, 'dispatch:order:create');
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Input.Search
        allowClear
        placeholder="线索编号、被投诉对象或标题"
        style={{ width: 300 }}
        onSearch={(v) => setQ(v.trim())}
      />
      {queue.isError ? (
        <QueryError query={queue} />
      ) : (
        <Table
          size="small"
          rowKey="id"
          loading={queue.isFetching && !queue.data}
          dataSource={queue.data?.items ?? []}
          pagination={{ pageSize: 20, showSizeChanger: false }}
          locale={{ emptyText: <Empty description="没有待调度的线索" /> }}
          columns={[
            {
              title: '线索',
              dataIndex: 'number',
              render: (_, c) => (
                <Space orientation="vertical" size={0}>
                  <Link to={`/clues/${c.id}`}>{c.number}</Link>
                  <Typography.Text type="secondary" ellipsis style={{ maxWidth: 320 }}>
                    {c.title}
                  </Typography.Text>
                  {c.returnedReason && <Tag color="orange">曾被退回：{c.returnedReason}</Tag>}
                </Space>
              ),
            },
            { title: '类型', dataIndex: 'kind', render: (k: string) => kindLabel(k) },
            { title: '业务条线', dataIndex: 'businessLine', render: (v: string | null) => v ?? '—' },
            { title: '被投诉对象', dataIndex: 'respondentName', render: (v: string) => v || '—' },
            {
              title: '承办部门 / 网格',
              render: (_, c) => [c.departmentName, c.gridName].filter(Boolean).join(' / ') || '—',
            },
            { title: '收到时间', dataIndex: 'receivedAt', render: (v: string) => dateTime(v) },
            {
              title: '操作',
              render: (_, c) =>
                mayCreate ? (
                  <Button
                    type="primary"
                    size="small"
                    onClick={() =>
                      setTarget({ id: c.id, number: c.number, title: c.title, version: c.version })
                    }
                  >
                    派单
                  </Button>
                ) : null,
            },
          ]}
        />
      )}
      <DispatchDialog clue={target} onClose={() => setTarget(null)} />
    </Space>
  );
}

/** 指挥调度 › 调度台: open orders on a map and in a list, counts per department, and the 待调度 queue. */
export default function DispatchBoardPage() {
  const user = useCurrentUser();
  const [params, setParams] = useSearchParams();
  const tab = params.get('tab') === 'queue' ? 'queue' : 'orders';
  const queue = useQueue('', can(user, 'dispatch:order:create'));
  return (
    <Card title="调度台">
      <Tabs
        activeKey={tab}
        onChange={(k) => setParams(k === 'queue' ? { tab: 'queue' } : {})}
        items={[
          { key: 'orders', label: '调度单', children: <OrdersTab /> },
          ...(can(user, 'dispatch:order:create')
            ? [
                {
                  key: 'queue',
                  label: (
                    <Badge
                      count={queue.data?.items.length ?? 0}
                      size="small"
                      offset={[10, 0]}
                      overflowCount={99}
                    >
                      待调度
                    </Badge>
                  ),
                  children: <QueueTab />,
                },
              ]
            : []),
        ]}
      />
    </Card>
  );
}
