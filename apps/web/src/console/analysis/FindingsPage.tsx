import { CheckOutlined, CloseOutlined, ThunderboltOutlined } from '@ant-design/icons';
import { BUSINESS_LINES } from '@rongjian/shared';
import {
  type ClueStatus,
  FINDING_DETECTOR_LABELS,
  FINDING_STATUS_LABELS,
  type FindingClueRef,
  type FindingEvidence,
  findingDetectorSchema,
  findingStatusSchema,
} from '@rongjian/shared/api';
import {
  Alert,
  App,
  Button,
  Card,
  Descriptions,
  Form,
  Input,
  Modal,
  Select,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import { Link } from 'react-router';
import { errorMessage } from '../../shared/api/client.ts';
import { useCurrentUser } from '../../shared/auth/api.ts';
import { can } from '../../shared/auth/permissions.ts';
import { KeysetPager, useKeysetPaging } from '../../shared/ui/KeysetPager.tsx';
import { QueryError } from '../../shared/ui/QueryError.tsx';
import { SearchCard } from '../../shared/ui/SearchCard.tsx';
import { dateTime } from '../clues/api.ts';
import { useGridOptions } from '../clues/hooks.ts';
import { StatusTag } from '../clues/labels.tsx';
import {
  type Finding,
  type FindingFilter,
  useFindings,
  useHandleFinding,
  useRunDetectors,
} from './findingsApi.ts';

/**
 * 模式发现: what the detectors found (重复投诉举报, 条线异常增长, 许可证到期, 信用事件), each with its evidence and the
 * clue of channel 研判分析 it raised; 立即检测 runs them now; 确认 / 忽略 record the analyst's view with a note.
 */
const DETECTOR_COLORS: Record<string, string> = {
  repeat_complaints: 'volcano',
  line_spike: 'purple',
  licence_expiry: 'gold',
  credit_event: 'red',
};
const STATUS_COLORS: Record<string, string> = {
  open: 'processing',
  confirmed: 'success',
  dismissed: 'default',
};

function ClueLinks({ clues }: { clues: readonly FindingClueRef[] }) {
  if (clues.length === 0) return <Typography.Text type="secondary">—</Typography.Text>;
  return (
    <Space wrap size={[8, 4]}>
      {clues.map((c) => (
        <Link key={c.id} to={`/clues/${c.id}`}>
          {c.number}
        </Link>
      ))}
    </Space>
  );
}

/** A tiny bar chart: the baseline weeks in grey, the tested week in red. */
function WeekBars({ baseline, count }: { baseline: readonly number[]; count: number }) {
  const values = [...baseline, count];
  const max = Math.max(1, ...values);
  const w = 14;
  const h = 48;
  return (
    <svg
      width={values.length * (w + 3)}
      height={h + 14}
      role="img"
      aria-label={`此前各周 ${baseline.join('、')} 条，本周 ${count} 条`}
      data-testid="finding-bars"
    >
      {values.map((v, i) => {
        const bh = Math.max(1, Math.round((v / max) * h));
        const last = i === values.length - 1;
        return (
          // biome-ignore lint/suspicious/noArrayIndexKey: bars are positional (week order) and never reordered.
          <g key={i}>
            <rect x={i * (w + 3)} y={h - bh} width={w} height={bh} fill={last ? '#cf1322' : '#bfbfbf'} />
            <text x={i * (w + 3) + w / 2} y={h + 12} fontSize={10} textAnchor="middle" fill="#595959">
              {v}
            </text>
          </g>
        );
      })}
    </svg>
  );
}

/** One-line summary for the table. */
function evidenceSummary(e: FindingEvidence): string {
  switch (e.detector) {
    case 'repeat_complaints':
      return `${e.days} 天内 ${e.count} 次（阈值 ${e.threshold} 次）`;
    case 'line_spike':
      return `${e.week} 共 ${e.count} 条，基线平均 ${e.baselineMean} 条，p = ${e.p.toExponential(2)}`;
    case 'licence_expiry':
      return e.daysLeft < 0
        ? `已过期 ${-e.daysLeft} 天（${e.licenceNo}）`
        : `还有 ${e.daysLeft} 天到期（${e.licenceNo}）`;
    case 'credit_event':
      return `${e.decidedOn} 列入；在办线索 ${e.openClues.length} 条，有效许可证 ${e.liveLicences} 张`;
    default:
      return '';
  }
}

function EvidenceView({ f }: { f: Finding }) {
  const e = f.evidence;
  switch (e.detector) {
    case 'repeat_complaints':
      return (
        <Descriptions size="small" column={1} bordered>
          <Descriptions.Item label="经营主体">
            {f.entityId ? <Link to={`/entities/${f.entityId}`}>{e.entityName}</Link> : e.entityName}
          </Descriptions.Item>
          <Descriptions.Item label="时间窗口">
            {dateTime(e.windowStart)} 起 {e.days} 天（阈值 {e.threshold} 次）
          </Descriptions.Item>
          <Descriptions.Item label={`投诉举报（${e.count} 次）`}>
            <ClueLinks clues={e.clues} />
          </Descriptions.Item>
        </Descriptions>
      );
    case 'line_spike':
      return (
        <Descriptions size="small" column={1} bordered>
          <Descriptions.Item label="范围">
            {e.areaName} · {e.line} · {e.week}（{e.weekStart} 起）
          </Descriptions.Item>
          <Descriptions.Item label={`周线索数（此前 ${e.baseline.length} 周与本周）`}>
            <WeekBars baseline={e.baseline} count={e.count} />
          </Descriptions.Item>
          <Descriptions.Item label="检验">
            基线平均 {e.baselineMean} 条（期望 λ = {e.lambda.toFixed(2)}），本周 {e.count} 条；泊松上尾概率 p
            = {e.p.toExponential(2)} &lt; 显著性水平 {e.alpha}，且不少于最低数量 {e.minCount} 条
          </Descriptions.Item>
          <Descriptions.Item label="本周线索">
            <ClueLinks clues={e.clues} />
          </Descriptions.Item>
        </Descriptions>
      );
    case 'licence_expiry':
      return (
        <Descriptions size="small" column={1} bordered>
          <Descriptions.Item label="经营主体">
            {f.entityId ? <Link to={`/entities/${f.entityId}`}>{e.entityName}</Link> : e.entityName}（
            {e.entityStatus}）
          </Descriptions.Item>
          <Descriptions.Item label="许可证">
            {e.licenceNo}（{e.licenceStatus}）
          </Descriptions.Item>
          <Descriptions.Item label="有效期至">
            {e.validUntil}（{e.daysLeft < 0 ? `已过期 ${-e.daysLeft} 天` : `还有 ${e.daysLeft} 天`}）
          </Descriptions.Item>
        </Descriptions>
      );
    case 'credit_event':
      return (
        <Descriptions size="small" column={1} bordered>
          <Descriptions.Item label="经营主体">
            {f.entityId ? <Link to={`/entities/${f.entityId}`}>{e.entityName}</Link> : e.entityName}
          </Descriptions.Item>
          <Descriptions.Item label="信用记录">
            {e.creditKind === 'serious_violation' ? '严重违法失信名单' : '经营异常名录'} · {e.decidedOn} ·{' '}
            {e.authority || '—'} · {e.documentNo || '—'}
          </Descriptions.Item>
          <Descriptions.Item label="事由">{e.reason || '—'}</Descriptions.Item>
          <Descriptions.Item label={`在办线索（${e.openClues.length}）`}>
            <ClueLinks clues={e.openClues} />
          </Descriptions.Item>
          <Descriptions.Item label="有效许可证">{e.liveLicences} 张</Descriptions.Item>
        </Descriptions>
      );
    default:
      return null;
  }
}

function HandleModal({
  target,
  onClose,
}: {
  target: { finding: Finding; action: 'confirm' | 'dismiss' } | null;
  onClose: () => void;
}) {
  const { message } = App.useApp();
  const handle = useHandleFinding();
  const [form] = Form.useForm<{ note: string }>();
  const [error, setError] = useState<string | null>(null);
  const label = target?.action === 'confirm' ? '确认' : '忽略';
  return (
    <Modal
      title={`${label}发现`}
      open={target !== null}
      okText={label}
      confirmLoading={handle.isPending}
      onCancel={() => {
        setError(null);
        onClose();
      }}
      destroyOnHidden
      onOk={async () => {
        if (!target) return;
        const { note } = await form.validateFields();
        setError(null);
        try {
          await handle.mutateAsync({ id: target.finding.id, action: target.action, note: note.trim() });
          void message.success(`已${label}`);
          onClose();
        } catch (e) {
          setError(errorMessage(e));
        }
      }}
    >
      {target && <Typography.Paragraph>{target.finding.title}</Typography.Paragraph>}
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
      <Form form={form} layout="vertical" preserve={false}>
        <Form.Item
          name="note"
          label="说明"
          rules={[
            { required: true, whitespace: true, message: '请填写说明' },
            { max: 500, message: '说明不能超过 500 字' },
          ]}
        >
          <Input.TextArea
            rows={3}
            placeholder={target?.action === 'confirm' ? '例如：已安排现场检查' : '例如：已办理延续，无需处理'}
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}

export default function FindingsPage() {
  const user = useCurrentUser();
  const { message } = App.useApp();
  const [filter, setFilter] = useState<FindingFilter>({});
  const paging = useKeysetPaging<number>(20);
  const list = useFindings(filter, paging.after, paging.limit);
  const run = useRunDetectors();
  const grids = useGridOptions();
  const [target, setTarget] = useState<{ finding: Finding; action: 'confirm' | 'dismiss' } | null>(null);
  const mayRun = can(user, 'analysis:finding:run');
  const mayUpdate = can(user, 'analysis:finding:update');

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <SearchCard<FindingFilter>
        name="findings"
        onSearch={(v) => {
          setFilter({
            detector: v.detector || undefined,
            status: v.status || undefined,
            businessLine: v.businessLine || undefined,
            gridId: v.gridId || undefined,
          });
          paging.reset();
        }}
      >
        <Form.Item name="detector" label="检测规则">
          <Select
            allowClear
            style={{ width: 160 }}
            placeholder="全部"
            options={findingDetectorSchema.options.map((d) => ({
              value: d,
              label: FINDING_DETECTOR_LABELS[d],
            }))}
          />
        </Form.Item>
        <Form.Item name="status" label="状态">
          <Select
            allowClear
            style={{ width: 120 }}
            placeholder="全部"
            options={findingStatusSchema.options.map((s) => ({ value: s, label: FINDING_STATUS_LABELS[s] }))}
          />
        </Form.Item>
        <Form.Item name="businessLine" label="业务条线">
          <Select
            allowClear
            style={{ width: 190 }}
            placeholder="全部"
            options={BUSINESS_LINES.map((l) => ({ value: l, label: l }))}
          />
        </Form.Item>
        <Form.Item name="gridId" label="网格">
          <Select
            allowClear
            showSearch
            optionFilterProp="label"
            style={{ width: 220 }}
            placeholder="全部"
            loading={grids.loading}
            options={grids.grids}
          />
        </Form.Item>
      </SearchCard>

      <Card
        variant="borderless"
        title="模式发现"
        extra={
          mayRun && (
            <Button
              type="primary"
              icon={<ThunderboltOutlined />}
              loading={run.isPending}
              onClick={async () => {
                try {
                  const r = await run.mutateAsync();
                  const raised = r.runs.reduce((s, x) => s + x.raised, 0);
                  const deferred = r.runs.reduce((s, x) => s + x.deferred, 0);
                  void message.success(
                    raised > 0
                      ? `检测完成：新发现 ${raised} 条，已生成研判线索${deferred > 0 ? `；另有 ${deferred} 条留待下次检测` : ''}`
                      : '检测完成：没有新的发现',
                  );
                } catch (e) {
                  void message.error(errorMessage(e));
                }
              }}
            >
              立即检测
            </Button>
          )
        }
      >
        <QueryError query={list} />
        <Table<Finding>
          rowKey="id"
          size="middle"
          loading={list.isFetching}
          dataSource={list.data?.items ?? []}
          pagination={false}
          expandable={{ expandedRowRender: (f) => <EvidenceView f={f} /> }}
          columns={[
            {
              title: '检测规则',
              dataIndex: 'detector',
              width: 130,
              render: (d: Finding['detector']) => (
                <Tag color={DETECTOR_COLORS[d]}>{FINDING_DETECTOR_LABELS[d]}</Tag>
              ),
            },
            { title: '发现', dataIndex: 'title' },
            {
              title: '证据',
              width: 260,
              render: (_, f) => (
                <Typography.Text type="secondary">{evidenceSummary(f.evidence)}</Typography.Text>
              ),
            },
            {
              title: '研判线索',
              width: 190,
              render: (_, f) =>
                f.clueId ? (
                  <Space size={4} wrap>
                    <Link to={`/clues/${f.clueId}`}>{f.clueNumber}</Link>
                    {f.clueStatus && <StatusTag status={f.clueStatus as ClueStatus} />}
                  </Space>
                ) : (
                  '—'
                ),
            },
            { title: '发现时间', dataIndex: 'createdAt', width: 150, render: (v: string) => dateTime(v) },
            {
              title: '状态',
              width: 170,
              render: (_, f) => (
                <Space orientation="vertical" size={0}>
                  <Tag color={STATUS_COLORS[f.status]}>{FINDING_STATUS_LABELS[f.status]}</Tag>
                  {f.note && (
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {f.handledByName}：{f.note}
                    </Typography.Text>
                  )}
                </Space>
              ),
            },
            ...(mayUpdate
              ? [
                  {
                    title: '操作',
                    width: 150,
                    render: (_: unknown, f: Finding) =>
                      f.status === 'open' ? (
                        <Space size={4}>
                          <Button
                            size="small"
                            icon={<CheckOutlined />}
                            onClick={() => setTarget({ finding: f, action: 'confirm' })}
                          >
                            确认
                          </Button>
                          <Button
                            size="small"
                            icon={<CloseOutlined />}
                            onClick={() => setTarget({ finding: f, action: 'dismiss' })}
                          >
                            忽略
                          </Button>
                        </Space>
                      ) : null,
                  },
                ]
              : []),
          ]}
        />
        <KeysetPager<number>
          paging={paging}
          nextAfter={list.data?.nextAfter == null ? null : Number(list.data.nextAfter)}
          loading={list.isFetching}
        />
      </Card>
      <HandleModal target={target} onClose={() => setTarget(null)} />
    </Space>
  );
}
