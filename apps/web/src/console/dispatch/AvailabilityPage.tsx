import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import type { DispatchOfficer, OfficerConflict, OfficerLeave } from '@rongjian/shared/api';
import {
  Alert,
  App,
  Button,
  Card,
  DatePicker,
  Form,
  Input,
  Modal,
  Popconfirm,
  Select,
  Space,
  Table,
  Tabs,
  Tag,
  Typography,
} from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { errorMessage } from '../../shared/api/client.ts';
import { useCurrentUser } from '../../shared/auth/api.ts';
import { can } from '../../shared/auth/permissions.ts';
import { QueryError } from '../../shared/ui/QueryError.tsx';
import { useEntitySuggestions } from '../clues/api.ts';
import { useAvailabilityMutations, useConflicts, useDispatchOptions, useLeaves, useOfficers } from './api.ts';

const DAY = 'YYYY-MM-DD';

function OfficerPicker({
  departmentId,
  value,
  onChange,
}: {
  departmentId: number | undefined;
  value?: number;
  onChange?: (v: number) => void;
}) {
  const officers = useOfficers(departmentId);
  return (
    <Select
      value={value}
      onChange={onChange}
      disabled={departmentId === undefined}
      placeholder={departmentId === undefined ? '先选择部门' : '选择人员'}
      options={(officers.data?.items ?? []).map((o) => ({ value: o.id, label: o.name }))}
      aria-label="人员"
    />
  );
}

function EntityPicker({ value, onChange }: { value?: number; onChange?: (v: number) => void }) {
  const [text, setText] = useState('');
  const found = useEntitySuggestions(text);
  return (
    <Select
      showSearch={{ filterOption: false, onSearch: setText }}
      value={value}
      onChange={onChange}
      placeholder="输入名称或统一社会信用代码查找"
      options={(found.data?.items ?? []).map((e) => ({ value: e.id, label: `${e.name}（${e.address}）` }))}
      aria-label="经营主体"
    />
  );
}

/** 指挥调度 › 人员可用性: today's availability per department, 请假 and 回避 — all of which the suggestion honours. */
export default function AvailabilityPage() {
  const user = useCurrentUser();
  const { message } = App.useApp();
  const options = useDispatchOptions();
  const departments = (options.data?.departments ?? []).filter((d) => d.kind !== 'bureau');
  const [departmentId, setDepartmentId] = useState<number | undefined>(user.departmentId);
  const officers = useOfficers(departmentId);
  const leaves = useLeaves();
  const conflicts = useConflicts();
  const m = useAvailabilityMutations();
  const [dialog, setDialog] = useState<'leave' | 'conflict' | null>(null);
  const [formDept, setFormDept] = useState<number | undefined>(undefined);
  const [error, setError] = useState<string | null>(null);
  const [form] = Form.useForm();
  const mayCreate = can(user, 'dispatch:availability:create');
  const mayDelete = can(user, 'dispatch:availability:delete');

  async function submit() {
    const v = await form.validateFields();
    setError(null);
    try {
      if (dialog === 'leave') {
        const [from, to] = v.period as [Dayjs, Dayjs];
        await m.addLeave.mutateAsync({
          userId: v.userId,
          fromOn: from.format(DAY),
          toOn: to.format(DAY),
          reason: v.reason,
        });
      } else {
        await m.addConflict.mutateAsync({ userId: v.userId, entityId: v.entityId, reason: v.reason });
      }
      message.success('已登记');
      setDialog(null);
    } catch (err) {
      setError(errorMessage(err));
    }
  }
  const openDialog = (kind: 'leave' | 'conflict') => {
    form.resetFields();
    setFormDept(departmentId);
    form.setFieldsValue({ departmentId });
    setError(null);
    setDialog(kind);
  };
  const del = (p: Promise<unknown>) =>
    p.then(
      () => message.success('已删除'),
      (e) => message.error(errorMessage(e)),
    );

  return (
    <Card title="人员可用性">
      <Tabs
        items={[
          {
            key: 'today',
            label: '今日可派',
            children: (
              <Space orientation="vertical" style={{ width: '100%' }}>
                <Select
                  style={{ width: 260 }}
                  value={departmentId}
                  onChange={setDepartmentId}
                  options={departments.map((d) => ({ value: d.id, label: d.name }))}
                  placeholder="选择部门"
                  aria-label="部门"
                />
                <QueryError query={officers} />
                <Table<DispatchOfficer>
                  rowKey="id"
                  size="small"
                  loading={officers.isFetching && !officers.data}
                  dataSource={officers.data?.items ?? []}
                  pagination={false}
                  columns={[
                    { title: '姓名', dataIndex: 'name' },
                    { title: '执法证号', dataIndex: 'certNo', render: (v: string | null) => v ?? '—' },
                    {
                      title: '有效期至',
                      dataIndex: 'certValidUntil',
                      render: (v: string | null) => v ?? '—',
                    },
                    { title: '在办调度单', dataIndex: 'openOrders' },
                    {
                      title: '可派',
                      dataIndex: 'unavailable',
                      render: (u: string[]) =>
                        u.length === 0 ? (
                          <Tag color="green">可派</Tag>
                        ) : (
                          u.map((x) => (
                            <Tag key={x} color="orange">
                              {x}
                            </Tag>
                          ))
                        ),
                    },
                  ]}
                />
              </Space>
            ),
          },
          {
            key: 'leave',
            label: '请假',
            children: (
              <Space orientation="vertical" style={{ width: '100%' }}>
                {mayCreate && (
                  <Button icon={<PlusOutlined />} onClick={() => openDialog('leave')}>
                    登记请假
                  </Button>
                )}
                <QueryError query={leaves} />
                <Table<OfficerLeave>
                  rowKey="id"
                  size="small"
                  dataSource={leaves.data?.items ?? []}
                  pagination={{ pageSize: 20, showSizeChanger: false }}
                  columns={[
                    { title: '人员', dataIndex: 'userName' },
                    { title: '部门', dataIndex: 'departmentName' },
                    { title: '期间', render: (_, l) => `${l.fromOn} 至 ${l.toOn}` },
                    { title: '事由', dataIndex: 'reason' },
                    { title: '登记人', dataIndex: 'createdBy' },
                    {
                      title: '操作',
                      render: (_, l) =>
                        mayDelete && (
                          <Popconfirm
                            title="删除这条请假记录？"
                            onConfirm={() => del(m.removeLeave.mutateAsync(l.id))}
                          >
                            <Button size="small" danger icon={<DeleteOutlined />}>
                              删除
                            </Button>
                          </Popconfirm>
                        ),
                    },
                  ]}
                />
              </Space>
            ),
          },
          {
            key: 'conflict',
            label: '回避名单',
            children: (
              <Space orientation="vertical" style={{ width: '100%' }}>
                <Typography.Text type="secondary">
                  与经营主体存在利害关系（亲属经营、曾任职等）的人员不会被派往该主体的线索。
                </Typography.Text>
                {mayCreate && (
                  <Button icon={<PlusOutlined />} onClick={() => openDialog('conflict')}>
                    登记回避
                  </Button>
                )}
                <QueryError query={conflicts} />
                <Table<OfficerConflict>
                  rowKey="id"
                  size="small"
                  dataSource={conflicts.data?.items ?? []}
                  pagination={{ pageSize: 20, showSizeChanger: false }}
                  columns={[
                    { title: '人员', dataIndex: 'userName' },
                    { title: '部门', dataIndex: 'departmentName' },
                    { title: '经营主体', dataIndex: 'entityName' },
                    { title: '回避理由', dataIndex: 'reason' },
                    { title: '登记人', dataIndex: 'createdBy' },
                    {
                      title: '操作',
                      render: (_, c) =>
                        mayDelete && (
                          <Popconfirm
                            title="删除这条回避记录？"
                            onConfirm={() => del(m.removeConflict.mutateAsync(c.id))}
                          >
                            <Button size="small" danger icon={<DeleteOutlined />}>
                              删除
                            </Button>
                          </Popconfirm>
                        ),
                    },
                  ]}
                />
              </Space>
            ),
          },
        ]}
      />
      <Modal
        open={dialog !== null}
        title={dialog === 'leave' ? '登记请假' : '登记回避'}
        onCancel={() => setDialog(null)}
        onOk={submit}
        confirmLoading={m.addLeave.isPending || m.addConflict.isPending}
        destroyOnHidden
        forceRender
      >
        <Form form={form} layout="vertical">
          <Form.Item name="departmentId" label="部门" rules={[{ required: true, message: '请选择部门' }]}>
            <Select
              options={departments.map((d) => ({ value: d.id, label: d.name }))}
              onChange={(v: number) => {
                setFormDept(v);
                form.setFieldsValue({ userId: undefined });
              }}
            />
          </Form.Item>
          <Form.Item name="userId" label="人员" rules={[{ required: true, message: '请选择人员' }]}>
            <OfficerPicker departmentId={formDept} />
          </Form.Item>
          {dialog === 'leave' ? (
            <Form.Item name="period" label="期间" rules={[{ required: true, message: '请选择起止日期' }]}>
              <DatePicker.RangePicker />
            </Form.Item>
          ) : (
            <Form.Item
              name="entityId"
              label="经营主体"
              rules={[{ required: true, message: '请选择经营主体' }]}
            >
              <EntityPicker />
            </Form.Item>
          )}
          <Form.Item
            name="reason"
            label={dialog === 'leave' ? '事由' : '回避理由'}
            rules={[{ required: true, min: 2, message: '至少 2 个字' }]}
          >
            <Input.TextArea rows={2} maxLength={1000} />
          </Form.Item>
          {error && <Alert type="error" showIcon title={error} />}
        </Form>
      </Modal>
    </Card>
  );
}
