import { CheckCircleOutlined, ExperimentOutlined, RocketOutlined } from '@ant-design/icons';
import {
  type HeadFiguresView,
  type ModelDetail,
  type ModelVersion,
  TRIAGE_HEAD_LABELS,
  TRIAGE_HEADS,
  type TrainingStatus,
  type TriageHead,
  type TriagePredictionView,
  triageValueLabel,
} from '@rongjian/shared/api';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Checkbox,
  Descriptions,
  Drawer,
  Form,
  Input,
  Modal,
  Popconfirm,
  Progress,
  Space,
  Spin,
  Table,
  Tabs,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import dayjs from 'dayjs';
import { useEffect, useRef, useState } from 'react';
import { api, errorMessage } from '../../shared/api/client.ts';
import { useCurrentUser } from '../../shared/auth/api.ts';
import { can } from '../../shared/auth/permissions.ts';
import { QueryError } from '../../shared/ui/QueryError.tsx';
import { ConfusionMatrix } from './ConfusionMatrix.tsx';

const KEY = ['analysis', 'models'] as const;
const pct = (v: number) => `${(v * 100).toFixed(1)}%`;
const f3 = (v: number) => v.toFixed(3);

/** 综合研判 › 模型评估: the triage model's versions, their figures on the held-out split, training and switching. */
export default function ModelsPage() {
  const user = useCurrentUser();
  const qc = useQueryClient();
  const { message } = App.useApp();
  const [detailId, setDetailId] = useState<number | null>(null);
  const [training, setTraining] = useState(false);
  const [jobId, setJobId] = useState<number | null>(null);
  const models = useQuery({
    queryKey: KEY,
    queryFn: ({ signal }) => api.get<{ items: ModelVersion[] }>('/api/analysis/models', undefined, signal),
  });
  const activate = useMutation({
    mutationFn: (m: ModelVersion) => api.post<ModelDetail>(`/api/analysis/models/${m.id}/activate`, {}),
    onSuccess: (m) => {
      void qc.invalidateQueries({ queryKey: KEY });
      void message.success(`已启用模型 ${m.version}，新的分拣建议立即使用此版本`);
    },
    onError: (e) => void message.error(errorMessage(e)),
  });
  const canTrain = can(user, 'analysis:model:train');
  const canActivate = can(user, 'analysis:model:activate');

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      {can(user, 'analysis:judgment:read') && <TryCard />}
      <Card
        variant="borderless"
        title="自动分拣模型"
        extra={
          canTrain && (
            <Button
              type="primary"
              icon={<RocketOutlined />}
              onClick={() => setTraining(true)}
              disabled={jobId !== null}
            >
              训练新版本
            </Button>
          )
        }
      >
        <Typography.Paragraph type="secondary">
          模型根据线索内容给出线索类型、业务条线、12315
          分类和处置建议，登记时补充分拣规则未给出的字段，研判时作为参考。
          指标均在固定的留出集（训练时从未见过的标注样本）上计算。新训练的版本只有在业务条线宏平均 F1
          严格高于当前版本、且其他字段下降均不超过 0.01 时才自动启用；也可以手动启用任一版本。
        </Typography.Paragraph>
        {jobId !== null && (
          <TrainingProgress
            jobId={jobId}
            onDone={() => void qc.invalidateQueries({ queryKey: KEY })}
            onClose={() => setJobId(null)}
          />
        )}
        <QueryError query={models} />
        <Table<ModelVersion>
          rowKey="id"
          size="middle"
          loading={models.isFetching}
          dataSource={models.data?.items ?? []}
          pagination={false}
          scroll={{ x: 1400 }}
          locale={{ emptyText: '还没有模型版本（服务启动时会导入随软件发布的模型）' }}
          columns={[
            {
              title: '版本',
              dataIndex: 'version',
              width: 210,
              render: (v: string, m) => (
                <Space size={4}>
                  <Typography.Link onClick={() => setDetailId(m.id)}>{v}</Typography.Link>
                  {m.active && (
                    <Tag color="green" icon={<CheckCircleOutlined />}>
                      使用中
                    </Tag>
                  )}
                </Space>
              ),
            },
            {
              title: '来源',
              dataIndex: 'source',
              width: 100,
              render: (s: ModelVersion['source'], m) => (
                <Tooltip title={m.reason || undefined}>
                  <span>{s === 'shipped' ? '随软件发布' : `${m.createdByName} 训练`}</span>
                </Tooltip>
              ),
            },
            {
              title: '训练时间',
              dataIndex: 'createdAt',
              width: 130,
              render: (v: string) => dayjs(v).format('YYYY-MM-DD HH:mm'),
            },
            {
              title: '训练数据',
              width: 150,
              render: (_, m) =>
                `语料 ${m.trainedOn.corpus} 条${m.trainedOn.corrections ? ` + 更正 ${m.trainedOn.corrections} 条` : ''}`,
            },
            {
              title: '业务条线 F1',
              width: 110,
              render: (_, m) => <Typography.Text strong>{f3(m.macroF1.line)}</Typography.Text>,
            },
            { title: '线索类型 F1', width: 100, render: (_, m) => f3(m.macroF1.kind) },
            { title: '12315 分类 F1', width: 110, render: (_, m) => f3(m.macroF1.category) },
            { title: '处置建议 F1', width: 100, render: (_, m) => f3(m.macroF1.disposal) },
            {
              title: '训练结论',
              dataIndex: 'decision',
              width: 300,
              render: (d: string, m) => (
                <Typography.Text type="secondary" ellipsis={{ tooltip: d }} style={{ maxWidth: 320 }}>
                  {d || (m.reason ? m.reason : '—')}
                </Typography.Text>
              ),
            },
            {
              title: '操作',
              width: 130,
              fixed: 'right',
              render: (_, m) => (
                <Space size={0}>
                  <Button size="small" type="link" onClick={() => setDetailId(m.id)}>
                    详情
                  </Button>
                  {canActivate && !m.active && (
                    <Popconfirm
                      title={`启用模型 ${m.version}？`}
                      description="启用后，所有节点的分拣建议和研判参考立即改用此版本。"
                      okText="启用"
                      cancelText="取消"
                      onConfirm={() => activate.mutate(m)}
                    >
                      <Button
                        size="small"
                        type="link"
                        loading={activate.isPending && activate.variables?.id === m.id}
                        aria-label={`启用 ${m.version}`}
                      >
                        启用
                      </Button>
                    </Popconfirm>
                  )}
                </Space>
              ),
            },
          ]}
        />
      </Card>
      <TrainModal
        open={training}
        onClose={() => setTraining(false)}
        onStarted={(id) => {
          setTraining(false);
          setJobId(id);
        }}
      />
      <ModelDrawer id={detailId} onClose={() => setDetailId(null)} />
    </Space>
  );
}

/** 试一试: classify a text with the active version. */
function TryCard() {
  const [text, setText] = useState('');
  const classify = useMutation({
    mutationFn: (t: string) => api.post<TriagePredictionView>('/api/analysis/classify', { text: t }),
  });
  const p = classify.data;
  return (
    <Card variant="borderless" title="试一试" size="small">
      <Space orientation="vertical" style={{ width: '100%' }}>
        <Input.TextArea
          rows={3}
          maxLength={20000}
          placeholder="粘贴一段线索内容，例如：在城东超市买的牛奶已经过期三天了，要求退款并查处"
          value={text}
          onChange={(e) => setText(e.target.value)}
          aria-label="试一试内容"
        />
        <Button
          icon={<ExperimentOutlined />}
          loading={classify.isPending}
          disabled={!text.trim()}
          onClick={() => classify.mutate(text.trim())}
        >
          分类
        </Button>
        {classify.isError && <Alert type="error" showIcon title={errorMessage(classify.error)} />}
        {p && (
          <Descriptions size="small" column={{ xs: 1, md: 2, xl: 4 }} bordered data-testid="classify-result">
            {TRIAGE_HEADS.map((h) => (
              <Descriptions.Item key={h} label={TRIAGE_HEAD_LABELS[h]}>
                <Space>
                  <span>{p[h].label}</span>
                  <Tag color={p[h].confidence >= 0.8 ? 'green' : p[h].confidence >= 0.5 ? 'gold' : 'default'}>
                    {pct(p[h].confidence)}
                  </Tag>
                </Space>
              </Descriptions.Item>
            ))}
            <Descriptions.Item label="模型版本">{p.modelVersion}</Descriptions.Item>
            <Descriptions.Item label="综合置信度（四项最低）">{pct(p.confidence)}</Descriptions.Item>
          </Descriptions>
        )}
      </Space>
    </Card>
  );
}

function TrainModal({
  open,
  onClose,
  onStarted,
}: {
  open: boolean;
  onClose: () => void;
  onStarted: (jobId: number) => void;
}) {
  const [form] = Form.useForm<{ reason: string; includeCorrections: boolean }>();
  const start = useMutation({
    mutationFn: (v: { reason: string; includeCorrections: boolean }) =>
      api.post<{ jobId: number }>('/api/analysis/models/train', v),
    onSuccess: (r) => onStarted(r.jobId),
  });
  const submit = async () => {
    const v = await form.validateFields().catch(() => null);
    if (v) start.mutate({ reason: v.reason.trim(), includeCorrections: v.includeCorrections });
  };
  return (
    <Modal
      title="训练新版本"
      open={open}
      onCancel={onClose}
      onOk={() => void submit()}
      okText="开始训练"
      cancelText="取消"
      confirmLoading={start.isPending}
      destroyOnHidden
      afterOpenChange={(o) => o && start.reset()}
    >
      <Typography.Paragraph type="secondary">
        在标注语料的训练集上训练，可加入工作人员的分拣确认和研判结论作为更正样本；训练在后台进行，通常需要几十秒。
      </Typography.Paragraph>
      {start.isError && (
        <Alert type="error" showIcon title={errorMessage(start.error)} style={{ marginBottom: 12 }} />
      )}
      <Form form={form} layout="vertical" initialValues={{ reason: '', includeCorrections: true }}>
        <Form.Item
          name="reason"
          label="训练原因"
          rules={[
            { required: true, whitespace: true, message: '请填写训练原因' },
            { min: 2, message: '至少 2 个字' },
            { max: 200, message: '最多 200 字' },
          ]}
        >
          <Input placeholder="例如：加入第四季度研判更正" maxLength={200} />
        </Form.Item>
        <Form.Item name="includeCorrections" valuePropName="checked">
          <Checkbox>加入分拣确认和研判结论中的更正</Checkbox>
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** Follows a training job until it ends, then shows whether the new version was activated and why. */
function TrainingProgress({
  jobId,
  onDone,
  onClose,
}: {
  jobId: number;
  onDone: () => void;
  onClose: () => void;
}) {
  const status = useQuery({
    queryKey: ['analysis', 'models', 'training', jobId],
    queryFn: ({ signal }) =>
      api.get<TrainingStatus>(`/api/analysis/models/training/${jobId}`, undefined, signal),
    refetchInterval: (q) => {
      const s = q.state.data?.status;
      return s === 'succeeded' || s === 'dead' ? false : 1500;
    },
  });
  const s = status.data;
  const finished = s?.status === 'succeeded' || s?.status === 'dead';
  // Refresh the version list once when the job ends (the callback changes identity on every render).
  const done = useRef(onDone);
  done.current = onDone;
  useEffect(() => {
    if (finished) done.current();
  }, [finished]);
  if (status.isError) {
    return <Alert type="error" showIcon closable onClose={onClose} title={errorMessage(status.error)} />;
  }
  if (!s || !finished) {
    return (
      <Alert
        type="info"
        showIcon
        icon={<Spin size="small" />}
        style={{ marginBottom: 12 }}
        title={`训练任务 ${jobId}：${s?.status === 'running' ? '正在训练……' : '排队等待中……'}`}
        description={
          <Progress percent={s?.status === 'running' ? 60 : 10} status="active" showInfo={false} />
        }
      />
    );
  }
  if (s.status === 'dead' || !s.result) {
    return (
      <Alert
        type="error"
        showIcon
        closable
        onClose={onClose}
        style={{ marginBottom: 12 }}
        title={`训练任务 ${jobId} 失败`}
        description={s.error ?? '未生成模型版本'}
      />
    );
  }
  return (
    <Alert
      type={s.result.activated ? 'success' : 'warning'}
      showIcon
      closable
      onClose={onClose}
      style={{ marginBottom: 12 }}
      title={`新版本 ${s.result.version} 训练完成${s.result.activated ? '，已启用' : '，未启用'}`}
      description={s.result.why}
      data-testid="training-result"
    />
  );
}

function ModelDrawer({ id, onClose }: { id: number | null; onClose: () => void }) {
  const detail = useQuery({
    queryKey: ['analysis', 'models', id],
    queryFn: ({ signal }) => api.get<ModelDetail>(`/api/analysis/models/${id}`, undefined, signal),
    enabled: id !== null,
  });
  const m = detail.data;
  return (
    <Drawer
      title={m ? `模型 ${m.version}${m.active ? '（使用中）' : ''}` : '模型详情'}
      size={980}
      open={id !== null}
      onClose={onClose}
      destroyOnHidden
    >
      <QueryError query={detail} />
      {detail.isLoading && <Spin />}
      {m && (
        <Space orientation="vertical" size={16} style={{ width: '100%' }}>
          <Descriptions size="small" column={2} bordered>
            <Descriptions.Item label="来源">
              {m.source === 'shipped' ? '随软件发布' : `${m.createdByName} 训练`}
            </Descriptions.Item>
            <Descriptions.Item label="训练时间">
              {dayjs(m.createdAt).format('YYYY-MM-DD HH:mm')}
            </Descriptions.Item>
            <Descriptions.Item label="训练数据">
              语料 {m.trainedOn.corpus} 条，更正 {m.trainedOn.corrections} 条
            </Descriptions.Item>
            <Descriptions.Item label="留出集">{m.figures.testSize ?? '—'} 条</Descriptions.Item>
            <Descriptions.Item label="训练原因">{m.reason || '—'}</Descriptions.Item>
            <Descriptions.Item label="模型大小">{(m.bytes / 1024).toFixed(0)} KB</Descriptions.Item>
            <Descriptions.Item label="训练结论" span={2}>
              {m.decision || '—'}
            </Descriptions.Item>
            {m.activatedAt && (
              <Descriptions.Item label="启用" span={2}>
                {dayjs(m.activatedAt).format('YYYY-MM-DD HH:mm')} {m.activatedByName}
              </Descriptions.Item>
            )}
          </Descriptions>
          <Tabs
            items={TRIAGE_HEADS.map((h) => ({
              key: h,
              label: `${TRIAGE_HEAD_LABELS[h]}（F1 ${f3(m.figures.heads[h].macroF1)}）`,
              children: <HeadFigures head={h} figures={m.figures.heads[h]} />,
            }))}
          />
        </Space>
      )}
    </Drawer>
  );
}

function HeadFigures({ head, figures }: { head: TriageHead; figures: HeadFiguresView }) {
  const label = (v: string) => triageValueLabel(head, v);
  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Space size={24} wrap>
        <span>准确率 {pct(figures.accuracy)}</span>
        <span>宏平均 F1 {f3(figures.macroF1)}</span>
        {figures.ece !== undefined && (
          <Tooltip title="期望校准误差：置信度与实际正确率的平均差距，越小说明置信度越可信">
            <span>ECE {f3(figures.ece)}</span>
          </Tooltip>
        )}
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
          {
            title: 'F1',
            dataIndex: 'f1',
            width: 90,
            render: (v: number) => (
              <Typography.Text type={v < 0.7 ? 'danger' : undefined}>{f3(v)}</Typography.Text>
            ),
          },
          { title: '样本数', dataIndex: 'support', width: 80 },
        ]}
      />
      <Typography.Title level={5} style={{ margin: 0 }}>
        混淆矩阵（行：实际，列：预测）
      </Typography.Title>
      <ConfusionMatrix
        labels={figures.confusion.labels.map(label)}
        matrix={figures.confusion.matrix}
        rowName="实际"
        columnName="预测"
      />
    </Space>
  );
}
