import { ExportOutlined, FileSearchOutlined, PlusOutlined } from '@ant-design/icons';
import { DISPOSALS } from '@rongjian/shared';
import {
  FINDING_DETECTOR_LABELS,
  REVIEW_FIELDS,
  type ReviewAccepted,
  type ReviewDetail,
  type ReviewField,
  type ReviewFieldFigures,
  type ReviewFigures,
  type ReviewSummary,
  TRIAGE_HEAD_LABELS,
  triageValueLabel,
} from '@rongjian/shared/api';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  DatePicker,
  Descriptions,
  Drawer,
  Empty,
  Form,
  Modal,
  Progress,
  Row,
  Space,
  Spin,
  Statistic,
  Table,
  Tabs,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { api, errorMessage } from '../../shared/api/client.ts';
import { useCurrentUser } from '../../shared/auth/api.ts';
import { can } from '../../shared/auth/permissions.ts';
import { QueryError } from '../../shared/ui/QueryError.tsx';
import { downloadFile } from '../system/users/api.ts';
import { ConfusionMatrix } from './ConfusionMatrix.tsx';

const KEY = ['analysis', 'review'] as const;
const pct = (v: number) => `${(v * 100).toFixed(1)}%`;
const f3 = (v: number) => v.toFixed(3);
const disposalLabel = (d: string) => (DISPOSALS as Record<string, string>)[d] ?? d;
const detectorLabel = (d: string) => (FINDING_DETECTOR_LABELS as Record<string, string>)[d] ?? d;

function DecisionTag({
  r,
}: {
  r: Pick<ReviewSummary, 'status' | 'modelActivated' | 'modelDecision' | 'error'>;
}) {
  if (r.status === 'pending')
    return (
      <Tag color="processing" icon={<Spin size="small" style={{ marginRight: 4 }} />}>
        生成中
      </Tag>
    );
  if (r.status === 'failed')
    return (
      <Tooltip title={r.error ?? undefined}>
        <Tag color="error">生成失败</Tag>
      </Tooltip>
    );
  return (
    <Tooltip title={r.modelDecision ?? undefined}>
      {r.modelActivated ? <Tag color="green">已启用新模型</Tag> : <Tag>未启用</Tag>}
    </Tooltip>
  );
}

/** 综合研判 › 研判复盘: periodic reports comparing suggestions, judgments and outcomes, and the improvement loop. */
export default function ReviewPage() {
  const user = useCurrentUser();
  const [detailId, setDetailId] = useState<number | null>(null);
  const [creating, setCreating] = useState(false);
  const reports = useQuery({
    queryKey: KEY,
    queryFn: ({ signal }) =>
      api.get<{ items: ReviewSummary[] }>('/api/analysis/review', { limit: 100 }, signal),
    // A report being generated: poll until it is done.
    refetchInterval: (q) => (q.state.data?.items.some((r) => r.status === 'pending') ? 2000 : false),
  });
  const canCreate = can(user, 'analysis:review:create');

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Card
        variant="borderless"
        title="研判复盘"
        extra={
          canCreate && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
              生成报告
            </Button>
          )
        }
      >
        <Typography.Paragraph type="secondary">
          {
            '定期复盘模型的分拣建议与研判结论、调度办理结果的差异，以及各项模式发现规则的成效。每月 1 日凌晨自动生成上月报告，也可按任意期间（最长一年）生成。期间内研判人员的更正达到最少样本数时，会以其训练候选模型，在同一留出集上优于当前版本才启用。'
          }
        </Typography.Paragraph>
        <QueryError query={reports} />
        <Table<ReviewSummary>
          rowKey="id"
          size="middle"
          loading={reports.isLoading}
          dataSource={reports.data?.items ?? []}
          pagination={false}
          scroll={{ x: 900 }}
          locale={{ emptyText: '还没有复盘报告' }}
          columns={[
            {
              title: '复盘期间',
              width: 220,
              render: (_, r) => (
                <Typography.Link onClick={() => setDetailId(r.id)} disabled={r.status !== 'done'}>
                  {r.from} 至 {r.to}
                </Typography.Link>
              ),
            },
            {
              title: '生成方式',
              dataIndex: 'trigger',
              width: 100,
              render: (t: ReviewSummary['trigger']) => (t === 'monthly' ? '每月自动' : '手动'),
            },
            {
              title: '生成时间',
              width: 150,
              render: (_, r) => (r.generatedAt ? dayjs(r.generatedAt).format('YYYY-MM-DD HH:mm') : '—'),
            },
            { title: '生成人', dataIndex: 'generatedByName', width: 100 },
            { title: '研判数', dataIndex: 'judgments', width: 80, render: (v: number | null) => v ?? '—' },
            {
              title: '业务条线一致率',
              dataIndex: 'lineAccuracy',
              width: 120,
              render: (v: number | null) => (v === null ? '—' : pct(v)),
            },
            { title: '模型', width: 130, render: (_, r) => <DecisionTag r={r} /> },
            {
              title: '操作',
              width: 140,
              fixed: 'right',
              render: (_, r) =>
                r.status === 'done' && (
                  <Space size={0}>
                    <Button size="small" type="link" onClick={() => setDetailId(r.id)}>
                      查看
                    </Button>
                    <ExportButton report={r} type="link" />
                  </Space>
                ),
            },
          ]}
        />
      </Card>
      <CreateModal open={creating} onClose={() => setCreating(false)} />
      <ReviewDrawer id={detailId} onClose={() => setDetailId(null)} />
    </Space>
  );
}

function ExportButton({ report, type }: { report: Pick<ReviewSummary, 'id'>; type?: 'link' | 'default' }) {
  const { message } = App.useApp();
  const [busy, setBusy] = useState(false);
  return (
    <Button
      size="small"
      type={type}
      icon={type === 'link' ? undefined : <ExportOutlined />}
      loading={busy}
      onClick={() => {
        setBusy(true);
        downloadFile(`/api/analysis/review/${report.id}/export`)
          .catch((e: unknown) => void message.error(errorMessage(e)))
          .finally(() => setBusy(false));
      }}
    >
      导出
    </Button>
  );
}

function lastMonth(): [Dayjs, Dayjs] {
  const start = dayjs().subtract(1, 'month').startOf('month');
  return [start, start.endOf('month')];
}

function CreateModal({ open, onClose }: { open: boolean; onClose: () => void }) {
  const qc = useQueryClient();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ range: [Dayjs, Dayjs] }>();
  const create = useMutation({
    mutationFn: (v: { from: string; to: string }) => api.post<ReviewAccepted>('/api/analysis/review', v),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: KEY });
      void message.success('已开始生成复盘报告，完成后列表自动更新');
      onClose();
    },
  });
  const submit = async () => {
    const v = await form.validateFields().catch(() => null);
    if (v) create.mutate({ from: v.range[0].format('YYYY-MM-DD'), to: v.range[1].format('YYYY-MM-DD') });
  };
  return (
    <Modal
      title="生成复盘报告"
      open={open}
      onCancel={onClose}
      onOk={() => void submit()}
      okText="生成"
      cancelText="取消"
      confirmLoading={create.isPending}
      destroyOnHidden
      afterOpenChange={(o) => o && create.reset()}
    >
      <Typography.Paragraph type="secondary">
        报告在后台生成；期间内的更正样本足够时还会训练候选模型，可能需要一两分钟。
      </Typography.Paragraph>
      {create.isError && (
        <Alert type="error" showIcon title={errorMessage(create.error)} style={{ marginBottom: 12 }} />
      )}
      <Form form={form} layout="vertical" initialValues={{ range: lastMonth() }}>
        <Form.Item
          name="range"
          label="复盘期间"
          rules={[
            { required: true, message: '请选择复盘期间' },
            {
              validator: (_, v?: [Dayjs, Dayjs]) =>
                v && v[1].diff(v[0], 'day') + 1 > 366
                  ? Promise.reject(new Error('复盘期间最长一年'))
                  : Promise.resolve(),
            },
          ]}
        >
          <DatePicker.RangePicker style={{ width: '100%' }} disabledDate={(d) => d.isAfter(dayjs(), 'day')} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function ReviewDrawer({ id, onClose }: { id: number | null; onClose: () => void }) {
  const detail = useQuery({
    queryKey: [...KEY, id],
    queryFn: ({ signal }) => api.get<ReviewDetail>(`/api/analysis/review/${id}`, undefined, signal),
    enabled: id !== null,
  });
  const r = detail.data;
  return (
    <Drawer
      open={id !== null}
      onClose={onClose}
      size={1080}
      title={r ? `研判复盘：${r.from} 至 ${r.to}` : '研判复盘'}
      extra={r?.status === 'done' && <ExportButton report={r} />}
      destroyOnHidden
    >
      <QueryError query={detail} />
      {detail.isLoading && <Spin />}
      {r && !r.figures && (
        <Empty description={r.status === 'failed' ? (r.error ?? '生成失败') : '报告生成中'} />
      )}
      {r?.figures && <ReviewBody figures={r.figures} />}
    </Drawer>
  );
}

function ReviewBody({ figures }: { figures: ReviewFigures }) {
  const j = figures.judgments;
  return (
    <Space orientation="vertical" size={20} style={{ width: '100%' }}>
      <Row gutter={16}>
        <Col span={6}>
          <Statistic title="研判数" value={j.total} suffix={`（有建议 ${j.withSuggestion}）`} />
        </Col>
        <Col span={6}>
          <Statistic title="四项均采纳建议" value={pct(j.followedAll)} />
        </Col>
        <Col span={6}>
          <Statistic title="业务条线一致率" value={pct(j.fields.line.accuracy)} />
        </Col>
        <Col span={6}>
          <Statistic title="处置建议一致率" value={pct(j.fields.disposal.accuracy)} />
        </Col>
      </Row>

      <Card size="small" title="建议与研判结论">
        <Typography.Paragraph type="secondary">
          以研判结论为准，衡量模型建议的一致率、逐类精确率/召回率，以及建议与结论的混淆情况。
        </Typography.Paragraph>
        <Tabs
          items={REVIEW_FIELDS.map((h) => ({
            key: h,
            label: `${TRIAGE_HEAD_LABELS[h]}（${pct(j.fields[h].accuracy)}）`,
            children: <FieldFigures head={h} figures={j.fields[h]} />,
          }))}
        />
      </Card>

      <Card size="small" title="置信度校准（建议置信度与四项均采纳比例）">
        {j.calibration.map((b) => (
          <Row key={b.key} gutter={12} align="middle" style={{ marginBottom: 8 }}>
            <Col span={4}>置信度 {b.label}</Col>
            <Col span={14}>
              <Progress
                percent={Math.round(b.accuracy * 1000) / 10}
                aria-label={`置信度 ${b.label} 采纳比例`}
                strokeColor={b.n === 0 ? '#d9d9d9' : undefined}
              />
            </Col>
            <Col span={6}>
              <Typography.Text type="secondary">
                {b.n} 条{b.n ? `，平均置信度 ${f3(b.meanConfidence)}` : ''}
              </Typography.Text>
            </Col>
          </Row>
        ))}
      </Card>

      <Card size="small" title="建议与办理结果">
        <Table
          rowKey={(o) => `${o.group}-${o.disposal}`}
          size="small"
          pagination={false}
          dataSource={[
            ...figures.outcomes.dispatched.map((o) => ({ ...o, group: 'dispatched' as const })),
            ...figures.outcomes.closed.map((o) => ({ ...o, group: 'closed' as const })),
          ]}
          columns={[
            {
              title: '分组',
              width: 260,
              render: (_, o) =>
                o.group === 'dispatched'
                  ? `模型建议${disposalLabel(o.disposal)}，调度单已办结`
                  : `研判${disposalLabel(o.disposal)}`,
            },
            { title: '线索数', dataIndex: 'n', width: 80 },
            {
              title: '结果',
              width: 160,
              render: (_, o) => (o.group === 'dispatched' ? `发现违法 ${o.hits}` : `此后重新办理 ${o.hits}`),
            },
            { title: '比例', dataIndex: 'rate', width: 90, render: pct },
            {
              title: '研判与建议一致',
              dataIndex: 'agreed',
              width: 130,
            },
          ]}
        />
      </Card>

      <Card size="small" title="模式发现成效">
        <Table
          rowKey="detector"
          size="small"
          pagination={false}
          scroll={{ x: 900 }}
          dataSource={figures.detectors}
          columns={[
            { title: '检测规则', dataIndex: 'detector', width: 130, render: detectorLabel },
            { title: '发现', dataIndex: 'raised', width: 60 },
            { title: '已确认', dataIndex: 'confirmed', width: 70 },
            { title: '已忽略', dataIndex: 'dismissed', width: 70 },
            { title: '待处理', dataIndex: 'open', width: 70 },
            { title: '生成线索', dataIndex: 'cluesRaised', width: 80 },
            { title: '已研判', dataIndex: 'judged', width: 70 },
            { title: '已调度', dataIndex: 'dispatched', width: 70 },
            { title: '发现违法', dataIndex: 'violations', width: 80 },
            {
              title: <Tooltip title="已确认 ÷（已确认 + 已忽略）">确认率</Tooltip>,
              dataIndex: 'confirmRate',
              width: 80,
              render: pct,
            },
            {
              title: <Tooltip title="线索最终发现违法的发现数 ÷ 发现数">命中率</Tooltip>,
              dataIndex: 'hitRate',
              width: 80,
              render: pct,
            },
          ]}
        />
      </Card>

      <ModelCard training={figures.training} />
    </Space>
  );
}

function FieldFigures({ head, figures }: { head: ReviewField; figures: ReviewFieldFigures }) {
  const label = (v: string) => triageValueLabel(head, v);
  if (figures.n === 0) return <Empty description="期间内没有带模型建议的研判" />;
  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }}>
      <Space size={24}>
        <span>研判 {figures.n} 条</span>
        <span>一致率 {pct(figures.accuracy)}</span>
        <span>宏平均 F1 {f3(figures.macroF1)}</span>
      </Space>
      <Table
        rowKey="label"
        size="small"
        pagination={false}
        dataSource={figures.perClass}
        columns={[
          { title: '类别', dataIndex: 'label', render: (v: string) => label(v) },
          { title: '精确率', dataIndex: 'precision', width: 90, render: f3 },
          { title: '召回率', dataIndex: 'recall', width: 90, render: f3 },
          { title: 'F1', dataIndex: 'f1', width: 90, render: f3 },
          { title: '研判数', dataIndex: 'support', width: 80 },
        ]}
      />
      <Typography.Text strong>混淆矩阵（行：研判结论，列：模型建议）</Typography.Text>
      <ConfusionMatrix
        labels={figures.confusion.labels.map(label)}
        matrix={figures.confusion.matrix}
        rowName="研判"
        columnName="建议"
      />
    </Space>
  );
}

function ModelCard({ training: t }: { training: ReviewFigures['training'] }) {
  const tag =
    t.status === 'trained' ? (
      t.activated ? (
        <Tag color="green">已启用新模型</Tag>
      ) : (
        <Tag>未启用</Tag>
      )
    ) : t.status === 'failed' ? (
      <Tag color="error">训练失败</Tag>
    ) : (
      <Tag>未训练</Tag>
    );
  return (
    <Card size="small" title={<Space>模型改进{tag}</Space>}>
      <Descriptions size="small" column={2} style={{ marginBottom: 12 }}>
        <Descriptions.Item label="本期更正样本">{t.corrections} 条</Descriptions.Item>
        <Descriptions.Item label="最少样本数">{t.minCorrections} 条</Descriptions.Item>
        {t.version && <Descriptions.Item label="候选版本">{t.version}</Descriptions.Item>}
        {t.active && <Descriptions.Item label="当前版本">{t.active.version}</Descriptions.Item>}
      </Descriptions>
      <Alert
        type={t.activated ? 'success' : t.status === 'failed' ? 'error' : 'info'}
        showIcon
        icon={<FileSearchOutlined />}
        title={t.message}
        style={{ marginBottom: t.candidate ? 12 : 0 }}
      />
      {t.candidate && (
        <Table
          rowKey="head"
          size="small"
          pagination={false}
          dataSource={REVIEW_FIELDS.map((h) => ({
            head: h,
            candidate: t.candidate!.heads[h],
            active: t.active?.heads[h] ?? null,
          }))}
          columns={[
            {
              title: '字段（同一留出集）',
              dataIndex: 'head',
              render: (h: ReviewField) => TRIAGE_HEAD_LABELS[h],
            },
            { title: '候选 宏平均 F1', render: (_, x) => f3(x.candidate.macroF1) },
            { title: '当前 宏平均 F1', render: (_, x) => (x.active ? f3(x.active.macroF1) : '—') },
            {
              title: '变化',
              render: (_, x) => {
                if (!x.active) return '—';
                const d = x.candidate.macroF1 - x.active.macroF1;
                return (
                  <Typography.Text type={d < -0.01 ? 'danger' : d > 0 ? 'success' : undefined}>
                    {d >= 0 ? '+' : ''}
                    {f3(d)}
                  </Typography.Text>
                );
              },
            },
            { title: '候选 准确率', render: (_, x) => pct(x.candidate.accuracy) },
            { title: '当前 准确率', render: (_, x) => (x.active ? pct(x.active.accuracy) : '—') },
          ]}
        />
      )}
    </Card>
  );
}
