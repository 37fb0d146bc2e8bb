import { DeleteOutlined, EditOutlined, PlusOutlined, TeamOutlined } from '@ant-design/icons';
import { App, Button, Card, Form, Input, Popconfirm, Space, Table, Tag, Tooltip, Typography } from 'antd';
import { useState } from 'react';
import { errorMessage } from '../../../shared/api/client.ts';
import { useCurrentUser } from '../../../shared/auth/api.ts';
import { can } from '../../../shared/auth/permissions.ts';
import { QueryError } from '../../../shared/ui/QueryError.tsx';
import { SearchCard } from '../../../shared/ui/SearchCard.tsx';
import { DUTY_COLORS, DUTY_LABELS } from '../permissions/api.ts';
import { DATA_SCOPE_LABELS, type RoleSummary, useDeleteRole, useRoles } from './api.ts';
import { RoleDrawer } from './RoleDrawer.tsx';

/** 系统管理 › 角色管理: roles with their duty (三员分立), data scope and members. */
export default function RolesPage() {
  const user = useCurrentUser();
  const { message } = App.useApp();
  const [keyword, setKeyword] = useState('');
  const roles = useRoles(keyword);
  const remove = useDeleteRole();
  const [drawer, setDrawer] = useState<{ roleId: number | null; tab?: string } | null>(null);
  const canCreate = can(user, 'system:role:create');
  const canUpdate = can(user, 'system:role:update');
  const canDelete = can(user, 'system:role:delete');

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <SearchCard<{ keyword?: string }> onSearch={(v) => setKeyword(v.keyword?.trim() ?? '')}>
        <Form.Item name="keyword" label="角色">
          <Input placeholder="名称或编码" allowClear style={{ width: 220 }} />
        </Form.Item>
      </SearchCard>
      <Card
        variant="borderless"
        title="角色列表"
        extra={
          canCreate && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setDrawer({ roleId: null })}>
              新增角色
            </Button>
          )
        }
      >
        <Typography.Paragraph type="secondary">
          系统管理员、安全管理员、审计管理员为等保三级要求的“三员”，互不兼任，也不处理业务；内置角色不能删除或改名。
        </Typography.Paragraph>
        <QueryError query={roles} />
        <Table<RoleSummary>
          rowKey="id"
          size="middle"
          loading={roles.isFetching}
          dataSource={roles.data?.items ?? []}
          pagination={{ pageSize: 20, showTotal: (n) => `共 ${n} 个角色`, hideOnSinglePage: true }}
          scroll={{ x: 900 }}
          columns={[
            {
              title: '角色名称',
              dataIndex: 'name',
              render: (name: string, r) => (
                <Space>
                  {name}
                  {r.builtin && <Tag>内置</Tag>}
                </Space>
              ),
            },
            {
              title: '编码',
              dataIndex: 'code',
              render: (c: string) => <Typography.Text code>{c}</Typography.Text>,
            },
            {
              title: '职责',
              dataIndex: 'duty',
              width: 110,
              render: (d: RoleSummary['duty']) =>
                d ? <Tag color={DUTY_COLORS[d]}>{DUTY_LABELS[d]}</Tag> : '—',
            },
            {
              title: '数据权限',
              dataIndex: 'dataScope',
              width: 130,
              render: (s: RoleSummary['dataScope'], r) =>
                s === 'custom'
                  ? `${DATA_SCOPE_LABELS[s]}（${r.scopeDepartmentIds.length} 个）`
                  : DATA_SCOPE_LABELS[s],
            },
            {
              title: '成员数',
              dataIndex: 'memberCount',
              width: 90,
              align: 'right',
              render: (n: number, r) => (
                <Button type="link" size="small" onClick={() => setDrawer({ roleId: r.id, tab: 'members' })}>
                  {n}
                </Button>
              ),
            },
            {
              title: '操作',
              key: 'op',
              width: 220,
              render: (_: unknown, r) => (
                <Space size={0}>
                  <Button
                    type="link"
                    size="small"
                    icon={<EditOutlined />}
                    onClick={() => setDrawer({ roleId: r.id, tab: 'basic' })}
                  >
                    {canUpdate ? '编辑' : '查看'}
                  </Button>
                  <Button
                    type="link"
                    size="small"
                    icon={<TeamOutlined />}
                    onClick={() => setDrawer({ roleId: r.id, tab: 'members' })}
                  >
                    成员
                  </Button>
                  {canDelete &&
                    (r.builtin ? (
                      <Tooltip title="内置角色不能删除">
                        <Button type="link" size="small" danger disabled icon={<DeleteOutlined />}>
                          删除
                        </Button>
                      </Tooltip>
                    ) : (
                      <Popconfirm
                        title={`删除角色「${r.name}」？`}
                        description={
                          r.memberCount > 0 ? '该角色仍有成员，需先移除全部成员。' : '删除后不可恢复。'
                        }
                        okText="删除"
                        okButtonProps={{ danger: true }}
                        cancelText="取消"
                        onConfirm={() =>
                          remove.mutateAsync(r.id).then(
                            () => message.success(`已删除角色「${r.name}」`),
                            (e: unknown) => message.error(errorMessage(e)),
                          )
                        }
                      >
                        <Button type="link" size="small" danger icon={<DeleteOutlined />}>
                          删除
                        </Button>
                      </Popconfirm>
                    ))}
                </Space>
              ),
            },
          ]}
        />
      </Card>
      <RoleDrawer
        open={drawer !== null}
        roleId={drawer?.roleId ?? null}
        {...(drawer?.tab ? { tab: drawer.tab } : {})}
        onClose={() => setDrawer(null)}
      />
    </Space>
  );
}
