import { DeleteOutlined, EditOutlined, ExperimentOutlined, PlusOutlined } from '@ant-design/icons';
import {
  CLUE_CHANNEL_LABELS,
  CLUE_KIND_LABELS,
  type ClueChannel,
  type ClueKind,
  SORT_ROUTE_LABELS,
  type SortRoute,
  type SortRule,
  type SortRuleInput,
  type SortSuggestion,
} from '@rongjian/shared/api';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Descriptions,
  Form,
  Input,
  InputNumber,
  Modal,
  Popconfirm,
  Select,
  Space,
  Switch,
  Table,
  Tag,
  Typography,
} from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { api, errorMessage } from '../../shared/api/client.ts';
import { useDict } from '../../shared/api/dicts.ts';
import { useCurrentUser } from '../../shared/auth/api.ts';
import { can } from '../../shared/auth/permissions.ts';
import { QueryError } from '../../shared/ui/QueryError.tsx';

const KEY = ['clues', 'sort-rules'] as const;

const kindOptions = (Object.keys(CLUE_KIND_LABELS) as ClueKind[]).map((v) => ({
  value: v,
  label: CLUE_KIND_LABELS[v],
}));
const routeOptions = (Object.keys(SORT_ROUTE_LABELS) as SortRoute[]).map((v) => ({
  value: v,
  label: SORT_ROUTE_LABELS[v],
}));
const channelOptions = (Object.keys(CLUE_CHANNEL_LABELS) as ClueChannel[]).map((v) => ({
  value: v,
  label: CLUE_CHANNEL_LABELS[v],
}));

interface RuleForm {
  name: string;
  priority: number;
  enabled: boolean;
  keywordsAny: string[];
  keywordsAll: string[];
  fields: ('title' | 'content')[];
  channels: ClueChannel[];
  kinds: ClueKind[];
  kind?: ClueKind;
  businessLine?: string;
  category12315?: string;
  route?: SortRoute;
}

const toForm = (r?: SortRule): RuleForm => ({
  name: r?.name ?? '',
  priority: r?.priority ?? 100,
  enabled: r?.enabled ?? true,
  keywordsAny: r?.match.keywordsAny ?? [],
  keywordsAll: r?.match.keywordsAll ?? [],
  fields: r?.match.fields ?? ['title', 'content'],
  channels: (r?.match.channels ?? []) as ClueChannel[],
  kinds: r?.match.kinds ?? [],
  ...(r?.suggest.kind ? { kind: r.suggest.kind } : {}),
  ...(r?.suggest.businessLine ? { businessLine: r.suggest.businessLine } : {}),
  ...(r?.suggest.category12315 ? { category12315: r.suggest.category12315 } : {}),
  ...(r?.suggest.route ? { route: r.suggest.route } : {}),
});

const fromForm = (v: RuleForm, departmentId?: number): SortRuleInput => ({
  name: v.name.trim(),
  priority: v.priority,
  enabled: v.enabled,
  match: {
    keywordsAny: v.keywordsAny.map((k) => k.trim()).filter(Boolean),
    keywordsAll: v.keywordsAll.map((k) => k.trim()).filter(Boolean),
    fields: v.fields,
    channels: v.channels,
    kinds: v.kinds,
  },
  suggest: {
    ...(v.kind ? { kind: v.kind } : {}),
    ...(v.businessLine ? { businessLine: v.businessLine } : {}),
    ...(v.category12315 ? { category12315: v.category12315 } : {}),
    ...(v.route ? { route: v.route } : {}),
    ...(departmentId ? { departmentId } : {}),
  },
});

/** 线索归集 › 分拣规则: keyword rules that suggest kind, business line, 12315 category and route at intake. */
export default function SortRulesPage() {
  const user = useCurrentUser();
  const qc = useQueryClient();
  const { message } = App.useApp();
  const lines = useDict('business_line');
  const categories = useDict('category_12315');
  const [form] = Form.useForm<RuleForm>();
  const [editing, setEditing] = useState<SortRule | 'new' | null>(null);
  const [probe, setProbe] = useState('');
  const [probeResult, setProbeResult] = useState<SortSuggestion | null | undefined>(undefined);
  const rules = useQuery({
    queryKey: KEY,
    queryFn: () => api.get<{ items: SortRule[] }>('/api/clues/sort-rules'),
  });
  const done = (text: string) => {
    void qc.invalidateQueries({ queryKey: KEY });
    void message.success(text);
  };
  const save = useMutation({
    mutationFn: (v: RuleForm) => {
      const current = editing === 'new' ? undefined : (editing ?? undefined);
      const body = fromForm(v, current?.suggest.departmentId);
      return current
        ? api.patch<SortRule>(`/api/clues/sort-rules/${current.id}`, { ...body, version: current.version })
        : api.post<SortRule>('/api/clues/sort-rules', body);
    },
    onSuccess: (r) => {
      setEditing(null);
      done(`已保存规则“${r.name}”`);
    },
  });
  const toggle = useMutation({
    mutationFn: (r: SortRule) =>
      api.patch<SortRule>(`/api/clues/sort-rules/${r.id}`, { enabled: !r.enabled, version: r.version }),
    onSuccess: (r) => done(`已${r.enabled ? '启用' : '停用'}规则“${r.name}”`),
    onError: (e) => void message.error(errorMessage(e)),
  });
  const remove = useMutation({
    mutationFn: (r: SortRule) => api.delete<SortRule>(`/api/clues/sort-rules/${r.id}`),
    onSuccess: (r) => done(`已删除规则“${r.name}”`),
    onError: (e) => void message.error(errorMessage(e)),
  });
  const test = useMutation({
    mutationFn: (content: string) =>
      api.post<SortSuggestion | null>('/api/clues/sort-rules/test', { content }),
    onSuccess: (s) => setProbeResult(s),
    onError: (e) => void message.error(errorMessage(e)),
  });
  const canCreate = can(user, 'clue:sort-rule:create');
  const canUpdate = can(user, 'clue:sort-rule:update');
  const canDelete = can(user, 'clue:sort-rule:delete');

  const open = (r: SortRule | 'new') => {
    // The form mounts with the modal (destroyOnHidden) and takes its values from `initialValues`: values set on
    // the instance before it mounts are lost in part.
    save.reset();
    setEditing(r);
  };
  const submit = async () => {
    const v = await form.validateFields().catch(() => null);
    if (v) save.mutate(v);
  };

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Card variant="borderless" title="试算" size="small">
        <Space.Compact style={{ width: '100%' }}>
          <Input
            placeholder="输入一段线索内容，看规则会给出什么建议，例如：小区电梯经常困人"
            value={probe}
            onChange={(e) => setProbe(e.target.value)}
            onPressEnter={() => probe.trim() && test.mutate(probe.trim())}
            aria-label="试算内容"
          />
          <Button
            icon={<ExperimentOutlined />}
            loading={test.isPending}
            disabled={!probe.trim()}
            onClick={() => test.mutate(probe.trim())}
          >
            试算
          </Button>
        </Space.Compact>
        {probeResult === null && (
          <Alert style={{ marginTop: 12 }} type="info" showIcon title="没有规则命中，分拣时由人工判断。" />
        )}
        {probeResult && (
          <Descriptions size="small" column={3} style={{ marginTop: 12 }} data-testid="sort-probe-result">
            <Descriptions.Item label="类型">
              {probeResult.kind ? CLUE_KIND_LABELS[probeResult.kind] : '—'}
            </Descriptions.Item>
            <Descriptions.Item label="业务条线">{probeResult.businessLine ?? '—'}</Descriptions.Item>
            <Descriptions.Item label="12315 分类">
              {probeResult.category12315 ? categories.label(probeResult.category12315) : '—'}
            </Descriptions.Item>
            <Descriptions.Item label="建议去向">
              {probeResult.route ? SORT_ROUTE_LABELS[probeResult.route] : '—'}
            </Descriptions.Item>
            <Descriptions.Item label="命中规则">{probeResult.ruleNames.join('、')}</Descriptions.Item>
            <Descriptions.Item label="关键词 / 置信度">
              {probeResult.matched.join('、')}（{Math.round(probeResult.confidence * 100)}%）
            </Descriptions.Item>
          </Descriptions>
        )}
      </Card>
      <Card
        variant="borderless"
        title="分拣规则"
        extra={
          canCreate && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => open('new')}>
              新增规则
            </Button>
          )
        }
      >
        <Typography.Paragraph type="secondary">
          登记线索后，系统按优先级从高到低匹配规则：内容或标题包含任一“关键词”（且包含全部“必含词”）即命中；每一项建议取第一条给出它的规则。
          建议只填充空白的业务条线和 12315 分类，工作人员在分拣时确认或更正，更正记录用于改进规则和研判模型。
        </Typography.Paragraph>
        <QueryError query={rules} />
        <Table<SortRule>
          rowKey="id"
          size="middle"
          loading={rules.isFetching}
          dataSource={rules.data?.items ?? []}
          pagination={false}
          locale={{ emptyText: '还没有分拣规则' }}
          columns={[
            { title: '优先级', dataIndex: 'priority', width: 80 },
            { title: '名称', dataIndex: 'name', width: 160 },
            {
              title: '关键词',
              render: (_, r) => (
                <Space size={[4, 4]} wrap>
                  {r.match.keywordsAll.map((k) => (
                    <Tag key={`all-${k}`} color="orange">
                      必含：{k}
                    </Tag>
                  ))}
                  {r.match.keywordsAny.map((k) => (
                    <Tag key={k}>{k}</Tag>
                  ))}
                  {r.match.channels.length > 0 && (
                    <Typography.Text type="secondary">
                      仅限{' '}
                      {r.match.channels.map((c) => CLUE_CHANNEL_LABELS[c as ClueChannel] ?? c).join('、')}
                    </Typography.Text>
                  )}
                </Space>
              ),
            },
            {
              title: '建议',
              width: 260,
              render: (_, r) => (
                <Space size={[4, 4]} wrap>
                  {r.suggest.kind && <Tag color="purple">{CLUE_KIND_LABELS[r.suggest.kind]}</Tag>}
                  {r.suggest.businessLine && <Tag color="blue">{r.suggest.businessLine}</Tag>}
                  {r.suggest.category12315 && (
                    <Tag color="cyan">{categories.label(r.suggest.category12315)}</Tag>
                  )}
                  {r.suggest.route && <Tag color="green">{SORT_ROUTE_LABELS[r.suggest.route]}</Tag>}
                </Space>
              ),
            },
            {
              title: '状态',
              dataIndex: 'enabled',
              width: 90,
              render: (enabled: boolean, r) =>
                canUpdate ? (
                  <Switch
                    checked={enabled}
                    size="small"
                    loading={toggle.isPending && toggle.variables?.id === r.id}
                    onChange={() => toggle.mutate(r)}
                    aria-label={`${r.name} 启用状态`}
                  />
                ) : (
                  <Tag color={enabled ? 'green' : 'default'}>{enabled ? '启用' : '停用'}</Tag>
                ),
            },
            {
              title: '修改',
              width: 150,
              render: (_, r) => (
                <Typography.Text type="secondary">
                  {r.updatedByName} {dayjs(r.updatedAt).format('MM-DD HH:mm')}
                </Typography.Text>
              ),
            },
            {
              title: '操作',
              width: 120,
              render: (_, r) => (
                <Space>
                  {canUpdate && (
                    <Button
                      size="small"
                      type="link"
                      icon={<EditOutlined />}
                      onClick={() => open(r)}
                      aria-label={`编辑 ${r.name}`}
                    >
                      编辑
                    </Button>
                  )}
                  {canDelete && (
                    <Popconfirm
                      title={`删除规则“${r.name}”？`}
                      onConfirm={() => remove.mutate(r)}
                      okText="删除"
                      cancelText="取消"
                    >
                      <Button
                        size="small"
                        type="link"
                        danger
                        icon={<DeleteOutlined />}
                        aria-label={`删除 ${r.name}`}
                      />
                    </Popconfirm>
                  )}
                </Space>
              ),
            },
          ]}
        />
      </Card>
      <Modal
        title={editing === 'new' ? '新增分拣规则' : `编辑分拣规则：${editing?.name ?? ''}`}
        open={editing !== null}
        onCancel={() => setEditing(null)}
        onOk={() => void submit()}
        okText="保存"
        cancelText="取消"
        confirmLoading={save.isPending}
        width={640}
        destroyOnHidden
      >
        {save.error && (
          <Alert type="error" showIcon title={errorMessage(save.error)} style={{ marginBottom: 16 }} />
        )}
        <Form
          form={form}
          layout="vertical"
          preserve={false}
          initialValues={toForm(editing === 'new' || editing === null ? undefined : editing)}
        >
          <Space style={{ width: '100%' }} align="start">
            <Form.Item
              name="name"
              label="名称"
              rules={[{ required: true, whitespace: true, message: '请填写规则名称' }, { max: 60 }]}
            >
              <Input style={{ width: 260 }} />
            </Form.Item>
            <Form.Item name="priority" label="优先级" tooltip="数字越大越先匹配">
              <InputNumber min={0} max={10000} />
            </Form.Item>
            <Form.Item name="enabled" label="启用" valuePropName="checked">
              <Switch />
            </Form.Item>
          </Space>
          <Form.Item
            name="keywordsAny"
            label="关键词（包含任一即命中）"
            rules={[
              ({ getFieldValue }) => ({
                validator: (_, v: string[]) =>
                  (v?.length ?? 0) + (getFieldValue('keywordsAll')?.length ?? 0) > 0
                    ? Promise.resolve()
                    : Promise.reject(new Error('至少填写一个关键词或必含词')),
              }),
            ]}
          >
            <Select mode="tags" tokenSeparators={[',', '，', ' ']} placeholder="输入后回车" open={false} />
          </Form.Item>
          <Form.Item name="keywordsAll" label="必含词（须全部包含）">
            <Select mode="tags" tokenSeparators={[',', '，', ' ']} placeholder="可不填" open={false} />
          </Form.Item>
          <Space style={{ width: '100%' }} align="start" wrap>
            <Form.Item name="fields" label="匹配范围" rules={[{ required: true, message: '至少选择一项' }]}>
              <Select
                mode="multiple"
                style={{ width: 180 }}
                options={[
                  { value: 'title', label: '标题' },
                  { value: 'content', label: '内容' },
                ]}
              />
            </Form.Item>
            <Form.Item name="channels" label="仅限渠道">
              <Select
                mode="multiple"
                allowClear
                style={{ width: 200 }}
                options={channelOptions}
                placeholder="全部渠道"
              />
            </Form.Item>
            <Form.Item name="kinds" label="仅限类型">
              <Select
                mode="multiple"
                allowClear
                style={{ width: 180 }}
                options={kindOptions}
                placeholder="全部类型"
              />
            </Form.Item>
          </Space>
          <Typography.Text strong>命中后建议</Typography.Text>
          <Space style={{ width: '100%', marginTop: 8 }} align="start" wrap>
            <Form.Item name="kind" label="类型">
              <Select allowClear style={{ width: 120 }} options={kindOptions} />
            </Form.Item>
            <Form.Item name="businessLine" label="业务条线">
              <Select allowClear style={{ width: 200 }} options={lines.options} showSearch />
            </Form.Item>
            <Form.Item name="category12315" label="12315 分类">
              <Select
                allowClear
                style={{ width: 170 }}
                options={categories.options}
                showSearch
                optionFilterProp="label"
              />
            </Form.Item>
            <Form.Item name="route" label="去向">
              <Select allowClear style={{ width: 120 }} options={routeOptions} />
            </Form.Item>
          </Space>
        </Form>
      </Modal>
    </Space>
  );
}
