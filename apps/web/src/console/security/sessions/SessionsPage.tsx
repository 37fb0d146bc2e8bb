import { LogoutOutlined, ReloadOutlined, SearchOutlined } from '@ant-design/icons';
import { App, Button, Card, Form, Input, Popconfirm, Space, Table, Tag, Tooltip, Typography } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { errorMessage } from '../../../shared/api/client.ts';
import { useCurrentUser } from '../../../shared/auth/api.ts';
import { can } from '../../../shared/auth/permissions.ts';
import { KeysetPager, useKeysetPaging } from '../../../shared/ui/KeysetPager.tsx';
import { QueryError } from '../../../shared/ui/QueryError.tsx';
import { describeUserAgent, type OnlineSession, useForceLogout, useOnlineSessions } from './api.ts';

const time = (v: string) => dayjs(v).format('YYYY-MM-DD HH:mm:ss');

/** 安全管理 › 在线用户: who is signed in now, from where, and 强制下线 for the 安全管理员. */
export default function SessionsPage() {
  const user = useCurrentUser();
  const canKick = can(user, 'security:session:delete');
  const { message } = App.useApp();
  const [form] = Form.useForm<{ keyword?: string }>();
  const [keyword, setKeyword] = useState<string | undefined>();
  // Fixed page size of 20: the pager below has no 条/页 selector.
  const paging = useKeysetPaging(20);
  const sessions = useOnlineSessions({ keyword, after: paging.after, limit: paging.limit });
  const kick = useForceLogout();

  const search = (k: string | undefined) => {
    setKeyword(k?.trim() || undefined);
    paging.reset();
  };
  const forceLogout = (row: OnlineSession) =>
    kick.mutate(row.id, {
      onSuccess: () => void message.success(`已强制下线 ${row.displayName}（${row.username}）`),
      onError: (e) => void message.error(errorMessage(e)),
    });

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Card variant="borderless">
        <Form form={form} layout="inline" onFinish={(v) => search(v.keyword)} style={{ rowGap: 12 }}>
          <Form.Item name="keyword" label="用户">
            <Input placeholder="用户名或姓名" allowClear style={{ width: 200 }} maxLength={64} />
          </Form.Item>
          <Form.Item>
            <Space>
              <Button type="primary" htmlType="submit" icon={<SearchOutlined />}>
                搜索
              </Button>
              <Button
                onClick={() => {
                  form.resetFields();
                  search(undefined);
                }}
              >
                重置
              </Button>
            </Space>
          </Form.Item>
        </Form>
      </Card>
      <Card
        variant="borderless"
        title={
          <Space>
            在线用户
            {sessions.data && <Tag color="blue">共 {sessions.data.total} 个会话</Tag>}
          </Space>
        }
        extra={
          <Button
            icon={<ReloadOutlined />}
            onClick={() => void sessions.refetch()}
            loading={sessions.isFetching}
          >
            刷新
          </Button>
        }
      >
        <QueryError query={sessions} />
        <Table<OnlineSession>
          rowKey="id"
          size="middle"
          loading={sessions.isPending}
          dataSource={sessions.data?.items ?? []}
          pagination={false}
          scroll={{ x: 'max-content' }}
          data-testid="sessions-table"
          columns={[
            {
              title: '用户',
              key: 'user',
              render: (_, r) => (
                <Space size={4} style={{ whiteSpace: 'nowrap' }}>
                  <span>
                    {r.displayName}
                    <Typography.Text type="secondary">（{r.username}）</Typography.Text>
                  </span>
                  {r.current && <Tag color="green">当前会话</Tag>}
                </Space>
              ),
            },
            { title: '部门', dataIndex: 'departmentName' },
            { title: 'IP 地址', dataIndex: 'ip', render: (v: string | null) => v ?? '—' },
            {
              title: '浏览器',
              dataIndex: 'userAgent',
              render: (v: string | null) => <Tooltip title={v}>{describeUserAgent(v)}</Tooltip>,
            },
            { title: '登录时间', dataIndex: 'createdAt', render: time },
            { title: '最后活动', dataIndex: 'lastSeenAt', render: time },
            {
              title: '状态',
              dataIndex: 'restriction',
              render: (v: OnlineSession['restriction']) =>
                v === 'password_change' ? (
                  <Tag color="orange">待修改密码</Tag>
                ) : v === 'mfa_enroll' ? (
                  <Tag color="orange">待绑定口令</Tag>
                ) : (
                  <Tag color="green">正常</Tag>
                ),
            },
            ...(canKick
              ? [
                  {
                    title: '操作',
                    key: 'actions',
                    render: (_: unknown, r: OnlineSession) =>
                      r.current ? (
                        <Typography.Text type="secondary">—</Typography.Text>
                      ) : (
                        <Popconfirm
                          title="强制下线"
                          description={`确定让 ${r.displayName}（${r.username}）立即下线？其未保存的操作将丢失。`}
                          okText="强制下线"
                          okButtonProps={{ danger: true }}
                          cancelText="取消"
                          onConfirm={() => forceLogout(r)}
                        >
                          <Button type="link" danger size="small" icon={<LogoutOutlined />}>
                            强制下线
                          </Button>
                        </Popconfirm>
                      ),
                  },
                ]
              : []),
          ]}
        />
        <KeysetPager paging={paging} nextAfter={sessions.data?.nextAfter} showSizeChanger={false} />
      </Card>
    </Space>
  );
}
