import { InboxOutlined } from '@ant-design/icons';
import {
  CLUE_KIND_LABELS,
  REPLY_TEMPLATE_LABELS,
  type ReplyTemplate,
  type SmsOutboxItem,
  WORK_ORDER_FIELDS,
  type WorkOrderImportResult,
  type WorkOrderRun,
  type WorkOrderSource,
  type WorkOrderSourceUpdate,
} from '@rongjian/shared/api';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Form,
  Input,
  Modal,
  Segmented,
  Select,
  Space,
  Switch,
  Table,
  Tabs,
  Tag,
  Typography,
  Upload,
} from 'antd';
import { useState } from 'react';
import { Link } from 'react-router';
import { ApiError, api, errorMessage } from '../../shared/api/client.ts';
import { useCurrentUser } from '../../shared/auth/api.ts';
import { can } from '../../shared/auth/permissions.ts';
import { downloadFile } from '../system/users/api.ts';

// Server contract: `@rongjian/shared/api` (workorders.ts), `/api/workorders*`.
const MAX_BYTES = 20 * 1024 * 1024;
const keys = {
  all: ['workorders'] as const,
  sources: ['workorders', 'sources'] as const,
  runs: ['workorders', 'runs'] as const,
  outbox: ['workorders', 'outbox'] as const,
};
const time = (iso: string | null) =>
  iso ? new Date(iso).toLocaleString('sv-SE', { timeZone: 'Asia/Shanghai' }).slice(0, 16) : '—';
const KIND_OPTIONS = Object.entries(CLUE_KIND_LABELS).map(([value, label]) => ({ value, label }));

function useSources() {
  return useQuery({
    queryKey: keys.sources,
    queryFn: ({ signal }) => api.get<WorkOrderSource[]>('/api/workorders/sources', undefined, signal),
  });
}

/** Multipart upload: the JSON client cannot send a file, so this call builds its own request (same CSRF rule). */
function useImport(csrfToken: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async ({ code, file }: { code: string; file: File }) => {
      const body = new FormData();
      body.append('file', file);
      const res = await fetch(`/api/workorders/${code}/import`, {
        method: 'POST',
        headers: { 'x-csrf-token': csrfToken, accept: 'application/json' },
        credentials: 'same-origin',
        body,
      }).catch(() => {
        throw new ApiError(0, 'NETWORK_ERROR', '无法连接服务器，请检查网络后重试');
      });
      const data = (await res.json().catch(() => ({}))) as WorkOrderImportResult & {
        code?: string;
        message?: string;
      };
      if (!res.ok)
        throw new ApiError(res.status, data.code ?? `HTTP_${res.status}`, data.message ?? '导入失败');
      return data;
    },
    onSuccess: () => void qc.invalidateQueries({ queryKey: keys.all }),
  });
}

function SourceModal({ source, onClose }: { source: WorkOrderSource | null; onClose: () => void }) {
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [form] = Form.useForm();
  const save = useMutation({
    mutationFn: (body: WorkOrderSourceUpdate) =>
      api.put<WorkOrderSource>(`/api/workorders/sources/${source!.code}`, body),
    onSuccess: () => void qc.invalidateQueries({ queryKey: keys.sources }),
  });
  const submit = async () => {
    const v = await form.validateFields();
    const valueMapping: Record<string, string> = {};
    for (const row of (v.valueMapping ?? []) as { label?: string; kind?: string }[]) {
      if (row?.label && row.kind) valueMapping[row.label.trim()] = row.kind;
    }
    const fieldMapping: Record<string, string> = {};
    for (const f of WORK_ORDER_FIELDS)
      if (v.fieldMapping?.[f.key]?.trim()) fieldMapping[f.key] = v.fieldMapping[f.key].trim();
    try {
      await save.mutateAsync({
        fieldMapping,
        valueMapping: valueMapping as WorkOrderSourceUpdate['valueMapping'],
        outboundUrl: v.outboundUrl?.trim() || null,
        outboundEnabled: !!v.outboundEnabled,
        ...(v.secret ? { secret: v.secret } : {}),
      });
      message.success('已保存');
      onClose();
    } catch (err) {
      message.error(errorMessage(err));
    }
  };
  return (
    <Modal
      title={`对接配置 — ${source?.name ?? ''}`}
      open={source !== null}
      onCancel={onClose}
      onOk={() => void submit()}
      okText="保存"
      confirmLoading={save.isPending}
      width={720}
      destroyOnHidden
    >
      {source && (
        <Form
          form={form}
          layout="horizontal"
          labelCol={{ span: 6 }}
          preserve={false}
          initialValues={{
            fieldMapping: source.fieldMapping,
            valueMapping: Object.entries(source.valueMapping).map(([label, kind]) => ({ label, kind })),
            outboundUrl: source.outboundUrl ?? '',
            outboundEnabled: source.outboundEnabled,
          }}
        >
          <Typography.Title level={5}>字段映射（本平台字段 → 对方导出文件的列名）</Typography.Title>
          {WORK_ORDER_FIELDS.map((f) => (
            <Form.Item
              key={f.key}
              name={['fieldMapping', f.key]}
              label={f.label}
              rules={f.required ? [{ required: true, message: `请填写“${f.label}”对应的列名` }] : []}
            >
              <Input maxLength={100} placeholder={f.required ? '必填' : '可不填'} />
            </Form.Item>
          ))}
          <Typography.Title level={5}>诉求类型映射</Typography.Title>
          <Form.List name="valueMapping">
            {(fields, { add, remove }) => (
              <>
                {fields.map((field) => (
                  <Space key={field.key} align="baseline" style={{ display: 'flex' }}>
                    <Form.Item
                      name={[field.name, 'label']}
                      rules={[{ required: true, message: '请填写对方的类型名称' }]}
                    >
                      <Input placeholder="对方的类型，如“投诉”" style={{ width: 220 }} />
                    </Form.Item>
                    <Form.Item name={[field.name, 'kind']} rules={[{ required: true, message: '请选择' }]}>
                      <Select options={KIND_OPTIONS} style={{ width: 140 }} placeholder="线索类型" />
                    </Form.Item>
                    <Button type="link" danger onClick={() => remove(field.name)}>
                      删除
                    </Button>
                  </Space>
                ))}
                <Button onClick={() => add()}>添加一行</Button>
              </>
            )}
          </Form.List>
          <Typography.Title level={5} style={{ marginTop: 16 }}>
            推送与回推
          </Typography.Title>
          <Form.Item
            name="secret"
            label="签名密钥"
            extra={source.hasSecret ? '已设置（不显示）；留空则不修改' : '未设置：对方推送将被拒绝'}
            rules={[{ min: 16, message: '至少 16 个字符' }]}
          >
            <Input.Password autoComplete="new-password" placeholder="HMAC-SM3 密钥，与对方平台约定" />
          </Form.Item>
          <Form.Item name="outboundUrl" label="结果回推地址">
            <Input placeholder="https://…" maxLength={500} />
          </Form.Item>
          <Form.Item name="outboundEnabled" label="启用结果回推" valuePropName="checked">
            <Switch />
          </Form.Item>
        </Form>
      )}
    </Modal>
  );
}

function SourcesTab({ canConfigure }: { canConfigure: boolean }) {
  const sources = useSources();
  const [editing, setEditing] = useState<WorkOrderSource | null>(null);
  return (
    <>
      <Table<WorkOrderSource>
        rowKey="code"
        loading={sources.isLoading}
        dataSource={sources.data ?? []}
        pagination={false}
        columns={[
          { title: '来源', dataIndex: 'code', width: 90 },
          { title: '名称', dataIndex: 'name' },
          {
            title: '字段映射',
            render: (_, s) => (
              <Typography.Text type="secondary">
                {WORK_ORDER_FIELDS.filter((f) => s.fieldMapping[f.key])
                  .slice(0, 5)
                  .map((f) => `${f.label}←${s.fieldMapping[f.key]}`)
                  .join('，')}
                …
              </Typography.Text>
            ),
          },
          {
            title: '推送签名',
            width: 100,
            render: (_, s) => (s.hasSecret ? <Tag color="green">已配置</Tag> : <Tag>未配置</Tag>),
          },
          {
            title: '结果回推',
            width: 100,
            render: (_, s) => (s.outboundEnabled ? <Tag color="blue">已启用</Tag> : <Tag>未启用</Tag>),
          },
          {
            title: '操作',
            width: 100,
            render: (_, s) =>
              canConfigure ? (
                <Button type="link" onClick={() => setEditing(s)}>
                  配置
                </Button>
              ) : null,
          },
        ]}
      />
      <SourceModal source={editing} onClose={() => setEditing(null)} />
    </>
  );
}

function ImportTab() {
  const user = useCurrentUser();
  const { message } = App.useApp();
  const run = useImport(user.csrfToken);
  const [code, setCode] = useState<'12315' | '12345'>('12315');
  const [file, setFile] = useState<File | null>(null);
  const [result, setResult] = useState<WorkOrderImportResult | null>(null);
  const start = async () => {
    if (!file) return;
    try {
      setResult(await run.mutateAsync({ code, file }));
    } catch (err) {
      message.error(errorMessage(err));
    }
  };
  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle">
      <Space>
        <span>工单来源</span>
        <Segmented
          options={[
            { value: '12315', label: '12315' },
            { value: '12345', label: '12345' },
          ]}
          value={code}
          onChange={(v) => setCode(v as '12315' | '12345')}
        />
      </Space>
      <Upload.Dragger
        accept=".csv,.xlsx"
        maxCount={1}
        beforeUpload={(f) => {
          if (f.size > MAX_BYTES) {
            message.error('文件超过 20 MB，请拆分后分批导入');
            return Upload.LIST_IGNORE;
          }
          setFile(f);
          setResult(null);
          return false;
        }}
        onRemove={() => setFile(null)}
      >
        <p className="ant-upload-drag-icon">
          <InboxOutlined />
        </p>
        <p className="ant-upload-text">点击或拖拽工单导出文件到此处</p>
        <p className="ant-upload-hint">
          XLSX 或 CSV（UTF-8/GBK 自动识别），不超过 20 MB；同一工单编号只登记一次
        </p>
      </Upload.Dragger>
      <Button type="primary" disabled={!file} loading={run.isPending} onClick={() => void start()}>
        开始导入
      </Button>
      {result && (
        <>
          <Alert
            showIcon
            type={result.rejected > 0 ? 'warning' : 'success'}
            title="导入完成"
            description={`读入 ${result.rowsIn} 行：新建线索 ${result.created}，已存在 ${result.existing}，拒绝 ${result.rejected}，提示 ${result.warnings}`}
            action={
              result.errors.length > 0 ? (
                <Button
                  size="small"
                  onClick={() =>
                    void downloadFile(`/api/workorders/runs/${result.id}/errors.xlsx`).catch((e) =>
                      message.error(errorMessage(e)),
                    )
                  }
                >
                  下载问题明细
                </Button>
              ) : undefined
            }
          />
          {result.errors.length > 0 && (
            <Table
              size="small"
              rowKey={(e) => `${e.rowNo}-${e.field}-${e.reason}`}
              dataSource={result.errors}
              pagination={{ pageSize: 10 }}
              columns={[
                { title: '行号', dataIndex: 'rowNo', width: 70 },
                { title: '工单编号', dataIndex: 'orderNo', width: 180, render: (v) => v ?? '—' },
                {
                  title: '级别',
                  dataIndex: 'level',
                  width: 70,
                  render: (v) => (v === 'error' ? <Tag color="red">拒绝</Tag> : <Tag color="gold">提示</Tag>),
                },
                { title: '原因', dataIndex: 'reason' },
              ]}
            />
          )}
        </>
      )}
    </Space>
  );
}

function RunsTab() {
  const { message } = App.useApp();
  const runs = useQuery({
    queryKey: keys.runs,
    queryFn: ({ signal }) =>
      api.get<{ items: WorkOrderRun[]; nextAfter: number | null }>(
        '/api/workorders/runs',
        { limit: 100 },
        signal,
      ),
  });
  return (
    <Table<WorkOrderRun>
      rowKey="id"
      loading={runs.isLoading}
      dataSource={runs.data?.items ?? []}
      columns={[
        { title: '批次', dataIndex: 'id', width: 70 },
        { title: '来源', dataIndex: 'source', width: 80 },
        { title: '文件', dataIndex: 'fileName' },
        { title: '读入', dataIndex: 'rowsIn', width: 70 },
        { title: '新建', dataIndex: 'created', width: 70 },
        { title: '已存在', dataIndex: 'existing', width: 80 },
        { title: '拒绝', dataIndex: 'rejected', width: 70 },
        { title: '导入人', dataIndex: 'actorName', width: 100 },
        { title: '时间', dataIndex: 'startedAt', width: 150, render: time },
        {
          title: '问题明细',
          width: 100,
          render: (_, r) =>
            r.rejected + r.warnings + r.existing > 0 ? (
              <Button
                type="link"
                onClick={() =>
                  void downloadFile(`/api/workorders/runs/${r.id}/errors.xlsx`).catch((e) =>
                    message.error(errorMessage(e)),
                  )
                }
              >
                下载
              </Button>
            ) : (
              '—'
            ),
        },
      ]}
    />
  );
}

/** The SMS gateway key: write-only (stored encrypted); the page only learns whether one is set. */
function SmsKeyForm() {
  const qc = useQueryClient();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ key: string }>();
  const state = useQuery({
    queryKey: [...keys.outbox, 'sms-key'],
    queryFn: ({ signal }) => api.get<{ hasKey: boolean }>('/api/workorders/sms-key', undefined, signal),
  });
  const save = useMutation({
    mutationFn: (key: string | null) => api.put<{ hasKey: boolean }>('/api/workorders/sms-key', { key }),
    onSuccess: (r) => {
      form.resetFields();
      void qc.invalidateQueries({ queryKey: [...keys.outbox, 'sms-key'] });
      void message.success(r.hasKey ? '短信网关密钥已保存' : '短信网关密钥已清除');
    },
    onError: (e) => void message.error(errorMessage(e)),
  });
  return (
    <Form
      form={form}
      layout="inline"
      style={{ marginBottom: 16 }}
      onFinish={(v) => save.mutate(v.key)}
      data-testid="sms-key-form"
    >
      <Form.Item label="短信网关密钥">
        {state.data?.hasKey ? <Tag color="green">已设置</Tag> : <Tag>未设置（使用模拟网关）</Tag>}
      </Form.Item>
      <Form.Item
        name="key"
        rules={[
          { required: true, message: '请输入密钥' },
          { min: 8, message: '密钥至少 8 个字符' },
        ]}
      >
        <Input.Password
          placeholder="新密钥（加密保存，不会显示）"
          autoComplete="new-password"
          style={{ width: 280 }}
        />
      </Form.Item>
      <Form.Item>
        <Space>
          <Button type="primary" htmlType="submit" loading={save.isPending && save.variables !== null}>
            保存
          </Button>
          {state.data?.hasKey && (
            <Button
              danger
              loading={save.isPending && save.variables === null}
              onClick={() => save.mutate(null)}
            >
              清除
            </Button>
          )}
        </Space>
      </Form.Item>
    </Form>
  );
}

function OutboxTab({ canConfigure }: { canConfigure: boolean }) {
  const outbox = useQuery({
    queryKey: keys.outbox,
    queryFn: ({ signal }) =>
      api.get<{ items: SmsOutboxItem[]; nextAfter: number | null }>(
        '/api/workorders/sms-outbox',
        { limit: 100 },
        signal,
      ),
  });
  return (
    <>
      {canConfigure && <SmsKeyForm />}
      <Table<SmsOutboxItem>
        rowKey="id"
        loading={outbox.isLoading}
        dataSource={outbox.data?.items ?? []}
        columns={[
          { title: '时间', dataIndex: 'createdAt', width: 150, render: time },
          {
            title: '线索',
            dataIndex: 'clueNumber',
            width: 190,
            render: (v, r) => (r.clueId ? <Link to={`/clues/${r.clueId}`}>{v}</Link> : '—'),
          },
          { title: '号码', dataIndex: 'phoneMasked', width: 130 },
          {
            title: '模板',
            dataIndex: 'template',
            width: 120,
            render: (v: string) => REPLY_TEMPLATE_LABELS[v as ReplyTemplate] ?? v,
          },
          { title: '内容', dataIndex: 'text' },
          {
            title: '状态',
            dataIndex: 'status',
            width: 120,
            render: (v, r) =>
              v === 'sent' ? (
                <Tag color="green">{r.gateway === 'fake' ? '已记录（未实发）' : '已发送'}</Tag>
              ) : (
                <Tag color="red" title={r.error ?? ''}>
                  发送失败
                </Tag>
              ),
          },
          { title: '操作人', dataIndex: 'actorName', width: 100 },
        ]}
      />
    </>
  );
}

/** 工单对接: 12315/12345 sources and mappings, file import, import runs, and the SMS outbox of replies. */
export default function WorkOrdersPage() {
  const user = useCurrentUser();
  const canImport = can(user, 'clue:workorder:import');
  const canConfigure = can(user, 'clue:workorder:configure');
  return (
    <Card title="工单对接（12315 / 12345）">
      <Tabs
        items={[
          ...(canImport ? [{ key: 'import', label: '导入工单', children: <ImportTab /> }] : []),
          { key: 'runs', label: '导入批次', children: <RunsTab /> },
          { key: 'sources', label: '对接配置', children: <SourcesTab canConfigure={canConfigure} /> },
          { key: 'outbox', label: '短信发件箱', children: <OutboxTab canConfigure={canConfigure} /> },
        ]}
      />
    </Card>
  );
}
