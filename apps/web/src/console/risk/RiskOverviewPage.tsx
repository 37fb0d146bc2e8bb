import { ReloadOutlined } from '@ant-design/icons';
import { RISK_CLASSES, type RiskClass } from '@rongjian/shared';
import type { RiskClassCounts, RiskIndicatorView } from '@rongjian/shared/api';
import { App, Button, Card, Col, Row, Skeleton, Space, Statistic, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { errorMessage } from '../../shared/api/client.ts';
import { useCurrentUser } from '../../shared/auth/api.ts';
import { can } from '../../shared/auth/permissions.ts';
import { QueryError } from '../../shared/ui/QueryError.tsx';
import {
  modelVersionLabel,
  RISK_COLORS,
  type RiskOverview,
  useRecomputeAll,
  useRiskOverview,
} from './api.ts';
import './risk.css';

const CLASSES: RiskClass[] = ['A', 'B', 'C', 'D'];
const sum = (c: RiskClassCounts) => c.A + c.B + c.C + c.D + c.none;
const pct = (n: number, total: number) => (total > 0 ? `${((n / total) * 100).toFixed(1)}%` : '—');
const dateTime = (iso: string) =>
  new Date(iso).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false });

const RUN_STATUS: Record<string, string> = {
  pending: '排队中',
  running: '计算中',
  succeeded: '已完成',
  dead: '失败',
};

/** One 所's classes as a stacked bar, A to D, unclassified in grey. */
function Stack({ counts }: { counts: RiskClassCounts }) {
  const total = sum(counts);
  return (
    <span className="rj-risk-stack">
      {total > 0 &&
        [...CLASSES, 'none' as const].map((k) =>
          counts[k] > 0 ? (
            <span
              key={k}
              title={`${k === 'none' ? '未分类' : `${k} 类`}：${counts[k]} 户（${pct(counts[k], total)}）`}
              style={{
                width: `${(counts[k] / total) * 100}%`,
                background: k === 'none' ? '#d9d9d9' : RISK_COLORS[k],
              }}
            />
          ) : null,
        )}
    </span>
  );
}

type StationRow = RiskOverview['byStation'][number];

const stationColumns: ColumnsType<StationRow> = [
  { title: '市场监管所', dataIndex: 'stationName', width: 160 },
  { title: '分布', key: 'stack', render: (_, r) => <Stack counts={r.counts} /> },
  ...CLASSES.map((k) => ({
    title: `${k} 类`,
    key: k,
    width: 90,
    align: 'right' as const,
    render: (_: unknown, r: StationRow) => r.counts[k].toLocaleString('zh-CN'),
  })),
  {
    title: '未分类',
    key: 'none',
    width: 80,
    align: 'right',
    render: (_, r) => r.counts.none.toLocaleString('zh-CN'),
  },
  {
    title: '合计',
    key: 'total',
    width: 90,
    align: 'right',
    render: (_, r) => <strong>{sum(r.counts).toLocaleString('zh-CN')}</strong>,
  },
];

const indicatorColumns: ColumnsType<RiskIndicatorView> = [
  {
    title: '指标',
    dataIndex: 'label',
    render: (label: string, i) => (
      <>
        <div>{label}</div>
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {i.description}
        </Typography.Text>
      </>
    ),
  },
  {
    title: '状态',
    dataIndex: 'enabled',
    width: 90,
    render: (on: boolean) => (on ? <Tag color="green">启用</Tag> : <Tag>未启用</Tag>),
  },
  {
    title: '分值',
    key: 'weight',
    width: 140,
    render: (_, i) => (i.unit === null ? `${i.weight} 分` : `每${i.unit} ${i.weight} 分`),
  },
  {
    title: '封顶',
    dataIndex: 'cap',
    width: 90,
    render: (c: number | null) => (c === null ? '—' : `${c} 分`),
  },
  {
    title: '当前计分主体',
    dataIndex: 'entities',
    width: 130,
    align: 'right',
    render: (n: number) => `${n.toLocaleString('zh-CN')} 户`,
  },
];

/** 信用风险分类 at a glance: how many entities in each class, per 所, and what drives the scores. */
export default function RiskOverviewPage() {
  const user = useCurrentUser();
  const { message } = App.useApp();
  const overview = useRiskOverview();
  const recompute = useRecomputeAll();
  const o = overview.data;
  const total = o ? sum(o.total) : 0;
  const busy = !!o?.lastRun && ['pending', 'running'].includes(o.lastRun.status);

  const runAll = () =>
    recompute.mutate(undefined, {
      onSuccess: (r) =>
        void message.success(
          r.queued ? '已提交重新计算，完成后自动刷新' : '已有重新计算任务在排队或运行中，请稍候',
        ),
      onError: (err) => void message.error(errorMessage(err)),
    });

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Card variant="borderless">
        <div style={{ display: 'flex', gap: 16, alignItems: 'flex-start', justifyContent: 'space-between' }}>
          <div style={{ flex: 1 }}>
            <Typography.Title level={4} style={{ margin: 0 }}>
              信用风险分类
            </Typography.Title>
            <Typography.Text type="secondary">
              按指标加权计分，分为 A（低）、B（一般）、C（较高）、D（高）四类；每晚按当日有效的模型重新计算。
              {o &&
                ` 现行：${modelVersionLabel(o.model.version)}，B/C/D 类起点 ${o.model.thresholds.join(' / ')} 分。`}
            </Typography.Text>
            {o?.lastRun && (
              <Typography.Text
                type="secondary"
                style={{ display: 'block', fontSize: 12 }}
                data-testid="risk-last-run"
              >
                最近一次全量计算：{RUN_STATUS[o.lastRun.status]}（提交于 {dateTime(o.lastRun.createdAt)}
                {o.lastRun.finishedAt ? `，完成于 ${dateTime(o.lastRun.finishedAt)}` : ''}）
              </Typography.Text>
            )}
          </div>
          {can(user, 'entity:risk:recompute') && (
            <Button icon={<ReloadOutlined />} loading={recompute.isPending || busy} onClick={runAll}>
              {busy ? '重新计算中' : '全部重新计算'}
            </Button>
          )}
        </div>
      </Card>
      <QueryError query={overview} title="风险分类加载失败" />
      {overview.isPending && <Skeleton active />}
      {o && (
        <>
          <Row gutter={[16, 16]}>
            {CLASSES.map((k) => (
              <Col key={k} xs={12} md={8} xl={5}>
                <Card variant="borderless" data-testid={`risk-count-${k}`}>
                  <Statistic
                    title={
                      <span>
                        <span style={{ color: RISK_COLORS[k], fontWeight: 600 }}>{k} 类</span>{' '}
                        {RISK_CLASSES[k]}
                      </span>
                    }
                    value={o.total[k]}
                    suffix={<span style={{ fontSize: 14 }}>户 · {pct(o.total[k], total)}</span>}
                  />
                </Card>
              </Col>
            ))}
            <Col xs={12} md={8} xl={4}>
              <Card variant="borderless">
                <Statistic
                  title="未分类"
                  value={o.total.none}
                  suffix={<span style={{ fontSize: 14 }}>户</span>}
                />
              </Card>
            </Col>
          </Row>
          <Card variant="borderless" title="各所分布">
            <Table
              rowKey="stationId"
              size="small"
              columns={stationColumns}
              dataSource={o.byStation}
              pagination={false}
              scroll={{ x: 900 }}
              locale={{ emptyText: '数据权限内没有市场监管所' }}
            />
          </Card>
          <Card
            variant="borderless"
            title="计分指标"
            extra={
              <Typography.Text type="secondary">
                模型在 系统管理 › 参数设置 › 信用风险分类模型 中调整
              </Typography.Text>
            }
          >
            <Table
              rowKey="key"
              size="small"
              columns={indicatorColumns}
              dataSource={o.indicators}
              pagination={false}
            />
          </Card>
        </>
      )}
    </Space>
  );
}
