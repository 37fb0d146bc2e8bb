import { DeleteOutlined, EditOutlined, PlusOutlined } from '@ant-design/icons';
import type { RefusalGround, RefusalGroundInput } from '@rongjian/shared/api';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  DatePicker,
  Form,
  Input,
  InputNumber,
  Modal,
  Popconfirm,
  Space,
  Switch,
  Table,
  Tag,
  Typography,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { api, errorMessage } from '../../shared/api/client.ts';
import { useCurrentUser } from '../../shared/auth/api.ts';
import { can } from '../../shared/auth/permissions.ts';
import { QueryError } from '../../shared/ui/QueryError.tsx';

const KEY = ['clues', 'refusal-grounds', 'all'] as const;
const DAY = 'YYYY-MM-DD';

interface GroundForm {
  code: string;
  regulation: string;
  article: string;
  label: string;
  note: string;
  period: [Dayjs, Dayjs | null];
  sort: number;
  enabled: boolean;
}

/** Whether the ground applies on `day` (YYYY-MM-DD). */
const inForce = (g: RefusalGround, day: string) =>
  g.effectiveFrom <= day && (g.effectiveTo === null || g.effectiveTo >= day);

/**
 * 线索归集 › 不予受理理由: the legal grounds for refusing a complaint, each with the regulation and article and the
 * period it applies to. A refusal must cite a ground in force on the clue's receipt day.
 */
export default function RefusalGroundsPage() {
  const user = useCurrentUser();
  const qc = useQueryClient();
  const { message } = App.useApp();
  const [form] = Form.useForm<GroundForm>();
  const [editing, setEditing] = useState<RefusalGround | 'new' | null>(null);
  const grounds = useQuery({
    queryKey: KEY,
    queryFn: () =>
      api.get<{ items: RefusalGround[] }>('/api/clues/refusal-grounds', { includeDisabled: 'true' }),
  });
  const done = (text: string) => {
    void qc.invalidateQueries({ queryKey: ['clues', 'refusal-grounds'] });
    void message.success(text);
  };
  const save = useMutation({
    mutationFn: (v: GroundForm) => {
      const body: RefusalGroundInput = {
        code: v.code.trim(),
        regulation: v.regulation.trim(),
        article: v.article.trim(),
        label: v.label.trim(),
        note: (v.note ?? '').trim(),
        effectiveFrom: v.period[0].format(DAY),
        effectiveTo: v.period[1] ? v.period[1].format(DAY) : null,
        sort: v.sort,
        enabled: v.enabled,
      };
      if (editing && editing !== 'new') {
        const { code: _code, ...patch } = body;
        return api.patch<RefusalGround>(`/api/clues/refusal-grounds/${editing.id}`, patch);
      }
      return api.post<RefusalGround>('/api/clues/refusal-grounds', body);
    },
    onSuccess: (g) => {
      setEditing(null);
      done(`已保存理由 ${g.code}`);
    },
  });
  const toggle = useMutation({
    mutationFn: (g: RefusalGround) =>
      api.patch<RefusalGround>(`/api/clues/refusal-grounds/${g.id}`, { enabled: !g.enabled }),
    onSuccess: (g) => done(`已${g.enabled ? '启用' : '停用'}理由 ${g.code}`),
    onError: (e) => void message.error(errorMessage(e)),
  });
  const remove = useMutation({
    mutationFn: (g: RefusalGround) => api.delete<RefusalGround>(`/api/clues/refusal-grounds/${g.id}`),
    onSuccess: (g) => done(`已删除理由 ${g.code}`),
    onError: (e) => void message.error(errorMessage(e)),
  });
  const canCreate = can(user, 'clue:refusal-ground:create');
  const canUpdate = can(user, 'clue:refusal-ground:update');
  const canDelete = can(user, 'clue:refusal-ground:delete');
  const today = dayjs().format(DAY);

  // Values reach the form through `initialValues` when the modal mounts it (destroyOnHidden): values set on the
  // instance before it mounts are lost in part.
  const formValues = (g: RefusalGround | 'new') =>
    g === 'new'
      ? {
          code: '',
          regulation: '',
          article: '',
          label: '',
          note: '',
          period: [dayjs(), null],
          sort: 100,
          enabled: true,
        }
      : {
          code: g.code,
          regulation: g.regulation,
          article: g.article,
          label: g.label,
          note: g.note,
          period: [dayjs(g.effectiveFrom), g.effectiveTo ? dayjs(g.effectiveTo) : null],
          sort: g.sort,
          enabled: g.enabled,
        };
  const open = (g: RefusalGround | 'new') => {
    save.reset();
    setEditing(g);
  };
  const submit = async () => {
    const v = await form.validateFields().catch(() => null);
    if (v) save.mutate(v);
  };

  return (
    <Card
      variant="borderless"
      title="不予受理理由"
      extra={
        canCreate && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => open('new')}>
            新增理由
          </Button>
        )
      }
    >
      <Typography.Paragraph type="secondary">
        只有投诉可以“不予受理”。作出决定时只能选择线索<strong>收到当日</strong>有效的理由：2026 年 4 月 15
        日前收到的适用《市场监督管理投诉举报处理暂行办法》（第20号令）第十五条，
        此后收到的适用《市场监督管理投诉举报处理办法》（第121号令）第十六条。“说明”列标注了尚待与正式文本核对的条文。
      </Typography.Paragraph>
      <QueryError query={grounds} />
      <Table<RefusalGround>
        rowKey="id"
        size="middle"
        loading={grounds.isFetching}
        dataSource={grounds.data?.items ?? []}
        pagination={false}
        locale={{ emptyText: '还没有不予受理理由' }}
        columns={[
          {
            title: '依据',
            width: 280,
            render: (_, g) => (
              <Space orientation="vertical" size={0}>
                <Typography.Text>{g.regulation}</Typography.Text>
                <Typography.Text type="secondary">
                  {g.article} · <Typography.Text code>{g.code}</Typography.Text>
                </Typography.Text>
              </Space>
            ),
          },
          { title: '理由', dataIndex: 'label' },
          {
            title: '适用期间',
            width: 200,
            render: (_, g) => (
              <Space orientation="vertical" size={0}>
                <span>
                  {g.effectiveFrom} 至 {g.effectiveTo ?? '今'}
                </span>
                {inForce(g, today) ? (
                  <Tag color="green">现行</Tag>
                ) : (
                  <Tag>{g.effectiveFrom > today ? '未施行' : '已失效'}</Tag>
                )}
              </Space>
            ),
          },
          {
            title: '说明',
            dataIndex: 'note',
            width: 220,
            render: (note: string) => (note ? <Typography.Text type="warning">{note}</Typography.Text> : '—'),
          },
          {
            title: '启用',
            dataIndex: 'enabled',
            width: 80,
            render: (enabled: boolean, g) =>
              canUpdate ? (
                <Switch
                  size="small"
                  checked={enabled}
                  loading={toggle.isPending && toggle.variables?.id === g.id}
                  onChange={() => toggle.mutate(g)}
                  aria-label={`${g.code} 启用状态`}
                />
              ) : (
                <Tag color={enabled ? 'green' : 'default'}>{enabled ? '启用' : '停用'}</Tag>
              ),
          },
          {
            title: '操作',
            width: 110,
            render: (_, g) => (
              <Space>
                {canUpdate && (
                  <Button
                    size="small"
                    type="link"
                    icon={<EditOutlined />}
                    onClick={() => open(g)}
                    aria-label={`编辑 ${g.code}`}
                  />
                )}
                {canDelete && (
                  <Popconfirm
                    title={`删除理由 ${g.code}？已被引用的理由只能停用。`}
                    onConfirm={() => remove.mutate(g)}
                    okText="删除"
                    cancelText="取消"
                  >
                    <Button
                      size="small"
                      type="link"
                      danger
                      icon={<DeleteOutlined />}
                      aria-label={`删除 ${g.code}`}
                    />
                  </Popconfirm>
                )}
              </Space>
            ),
          },
        ]}
      />
      <Modal
        title={editing === 'new' ? '新增不予受理理由' : `编辑不予受理理由：${editing?.code ?? ''}`}
        open={editing !== null}
        onCancel={() => setEditing(null)}
        onOk={() => void submit()}
        okText="保存"
        cancelText="取消"
        confirmLoading={save.isPending}
        width={620}
        destroyOnHidden
      >
        {save.error && (
          <Alert type="error" showIcon title={errorMessage(save.error)} style={{ marginBottom: 16 }} />
        )}
        <Form
          form={form}
          layout="vertical"
          preserve={false}
          initialValues={editing ? formValues(editing) : undefined}
        >
          <Form.Item
            name="code"
            label="编码"
            rules={[
              {
                required: true,
                pattern: /^[a-z0-9_.-]{2,60}$/,
                message: '2-60 位小写字母、数字、下划线、点或连字符',
              },
            ]}
          >
            <Input disabled={editing !== 'new'} placeholder="如 o121.out_of_duty" />
          </Form.Item>
          <Form.Item
            name="regulation"
            label="依据规章"
            rules={[{ required: true, whitespace: true, message: '请填写依据规章' }]}
          >
            <Input />
          </Form.Item>
          <Form.Item
            name="article"
            label="条款"
            rules={[{ required: true, whitespace: true, message: '请填写条款' }]}
          >
            <Input placeholder="如 第十六条第（一）项" />
          </Form.Item>
          <Form.Item
            name="label"
            label="理由"
            rules={[{ required: true, whitespace: true, message: '请填写理由' }]}
          >
            <Input.TextArea autoSize={{ minRows: 2, maxRows: 5 }} maxLength={300} />
          </Form.Item>
          <Form.Item
            name="period"
            label="适用期间（收到日期）"
            rules={[{ required: true, message: '请选择生效日期' }]}
          >
            <DatePicker.RangePicker allowEmpty={[false, true]} placeholder={['生效日期', '长期有效']} />
          </Form.Item>
          <Space>
            <Form.Item name="sort" label="排序">
              <InputNumber min={0} max={10000} />
            </Form.Item>
            <Form.Item name="enabled" label="启用" valuePropName="checked">
              <Switch />
            </Form.Item>
          </Space>
          <Form.Item name="note" label="说明">
            <Input.TextArea autoSize={{ minRows: 1, maxRows: 3 }} maxLength={500} />
          </Form.Item>
        </Form>
      </Modal>
    </Card>
  );
}
