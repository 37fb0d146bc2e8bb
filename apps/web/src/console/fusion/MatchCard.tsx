import { CheckOutlined, CloseOutlined } from '@ant-design/icons';
import { ENTITY_TYPES } from '@rongjian/shared';
import { Button, Card, Descriptions, Progress, Radio, Space, Table, Tag, Tooltip, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { type ReactNode, useState } from 'react';
import { Link } from 'react-router';
import {
  dateTime,
  type EntityMatch,
  FUSED_FIELD_LABELS,
  type MatchSide,
  useConfirmMatch,
  useRejectMatch,
} from './api.ts';
import { ReasonModal } from './ReasonModal.tsx';
import './fusion.css';

interface Row {
  key: string;
  label: string;
  left: ReactNode;
  right: ReactNode;
  differs: boolean;
}

const ROWS: { key: string; label: string; get: (s: MatchSide) => ReactNode }[] = [
  { key: 'uscc', label: FUSED_FIELD_LABELS.uscc, get: (s) => s.uscc ?? '—' },
  { key: 'name', label: FUSED_FIELD_LABELS.name, get: (s) => s.name },
  { key: 'type', label: FUSED_FIELD_LABELS.type, get: (s) => ENTITY_TYPES[s.type] },
  { key: 'address', label: FUSED_FIELD_LABELS.address, get: (s) => s.address },
  { key: 'regionCode', label: FUSED_FIELD_LABELS.regionCode, get: (s) => s.regionCode },
  { key: 'establishedOn', label: FUSED_FIELD_LABELS.establishedOn, get: (s) => s.establishedOn ?? '—' },
  { key: 'status', label: FUSED_FIELD_LABELS.status, get: (s) => s.status },
  { key: 'businessScope', label: FUSED_FIELD_LABELS.businessScope, get: (s) => s.businessScope ?? '—' },
  { key: 'station', label: '所属市场监管所', get: (s) => s.stationName ?? '—' },
  { key: 'grid', label: '所属网格', get: (s) => s.gridName ?? '未划入网格' },
  { key: 'sources', label: '数据来源', get: (s) => (s.sources.length ? s.sources.join('、') : '—') },
];

const STATUS: Record<EntityMatch['status'], { color: string; text: string }> = {
  pending: { color: 'gold', text: '待确认' },
  confirmed: { color: 'green', text: '已确认合并' },
  rejected: { color: 'default', text: '已驳回（保持分开）' },
};

const score = (x: number) => x.toFixed(2);

function SideTitle({ side, caption }: { side: MatchSide; caption: string }) {
  return (
    <Space orientation="vertical" size={0}>
      <Typography.Text type="secondary" style={{ fontWeight: 'normal' }}>
        {caption}
      </Typography.Text>
      <Link to={`/entities/${side.id}`}>
        {side.name}（#{side.id}）
      </Link>
    </Space>
  );
}

/** One queued pair: both sides' facts side by side, differing fields marked, the score explained. */
export function MatchCard({ match, canReview }: { match: EntityMatch; canReview: boolean }) {
  const [dialog, setDialog] = useState<'confirm' | 'reject' | null>(null);
  const [survivorId, setSurvivorId] = useState(match.candidate.id);
  const confirm = useConfirmMatch();
  const reject = useRejectMatch();
  const differs = new Set<string>(match.differences);
  const rows: Row[] = ROWS.map((r) => ({
    key: r.key,
    label: r.label,
    left: r.get(match.entity),
    right: r.get(match.candidate),
    differs: differs.has(r.key),
  }));
  const columns: ColumnsType<Row> = [
    {
      title: '字段',
      dataIndex: 'label',
      width: 150,
      render: (label: string, r) => (
        <Space size={4}>
          {label}
          {r.differs && <Tag color="orange">不同</Tag>}
        </Space>
      ),
    },
    { title: <SideTitle side={match.entity} caption="本次登记记录（新建的主体）" />, dataIndex: 'left' },
    { title: <SideTitle side={match.candidate} caption="已有主体" />, dataIndex: 'right' },
  ];
  const status = STATUS[match.status];
  const addressWeight = 1 - match.nameWeight;

  return (
    <Card
      variant="borderless"
      data-testid={`match-${match.id}`}
      title={
        <Space wrap>
          <span>待确认主体对 #{match.id}</span>
          <Tag color={status.color}>{status.text}</Tag>
          <Typography.Text type="secondary" style={{ fontWeight: 'normal' }}>
            {dateTime(match.createdAt)}
            {match.runId !== null ? ` · 导入批次 #${match.runId}` : ''}
          </Typography.Text>
        </Space>
      }
      extra={
        match.status === 'pending' && canReview ? (
          <Space>
            <Button type="primary" icon={<CheckOutlined />} onClick={() => setDialog('confirm')}>
              确认合并
            </Button>
            <Button icon={<CloseOutlined />} onClick={() => setDialog('reject')}>
              不是同一主体
            </Button>
          </Space>
        ) : null
      }
    >
      <div className="rj-match-score">
        <Tooltip title="得分 = 名称权重 × 名称相似度 + 地址权重 × 地址相似度">
          <Progress
            type="circle"
            size={76}
            percent={Math.round(match.score * 100)}
            format={() => score(match.score)}
            strokeColor={match.score >= 0.85 ? '#fa8c16' : '#faad14'}
          />
        </Tooltip>
        <Descriptions
          size="small"
          column={{ xs: 1, md: 2 }}
          items={[
            {
              key: 'name',
              label: `名称相似度（权重 ${Math.round(match.nameWeight * 100)}%）`,
              children: (
                <span>
                  {score(match.nameScore)}
                  <Typography.Text type="secondary" style={{ marginLeft: 8 }}>
                    {match.names.join(' ／ ')}
                  </Typography.Text>
                </span>
              ),
            },
            {
              key: 'address',
              label: `地址相似度（权重 ${Math.round(addressWeight * 100)}%）`,
              children: (
                <span>
                  {score(match.addressScore)}
                  <Typography.Text type="secondary" style={{ marginLeft: 8 }}>
                    {match.addresses.join(' ／ ')}
                  </Typography.Text>
                  {match.numberMismatch && (
                    <Tag color="red" style={{ marginLeft: 8 }}>
                      门牌号不一致，已折减
                    </Tag>
                  )}
                </span>
              ),
            },
          ]}
        />
      </div>
      <Table<Row>
        rowKey="key"
        size="small"
        className="rj-match-table"
        columns={columns}
        dataSource={rows}
        pagination={false}
        rowClassName={(r) => (r.differs ? 'rj-match-diff' : '')}
      />
      {match.status !== 'pending' && (
        <Typography.Paragraph type="secondary" style={{ marginTop: 12, marginBottom: 0 }}>
          {match.decidedByName ?? '—'} 于 {dateTime(match.decidedAt)} 处理
          {match.note ? `：${match.note}` : ''}
          {match.mergeId !== null ? `（合并记录 #${match.mergeId}）` : ''}
        </Typography.Paragraph>
      )}

      <ReasonModal
        open={dialog === 'confirm'}
        title="确认为同一主体并合并"
        okText="确认合并"
        required={false}
        label="备注"
        placeholder="可填写核实情况（选填）"
        onClose={() => setDialog(null)}
        onSubmit={(note) => confirm.mutateAsync({ id: match.id, note, survivorId })}
      >
        <Typography.Paragraph>
          合并后，被并入主体的来源记录、许可证、信用记录和人员都移到保留的主体，登记字段按融合规则重新计算；合并可在合并记录中撤销。
        </Typography.Paragraph>
        <Radio.Group
          value={survivorId}
          onChange={(e) => setSurvivorId(e.target.value as number)}
          style={{ display: 'flex', flexDirection: 'column', gap: 8, marginBottom: 16 }}
          options={[
            { value: match.candidate.id, label: `保留已有主体「${match.candidate.name}」（推荐）` },
            { value: match.entity.id, label: `保留本次登记形成的「${match.entity.name}」` },
          ]}
        />
      </ReasonModal>
      <ReasonModal
        open={dialog === 'reject'}
        title="不是同一主体"
        okText="驳回"
        required={false}
        label="备注"
        placeholder="可说明为何不是同一主体（选填）；驳回后这一对不再提示"
        onClose={() => setDialog(null)}
        onSubmit={(note) => reject.mutateAsync({ id: match.id, note })}
      />
    </Card>
  );
}
