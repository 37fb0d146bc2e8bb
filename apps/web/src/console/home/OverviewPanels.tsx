import { Card, Col, Row, Tag } from 'antd';
import { RISK_CLASSES } from '@rongjian/shared';
import type { Overview } from './api.ts';
import { BarList } from './BarList.tsx';

const RISK_COLORS: Record<string, string> = { A: '#52c41a', B: '#1677ff', C: '#fa8c16', D: '#f5222d' };
const TYPE_COLORS = ['#1677ff', '#13a8a8', '#fa8c16', '#722ed1'];

function riskLabel(code: string | null): string {
  return code ? ((RISK_CLASSES as Record<string, string>)[code] ?? code) : '未分类';
}

export function OverviewPanels({ data }: { data: Overview }) {
  const { total, byStation, byType, byRisk } = data.entities;
  const stations = [...byStation].sort((a, b) => b.count - a.count);
  // A–D first, unclassified last.
  const risks = [...byRisk].sort((a, b) => (a.riskClass ?? 'Z').localeCompare(b.riskClass ?? 'Z'));
  return (
    <Row gutter={[16, 16]}>
      <Col xs={24} xl={14}>
        <Card
          variant="borderless"
          title="经营主体分布（按市场监管所）"
          extra={<span className="rj-muted">共 {stations.length} 个所</span>}
          style={{ height: '100%' }}
        >
          <BarList
            testId="by-station"
            total={total}
            rows={stations.map((s) => ({ key: s.stationId, label: s.stationName, count: s.count }))}
          />
        </Card>
      </Col>
      <Col xs={24} xl={10}>
        <Row gutter={[16, 16]}>
          <Col span={24}>
            <Card variant="borderless" title="按主体类型">
              <BarList
                testId="by-type"
                total={total}
                rows={byType.map((t, i) => ({
                  key: t.type,
                  label: t.label,
                  count: t.count,
                  color: TYPE_COLORS[i % TYPE_COLORS.length],
                }))}
              />
            </Card>
          </Col>
          <Col span={24}>
            <Card variant="borderless" title="按信用风险分类">
              <BarList
                testId="by-risk"
                total={total}
                rows={risks.map((r) => ({
                  key: r.riskClass ?? 'none',
                  label: (
                    <>
                      <Tag
                        color={r.riskClass ? RISK_COLORS[r.riskClass] : 'default'}
                        style={{ marginInlineEnd: 6 }}
                      >
                        {r.riskClass || '—'}
                      </Tag>
                      {riskLabel(r.riskClass)}
                    </>
                  ),
                  count: r.count,
                  color: (r.riskClass && RISK_COLORS[r.riskClass]) || '#bfbfbf',
                }))}
              />
            </Card>
          </Col>
        </Row>
      </Col>
    </Row>
  );
}
