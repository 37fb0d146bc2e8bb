import { EditOutlined, KeyOutlined } from '@ant-design/icons';
import { App, Button, Popconfirm, Space, Switch, Table, Tag, Tooltip, Typography } from 'antd';
import dayjs from 'dayjs';
import { errorMessage } from '../../../shared/api/client.ts';
import { MaskedValue } from '../../../shared/pii/MaskedValue.tsx';
import { CERT_WARN_DAYS, type User, useSetUserStatus } from './api.ts';

interface Props {
  users: User[];
  loading: boolean;
  currentUserId: number;
  canUpdate: boolean;
  canReset: boolean;
  onEdit: (u: User) => void;
  onResetPassword: (u: User) => void;
}

function CertValidity({ until }: { until: string | null }) {
  if (!until) return <Typography.Text type="secondary">—</Typography.Text>;
  const days = dayjs(until).startOf('day').diff(dayjs().startOf('day'), 'day');
  if (days < 0) return <Tag color="red">{until} 已过期</Tag>;
  if (days <= CERT_WARN_DAYS)
    return (
      <Tag color="orange">
        {until} 剩 {days} 天
      </Tag>
    );
  return <span>{until}</span>;
}

function StatusSwitch({ user, disabled }: { user: User; disabled: boolean }) {
  const setStatus = useSetUserStatus();
  const { message } = App.useApp();
  const active = user.status === 'active';
  const toggle = (status: User['status']) =>
    setStatus.mutate(
      { id: user.id, status },
      {
        onSuccess: () =>
          void message.success(
            status === 'active' ? `已启用 ${user.displayName}` : `已停用 ${user.displayName}`,
          ),
        onError: (e) => void message.error(errorMessage(e)),
      },
    );
  const control = (
    <Switch
      checked={active}
      checkedChildren="正常"
      unCheckedChildren="停用"
      loading={setStatus.isPending}
      disabled={disabled}
      aria-label={`${user.displayName} 的账号状态`}
      onChange={active ? undefined : () => toggle('active')}
    />
  );
  // Disabling ends the person's sessions at once: ask first. Enabling needs no confirmation.
  if (!active || disabled) return control;
  return (
    <Popconfirm
      title={`停用 ${user.displayName}？`}
      description="停用后该用户立即下线，且不能再登录。"
      okText="停用"
      okButtonProps={{ danger: true }}
      onConfirm={() => toggle('disabled')}
    >
      {control}
    </Popconfirm>
  );
}

/** The user list: roles, posts, masked phone, 执法证 validity and status at a glance. */
export function UserTable({
  users,
  loading,
  currentUserId,
  canUpdate,
  canReset,
  onEdit,
  onResetPassword,
}: Props) {
  return (
    <Table<User>
      rowKey="id"
      size="middle"
      loading={loading}
      dataSource={users}
      pagination={false}
      scroll={{ x: 1250 }}
      locale={{ emptyText: '没有符合条件的用户' }}
      columns={[
        {
          title: '用户名',
          dataIndex: 'username',
          width: 130,
          fixed: 'left',
          render: (v: string, u) => (
            <Space size={4}>
              {v}
              {u.isDemo && <Tag>演示</Tag>}
            </Space>
          ),
        },
        { title: '姓名', dataIndex: 'displayName', width: 90 },
        { title: '部门', dataIndex: 'departmentName', width: 140, ellipsis: true },
        {
          title: '角色',
          dataIndex: 'roles',
          width: 150,
          render: (roles: User['roles']) =>
            roles.length ? (
              roles.map((r) => <Tag key={r.code}>{r.name}</Tag>)
            ) : (
              <Typography.Text type="secondary">无</Typography.Text>
            ),
        },
        {
          title: '岗位',
          dataIndex: 'posts',
          width: 120,
          render: (posts: User['posts']) => posts.map((p) => p.name).join('、') || '—',
        },
        {
          title: '手机号',
          dataIndex: 'phoneMasked',
          width: 160,
          render: (m: string | null, u) => (
            <MaskedValue masked={m} objectType="user" objectId={u.id} field="phone" label="手机号" />
          ),
        },
        { title: '执法证号', dataIndex: 'certNo', width: 110, render: (v: string | null) => v ?? '—' },
        {
          title: '执法证有效期',
          dataIndex: 'certValidUntil',
          width: 160,
          render: (v: string | null) => <CertValidity until={v} />,
        },
        {
          title: '状态',
          dataIndex: 'status',
          width: 90,
          render: (_: unknown, u) => (
            <Tooltip title={u.id === currentUserId ? '不能停用自己的账号' : undefined}>
              <span>
                <StatusSwitch user={u} disabled={!canUpdate || u.id === currentUserId} />
              </span>
            </Tooltip>
          ),
        },
        ...(canUpdate || canReset
          ? [
              {
                title: '操作',
                key: 'op',
                width: 170,
                fixed: 'right' as const,
                render: (_: unknown, u: User) => (
                  <Space size={0}>
                    {canUpdate && (
                      <Button type="link" size="small" icon={<EditOutlined />} onClick={() => onEdit(u)}>
                        编辑
                      </Button>
                    )}
                    {canReset && (
                      <Button
                        type="link"
                        size="small"
                        icon={<KeyOutlined />}
                        onClick={() => onResetPassword(u)}
                      >
                        重置密码
                      </Button>
                    )}
                  </Space>
                ),
              },
            ]
          : []),
      ]}
    />
  );
}
