import { DeleteOutlined, UserAddOutlined } from '@ant-design/icons';
import { App, Button, Input, Popconfirm, Select, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { errorMessage } from '../../../shared/api/client.ts';
import { KeysetPager, useKeysetPaging } from '../../../shared/ui/KeysetPager.tsx';
import { QueryError } from '../../../shared/ui/QueryError.tsx';
import { type RoleMember, useAddMembers, useRemoveMember, useRoleCandidates, useRoleMembers } from './api.ts';

/** 成员 tab of the role drawer: members within the user's data scope; add and remove need system:role:update. */
export function MembersTab({
  roleId,
  canEdit,
  selfId,
}: {
  roleId: number;
  canEdit: boolean;
  selfId: number;
}) {
  const { message } = App.useApp();
  const [keyword, setKeyword] = useState('');
  const paging = useKeysetPaging();
  const members = useRoleMembers(roleId, { keyword, after: paging.after, limit: paging.limit });
  const [search, setSearch] = useState('');
  const [picked, setPicked] = useState<number[]>([]);
  const candidates = useRoleCandidates(roleId, search, canEdit);
  const add = useAddMembers();
  const remove = useRemoveMember();

  const submit = () =>
    add.mutate(
      { id: roleId, userIds: picked },
      {
        onSuccess: (r) => {
          message.success(`已添加 ${r.added} 名成员`);
          setPicked([]);
        },
        onError: (e) => message.error(errorMessage(e)),
      },
    );

  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }}>
      <Typography.Text type="secondary">
        仅显示您数据权限范围内的用户。角色变更是安全事件，会记入审计日志；不能为自己分配或移除角色。
      </Typography.Text>
      {canEdit && (
        <Space.Compact style={{ width: '100%' }}>
          <Select<number[]>
            mode="multiple"
            placeholder="搜索用户名或姓名，选择要添加的成员"
            style={{ width: '100%' }}
            value={picked}
            onChange={setPicked}
            showSearch={{ filterOption: false, onSearch: setSearch }}
            loading={candidates.isFetching}
            notFoundContent={candidates.isFetching ? '搜索中…' : '没有可添加的用户'}
            options={(candidates.data?.items ?? [])
              .filter((u) => u.id !== selfId)
              .map((u) => ({ value: u.id, label: `${u.displayName}（${u.username}）· ${u.departmentName}` }))}
            aria-label="选择成员"
          />
          <Button
            type="primary"
            icon={<UserAddOutlined />}
            disabled={picked.length === 0}
            loading={add.isPending}
            onClick={submit}
          >
            添加
          </Button>
        </Space.Compact>
      )}
      <Input.Search
        placeholder="在成员中搜索"
        allowClear
        style={{ width: 240 }}
        onSearch={(v) => {
          setKeyword(v.trim());
          paging.reset();
        }}
      />
      <QueryError query={members} title="成员加载失败" />
      <Table<RoleMember>
        rowKey="id"
        size="small"
        loading={members.isFetching}
        dataSource={members.data?.items ?? []}
        pagination={false}
        columns={[
          { title: '用户名', dataIndex: 'username' },
          { title: '姓名', dataIndex: 'displayName' },
          { title: '部门', dataIndex: 'departmentName' },
          {
            title: '状态',
            dataIndex: 'status',
            width: 80,
            render: (s: RoleMember['status']) =>
              s === 'active' ? <Tag color="green">正常</Tag> : <Tag>停用</Tag>,
          },
          ...(canEdit
            ? [
                {
                  title: '操作',
                  key: 'op',
                  width: 90,
                  render: (_: unknown, u: RoleMember) =>
                    u.id === selfId ? null : (
                      <Popconfirm
                        title={`从该角色移除 ${u.displayName}？`}
                        okText="移除"
                        cancelText="取消"
                        onConfirm={() =>
                          remove.mutateAsync({ id: roleId, userId: u.id }).then(
                            () => message.success('已移除'),
                            (e: unknown) => message.error(errorMessage(e)),
                          )
                        }
                      >
                        <Button type="link" danger size="small" icon={<DeleteOutlined />}>
                          移除
                        </Button>
                      </Popconfirm>
                    ),
                },
              ]
            : []),
        ]}
      />
      <KeysetPager paging={paging} nextAfter={members.data?.nextAfter} loading={members.isFetching} />
    </Space>
  );
}
