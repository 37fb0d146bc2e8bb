import { EXCHANGE_FRESHNESS_LABEL, EXCHANGE_RUN_STATUS } from '@rongjian/shared/api';
import { Alert, Card, Col, Descriptions, Drawer, Empty, Row, Space, Statistic, Tag, Typography } from 'antd';
import { useMemo } from 'react';
import { QueryError } from '../../../shared/ui/QueryError.tsx';
import { type ExchangeQuality, type ExchangeSource, useExchangeQuality } from './api.ts';
import { QualityChart } from './QualityChart.tsx';

const FRESHNESS_COLOR: Record<ExchangeQuality['freshness']['level'], string> = {
  fresh: 'success',
  aging: 'warning',
  stale: 'error',
  unknown: 'default',
};

const time = (iso: string | null) =>
  iso ? new Date(iso).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false }) : '—';

function age(hours: number | null): string {
  if (hours === null) return '—';
  if (hours < 1) return '不到 1 小时';
  if (hours < 48) return `${Math.round(hours)} 小时`;
  return `${Math.round(hours / 24)} 天`;
}

const pct = (share: number) => Math.round(share * 1000) / 10;

/** 数据质量 of one source: freshness, duplicates, per-field completeness / validity, and the trend over recent runs. */
export function QualityDrawer({ source, onClose }: { source: ExchangeSource | null; onClose: () => void }) {
  const quality = useExchangeQuality(source?.name ?? null);
  const q = quality.data;

  const trend = useMemo(
    () =>
      q && {
        tooltip: { trigger: 'axis' },
        legend: { data: ['读入', '接收', '拒绝'] },
        grid: { left: 48, right: 16, top: 36, bottom: 28 },
        xAxis: { type: 'category', data: q.trend.map((r) => `#${r.runId}`) },
        yAxis: { type: 'value', minInterval: 1 },
        series: [
          { name: '读入', type: 'line', data: q.trend.map((r) => r.rowsIn), color: '#8c8c8c' },
          { name: '接收', type: 'line', data: q.trend.map((r) => r.accepted), color: '#52c41a' },
          { name: '拒绝', type: 'line', data: q.trend.map((r) => r.rejected), color: '#ff4d4f' },
        ],
      },
    [q],
  );

  const fields = useMemo(
    () =>
      q && {
        tooltip: { trigger: 'axis', valueFormatter: (v: number) => `${v}%` },
        legend: { data: ['完整率', '有效率'] },
        grid: { left: 110, right: 24, top: 36, bottom: 24 },
        xAxis: { type: 'value', max: 100, axisLabel: { formatter: '{value}%' } },
        yAxis: { type: 'category', data: q.fields.map((f) => f.label), inverse: true },
        series: [
          { name: '完整率', type: 'bar', data: q.fields.map((f) => pct(f.completeness)), color: '#1677ff' },
          {
            name: '有效率',
            type: 'bar',
            // '-' is ECharts' "no value": a column empty in every row has no validity to show.
            data: q.fields.map((f) => (f.present === 0 ? '-' : pct(f.validity))),
            color: '#52c41a',
          },
        ],
      },
    [q],
  );

  return (
    <Drawer
      title={`数据质量 — ${source?.label ?? ''}`}
      open={source !== null}
      onClose={onClose}
      size={880}
      destroyOnHidden
    >
      <QueryError query={quality} />
      {q && (
        <Space orientation="vertical" size="large" style={{ width: '100%' }}>
          {!q.latestRun ? (
            <Empty description="该数据源还没有导入或同步过数据" />
          ) : (
            <>
              <Row gutter={16}>
                <Col span={6}>
                  <Card size="small">
                    <Statistic
                      title="时效（最新记录距今）"
                      valueRender={() => (
                        <Space>
                          <span>{age(q.freshness.ageHours)}</span>
                          <Tag color={FRESHNESS_COLOR[q.freshness.level]} data-testid="freshness-tag">
                            {EXCHANGE_FRESHNESS_LABEL[q.freshness.level]}
                          </Tag>
                        </Space>
                      )}
                    />
                  </Card>
                </Col>
                <Col span={6}>
                  <Card size="small">
                    <Statistic
                      title="最近一批 读入 / 接收"
                      value={`${q.latestRun.rowsIn} / ${q.latestRun.accepted}`}
                    />
                  </Card>
                </Col>
                <Col span={6}>
                  <Card size="small">
                    <Statistic title="批内重复行" value={q.duplicates.inFile} />
                  </Card>
                </Col>
                <Col span={6}>
                  <Card size="small">
                    <Statistic title="已有记录（再次收到）" value={q.duplicates.known} />
                  </Card>
                </Col>
              </Row>
              <Descriptions size="small" column={2} bordered>
                <Descriptions.Item label="数据集">{q.datasetLabel}</Descriptions.Item>
                <Descriptions.Item label="最近一批">
                  #{q.latestRun.id}（{EXCHANGE_RUN_STATUS[q.latestRun.status]}，{time(q.latestRun.startedAt)}
                  ）
                </Descriptions.Item>
                <Descriptions.Item
                  label={q.freshness.basis === 'record' ? '最新记录更新时间' : '最近导入时间'}
                >
                  {time(q.freshness.at)}
                </Descriptions.Item>
                <Descriptions.Item label="时效阈值">
                  超过 {q.freshness.agingAfterHours} 小时为“偏旧”，超过 {q.freshness.staleAfterHours}{' '}
                  小时为“陈旧”
                </Descriptions.Item>
              </Descriptions>
              {q.latestRun.error && (
                <Alert type="error" showIcon title="最近一批失败" description={q.latestRun.error} />
              )}
              <Card size="small" title="各字段完整率与有效率（最近一批）">
                {q.fields.length === 0 ? (
                  <Typography.Text type="secondary">最近一批没有读到数据行</Typography.Text>
                ) : (
                  fields && (
                    <QualityChart
                      option={fields}
                      style={{ height: Math.max(160, q.fields.length * 34 + 70), width: '100%' }}
                    />
                  )
                )}
              </Card>
              <Card size="small" title={`近 ${q.trend.length} 批 读入 / 接收 / 拒绝`}>
                {trend && <QualityChart option={trend} style={{ height: 260, width: '100%' }} />}
              </Card>
            </>
          )}
        </Space>
      )}
    </Drawer>
  );
}
