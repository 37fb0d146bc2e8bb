import { CopyOutlined, PlusOutlined } from '@ant-design/icons';
import type { Open311Client, Open311ClientCreated } from '@rongjian/shared/api';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Form, Input, Modal, Space, Switch, Table, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { api, errorMessage } from '../../shared/api/client.ts';
import { useCurrentUser } from '../../shared/auth/api.ts';
import { can } from '../../shared/auth/permissions.ts';
import { QueryError } from '../../shared/ui/QueryError.tsx';

const KEY = ['open311', 'clients'] as const;
const fmt = (s: string | null) => (s ? dayjs(s).format('YYYY-MM-DD HH:mm') : '—');

/** The new client's api_key, shown this once (only its hash is stored), with a copy button. */
function KeyOnce({ created, onClose }: { created: Open311ClientCreated | null; onClose: () => void }) {
  const { message } = App.useApp();
  const copy = () =>
    navigator.clipboard?.writeText(created?.apiKey ?? '').then(
      () => void message.success('已复制 api_key'),
      () => void message.error('复制失败，请手动选中复制'),
    );
  return (
    <Modal
      title={`接入方“${created?.name ?? ''}”的 api_key`}
      open={created !== null}
      onCancel={onClose}
      footer={
        <Button type="primary" onClick={onClose}>
          我已妥善保存
        </Button>
      }
      maskClosable={false}
    >
      <Alert
        type="warning"
        showIcon
        title="api_key 只显示这一次，平台只保存其摘要，丢失后只能新登记一个接入方。"
        style={{ marginBottom: 16 }}
      />
      <Space.Compact style={{ width: '100%' }}>
        <Input readOnly value={created?.apiKey ?? ''} data-testid="open311-api-key" />
        <Button icon={<CopyOutlined />} onClick={() => void copy()}>
          复制
        </Button>
      </Space.Compact>
    </Modal>
  );
}

/** 系统管理 › Open311 接入: the clients that may post service requests to `/open311/v2/`, with their api_keys. */
export default function Open311ClientsPage() {
  const user = useCurrentUser();
  const qc = useQueryClient();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ name: string }>();
  const [adding, setAdding] = useState(false);
  const [created, setCreated] = useState<Open311ClientCreated | null>(null);
  const clients = useQuery({
    queryKey: KEY,
    queryFn: () => api.get<Open311Client[]>('/api/open311/clients'),
  });
  const create = useMutation({
    mutationFn: (name: string) => api.post<Open311ClientCreated>('/api/open311/clients', { name }),
    onSuccess: (c) => {
      void qc.invalidateQueries({ queryKey: KEY });
      setAdding(false);
      setCreated(c);
    },
  });
  const toggle = useMutation({
    mutationFn: (v: { id: number; enabled: boolean }) =>
      api.patch<Open311Client>(`/api/open311/clients/${v.id}`, { enabled: v.enabled }),
    onSuccess: (c) => {
      void qc.invalidateQueries({ queryKey: KEY });
      void message.success(`已${c.enabled ? '启用' : '停用'}接入方 ${c.name}`);
    },
    onError: (e) => void message.error(errorMessage(e)),
  });
  const canCreate = can(user, 'system:open311:create');
  const canUpdate = can(user, 'system:open311:update');

  const submit = async () => {
    const v = await form.validateFields().catch(() => null);
    if (v) create.mutate(v.name.trim());
  };

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Card variant="borderless">
        <Typography.Paragraph style={{ marginBottom: 0 }}>
          Open311 GeoReport v2 接口地址：
          <Typography.Text code copyable>{`${window.location.origin}/open311/v2/`}</Typography.Text>
          。查询服务目录、服务请求无需 api_key；提交服务请求（POST requests）需要下列接入方之一的 api_key。
        </Typography.Paragraph>
      </Card>
      <Card
        variant="borderless"
        title="接入方"
        extra={
          canCreate && (
            <Button
              type="primary"
              icon={<PlusOutlined />}
              onClick={() => {
                form.resetFields();
                create.reset();
                setAdding(true);
              }}
            >
              登记接入方
            </Button>
          )
        }
      >
        <QueryError query={clients} />
        <Table<Open311Client>
          rowKey="id"
          size="middle"
          loading={clients.isFetching}
          dataSource={clients.data ?? []}
          pagination={false}
          locale={{ emptyText: '还没有接入方' }}
          columns={[
            { title: '名称', dataIndex: 'name' },
            {
              title: '状态',
              dataIndex: 'enabled',
              width: 120,
              render: (enabled: boolean, c) =>
                canUpdate ? (
                  <Switch
                    checked={enabled}
                    checkedChildren="启用"
                    unCheckedChildren="停用"
                    loading={toggle.isPending && toggle.variables?.id === c.id}
                    onChange={(v) => toggle.mutate({ id: c.id, enabled: v })}
                    aria-label={`${c.name} 启用状态`}
                  />
                ) : (
                  <Tag color={enabled ? 'green' : 'default'}>{enabled ? '启用' : '停用'}</Tag>
                ),
            },
            { title: '登记人', dataIndex: 'createdByName', width: 140 },
            { title: '登记时间', dataIndex: 'createdAt', width: 170, render: fmt },
            { title: '最近使用', dataIndex: 'lastUsedAt', width: 170, render: fmt },
          ]}
        />
      </Card>
      <Modal
        title="登记 Open311 接入方"
        open={adding}
        onCancel={() => setAdding(false)}
        onOk={() => void submit()}
        okText="登记并生成 api_key"
        confirmLoading={create.isPending}
        destroyOnHidden
      >
        {create.isError && (
          <Alert type="error" showIcon title={errorMessage(create.error)} style={{ marginBottom: 16 }} />
        )}
        <Form form={form} layout="vertical" name="open311-client">
          <Form.Item
            name="name"
            label="接入方名称"
            rules={[
              { required: true, whitespace: true, message: '请输入名称' },
              { min: 2, max: 60, message: '2–60 个字' },
            ]}
          >
            <Input placeholder="如 市民随手拍 App" />
          </Form.Item>
        </Form>
      </Modal>
      <KeyOnce created={created} onClose={() => setCreated(null)} />
    </Space>
  );
}
