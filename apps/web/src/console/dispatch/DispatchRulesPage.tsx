import { DeleteOutlined, EditOutlined, PlusOutlined } from '@ant-design/icons';
import { BUSINESS_LINES } from '@rongjian/shared';
import {
  DISPATCH_MODULE_LABELS,
  type DispatchModule,
  type DispatchRule,
  type DispatchRuleInput,
} from '@rongjian/shared/api';
import {
  Alert,
  App,
  Button,
  Card,
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
import { useState } from 'react';
import { errorMessage } from '../../shared/api/client.ts';
import { useCurrentUser } from '../../shared/auth/api.ts';
import { can } from '../../shared/auth/permissions.ts';
import { QueryError } from '../../shared/ui/QueryError.tsx';
import { useDeleteRule, useDispatchOptions, useRules, useSaveRule } from './api.ts';
import { ModuleTag } from './labels.tsx';

interface RuleForm {
  name: string;
  businessLine: string | null;
  place: string | null;
  module: DispatchModule;
  departmentId: number;
  priority: number;
  enabled: boolean;
  note: string;
}

/** `g:<id>` a grid, `s:<id>` a 所, null anywhere. */
const placeOf = (r: DispatchRule) =>
  r.gridId !== null ? `g:${r.gridId}` : r.stationId !== null ? `s:${r.stationId}` : null;

/**
 * 指挥调度 › 路由规则: (条线 | 任意) × (网格 | 所 | 任意) × 模块 → 接收部门. The most specific enabled rule wins
 * (more fixed dimensions; a grid above a 所), then the higher priority.
 */
export default function DispatchRulesPage() {
  const user = useCurrentUser();
  const { message } = App.useApp();
  const [form] = Form.useForm<RuleForm>();
  const [editing, setEditing] = useState<DispatchRule | 'new' | null>(null);
  const [error, setError] = useState<string | null>(null);
  const rules = useRules();
  const options = useDispatchOptions();
  const save = useSaveRule();
  const remove = useDeleteRule();
  const departments = options.data?.departments ?? [];
  const stations = departments.filter((d) => d.kind === 'station');
  const placeOptions = [
    ...stations.map((s) => ({ value: `s:${s.id}`, label: `${s.name}（全部网格）` })),
    ...(options.data?.grids ?? []).map((g) => ({
      value: `g:${g.id}`,
      label: `网格：${g.name}（${stations.find((s) => s.id === g.stationId)?.name ?? ''}）`,
    })),
  ];

  function open(rule: DispatchRule | 'new') {
    setError(null);
    setEditing(rule);
    form.setFieldsValue(
      rule === 'new'
        ? {
            name: '',
            businessLine: null,
            place: null,
            module: 'inspection',
            priority: 0,
            enabled: true,
            note: '',
          }
        : {
            name: rule.name,
            businessLine: rule.businessLine,
            place: placeOf(rule),
            module: rule.module,
            departmentId: rule.departmentId,
            priority: rule.priority,
            enabled: rule.enabled,
            note: rule.note,
          },
    );
  }

  async function submit() {
    const v = await form.validateFields();
    const [kind, id] = (v.place ?? '').split(':');
    setError(null);
    try {
      await save.mutateAsync({
        id: editing === 'new' || editing === null ? null : editing.id,
        body: {
          name: v.name,
          businessLine: (v.businessLine ?? null) as DispatchRuleInput['businessLine'],
          gridId: kind === 'g' ? Number(id) : null,
          stationId: kind === 's' ? Number(id) : null,
          module: v.module,
          departmentId: v.departmentId,
          priority: v.priority ?? 0,
          enabled: v.enabled ?? true,
          note: v.note ?? '',
        },
      });
      message.success('已保存路由规则');
      setEditing(null);
    } catch (err) {
      setError(errorMessage(err));
    }
  }

  return (
    <Card
      title="路由规则"
      extra={
        can(user, 'dispatch:rule:create') && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => open('new')}>
            新增规则
          </Button>
        )
      }
    >
      <Typography.Paragraph type="secondary">
        派单时按线索的业务条线、所在网格（所）和处置方式匹配启用的规则：固定条件越多的规则越优先（网格优先于所），条件一样多时优先级高者优先；没有匹配规则时按线索的承办部门派单。
      </Typography.Paragraph>
      <QueryError query={rules} />
      <Table<DispatchRule>
        rowKey="id"
        size="small"
        loading={rules.isPending}
        dataSource={rules.data?.items ?? []}
        pagination={{ pageSize: 50, showSizeChanger: false }}
        columns={[
          { title: '名称', dataIndex: 'name' },
          {
            title: '业务条线',
            dataIndex: 'businessLine',
            render: (v: string | null) => v ?? <Tag>任意</Tag>,
          },
          {
            title: '地点',
            render: (_, r) => (r.gridName ? `网格：${r.gridName}` : (r.stationName ?? <Tag>任意</Tag>)),
          },
          { title: '处置方式', dataIndex: 'module', render: (m: DispatchModule) => <ModuleTag module={m} /> },
          { title: '接收部门', dataIndex: 'departmentName' },
          { title: '优先级', dataIndex: 'priority' },
          {
            title: '启用',
            dataIndex: 'enabled',
            render: (v: boolean) => (v ? <Tag color="green">启用</Tag> : <Tag>停用</Tag>),
          },
          {
            title: '操作',
            render: (_, r) => (
              <Space>
                {can(user, 'dispatch:rule:update') && (
                  <Button size="small" icon={<EditOutlined />} onClick={() => open(r)}>
                    编辑
                  </Button>
                )}
                {can(user, 'dispatch:rule:delete') && (
                  <Popconfirm
                    title={`删除规则“${r.name}”？`}
                    onConfirm={() =>
                      remove.mutate(r.id, {
                        onSuccess: () => message.success('已删除'),
                        onError: (e) => message.error(errorMessage(e)),
                      })
                    }
                  >
                    <Button size="small" danger icon={<DeleteOutlined />}>
                      删除
                    </Button>
                  </Popconfirm>
                )}
              </Space>
            ),
          },
        ]}
      />
      <Modal
        open={editing !== null}
        title={editing === 'new' ? '新增路由规则' : '编辑路由规则'}
        onCancel={() => setEditing(null)}
        onOk={submit}
        confirmLoading={save.isPending}
        destroyOnHidden
        forceRender
      >
        <Form form={form} layout="vertical">
          <Form.Item name="name" label="名称" rules={[{ required: true, message: '请填写名称' }]}>
            <Input maxLength={60} />
          </Form.Item>
          <Form.Item name="businessLine" label="业务条线（不选为任意）">
            <Select allowClear options={BUSINESS_LINES.map((l) => ({ value: l, label: l }))} />
          </Form.Item>
          <Form.Item name="place" label="地点：所或网格（不选为任意）">
            <Select allowClear showSearch={{ optionFilterProp: 'label' }} options={placeOptions} />
          </Form.Item>
          <Form.Item name="module" label="处置方式" rules={[{ required: true }]}>
            <Select
              options={(Object.keys(DISPATCH_MODULE_LABELS) as DispatchModule[]).map((m) => ({
                value: m,
                label: DISPATCH_MODULE_LABELS[m],
              }))}
            />
          </Form.Item>
          <Form.Item
            name="departmentId"
            label="接收部门"
            rules={[{ required: true, message: '请选择接收部门' }]}
          >
            <Select
              showSearch={{ optionFilterProp: 'label' }}
              options={departments
                .filter((d) => d.kind !== 'bureau')
                .map((d) => ({ value: d.id, label: d.name }))}
            />
          </Form.Item>
          <Space>
            <Form.Item name="priority" label="优先级">
              <InputNumber min={-1000} max={1000} precision={0} />
            </Form.Item>
            <Form.Item name="enabled" label="启用" valuePropName="checked">
              <Switch />
            </Form.Item>
          </Space>
          <Form.Item name="note" label="说明">
            <Input.TextArea rows={2} maxLength={500} />
          </Form.Item>
          {error && <Alert type="error" showIcon title={error} />}
        </Form>
      </Modal>
    </Card>
  );
}
