import { ReloadOutlined } from '@ant-design/icons';
import { RISK_CLASSES, type RiskClass } from '@rongjian/shared';
import type { EntityRisk, EntityTimelineEvent } from '@rongjian/shared/api';
import { App, Button, Card, Col, Empty, Row, Statistic, Timeline, Typography } from 'antd';
import { errorMessage } from '../../shared/api/client.ts';
import { useCurrentUser } from '../../shared/auth/api.ts';
import { can } from '../../shared/auth/permissions.ts';
import { modelVersionLabel, RISK_COLORS, useRecomputeEntity } from '../risk/api.ts';
import '../risk/risk.css';
import type { EntityProfile } from './api.ts';
import { RiskTag } from './RiskTag.tsx';

const CLASSES: RiskClass[] = ['A', 'B', 'C', 'D'];
const dateTime = (iso: string) =>
  new Date(iso).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false });

/** The score on a scale split at the model's class bounds, with a marker where this entity stands. */
function ScoreScale({ score, thresholds }: { score: number; thresholds: number[] }) {
  const [b = 10, c = 30, d = 60] = thresholds;
  const end = Math.max(d + (d - c), score + 5);
  const bounds = [0, b, c, d, end];
  const pct = (v: number) => `${(Math.min(v, end) / end) * 100}%`;
  return (
    <div data-testid="risk-scale" style={{ paddingTop: 4 }}>
      <div className="rj-risk-scale">
        {CLASSES.map((k, i) => (
          <span
            key={k}
            title={`${k} 类（${RISK_CLASSES[k]}）`}
            style={{
              width: `${((bounds[i + 1]! - bounds[i]!) / end) * 100}%`,
              background: RISK_COLORS[k],
              opacity: 0.75,
            }}
          />
        ))}
        <span className="rj-risk-marker" style={{ left: pct(score) }} />
      </div>
      <div className="rj-risk-scale-labels">
        {[b, c, d].map((v, i) => (
          <span key={v} style={{ left: pct(v) }} title={`${CLASSES[i + 1]} 类起点`}>
            {v}
          </span>
        ))}
      </div>
    </div>
  );
}

function Reasons({ risk }: { risk: EntityRisk }) {
  if (risk.contributions.length === 0) {
    return <Typography.Text type="secondary">未发现计分的风险指标，记 0 分。</Typography.Text>;
  }
  const max = Math.max(risk.score, ...risk.thresholds, 1);
  return (
    <ol className="rj-risk-reasons" data-testid="risk-reasons">
      {risk.contributions.map((c) => (
        <li key={c.key} className="rj-risk-reason">
          <span>{c.label}</span>
          <span className="rj-risk-track" title={`${c.value} × ${c.weight} 分`}>
            <span
              className="rj-risk-bar"
              style={{ width: `${(c.points / max) * 100}%`, background: RISK_COLORS[risk.riskClass] }}
            />
          </span>
          <span className="rj-risk-points">+{c.points} 分</span>
          <span className="rj-risk-detail">{c.detail}</span>
        </li>
      ))}
    </ol>
  );
}

/** Class changes from the profile's ledger timeline, newest first. */
function History({ events }: { events: EntityTimelineEvent[] }) {
  const changes = events.filter((ev) => ev.kind === 'entity.risk.changed').reverse();
  if (changes.length === 0) return null;
  return (
    <>
      <Typography.Title level={5} style={{ marginTop: 16 }}>
        分类变更记录
      </Typography.Title>
      <Timeline
        items={changes.slice(0, 10).map((ev) => {
          const p = ev.payload as {
            from?: RiskClass | null;
            to?: RiskClass;
            score?: number;
            reasons?: { label: string; points: number }[];
          };
          const why = (p.reasons ?? []).map((r) => `${r.label} +${r.points}`).join('，');
          return {
            key: ev.id,
            color: p.to ? RISK_COLORS[p.to] : 'gray',
            children: (
              <>
                <div>
                  {p.from ?? '未分类'} → {p.to}（{p.score} 分）{why ? `：${why}` : '：无计分指标'}
                </div>
                <div style={{ color: '#8c8c8c' }}>
                  {dateTime(ev.occurredAt)} · {ev.actorName}
                </div>
              </>
            ),
          };
        })}
      />
    </>
  );
}

/** 信用风险分类 on the 一户一档: the class and score with every indicator's points and reason. */
export function EntityRiskCard({ e }: { e: EntityProfile }) {
  const user = useCurrentUser();
  const { message } = App.useApp();
  const recompute = useRecomputeEntity(e.id);
  const risk = e.risk;

  const run = () =>
    recompute.mutate(undefined, {
      onSuccess: (v) =>
        void message.success(
          v.risk ? `已重新计算：${v.risk.riskClass} 类（${v.risk.label}），${v.risk.score} 分` : '已重新计算',
        ),
      onError: (err) => void message.error(errorMessage(err)),
    });

  return (
    <Col span={24}>
      <Card
        title="信用风险分类"
        variant="borderless"
        data-testid="entity-risk-card"
        extra={
          can(user, 'entity:risk:recompute') && (
            <Button icon={<ReloadOutlined />} loading={recompute.isPending} onClick={run}>
              重新计算
            </Button>
          )
        }
      >
        {!risk ? (
          <Empty description="尚未计算信用风险分类（每晚自动计算，也可点击“重新计算”）" />
        ) : (
          <>
            <Row gutter={[32, 16]} align="top">
              <Col xs={12} md={4}>
                <div style={{ color: 'rgba(0,0,0,0.45)', marginBottom: 8 }}>分类</div>
                <RiskTag riskClass={risk.riskClass} />
              </Col>
              <Col xs={12} md={4}>
                <Statistic title="风险分值" value={risk.score} suffix="分" />
              </Col>
              <Col xs={24} md={16}>
                <div style={{ color: 'rgba(0,0,0,0.45)', marginBottom: 8 }}>
                  分值区间（A 类低于 {risk.thresholds[0]} 分，D 类 {risk.thresholds[2]} 分及以上）
                </div>
                <ScoreScale score={risk.score} thresholds={risk.thresholds} />
              </Col>
            </Row>
            <Typography.Title level={5} style={{ marginTop: 16 }}>
              计分依据
            </Typography.Title>
            <Reasons risk={risk} />
            <Typography.Text type="secondary" style={{ display: 'block', marginTop: 12, fontSize: 12 }}>
              {modelVersionLabel(risk.modelVersion)} · 评定日期 {risk.asOf} · 结果形成于{' '}
              {dateTime(risk.computedAt)}（此后每晚复核，结果不变时不重写）
            </Typography.Text>
            <History events={e.timeline} />
          </>
        )}
      </Card>
    </Col>
  );
}
