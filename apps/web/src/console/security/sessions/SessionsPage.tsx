import {
  LeftOutlined,
  LogoutOutlined,
  ReloadOutlined,
  RightOutlined,
  SearchOutlined,
} from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  Card,
  Form,
  Input,
  Popconfirm,
  Space,
  Table,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { errorMessage } from '../../../shared/api/client.ts';
import { useCurrentUser } from '../../../shared/auth/api.ts';
import { can } from '../../../shared/auth/permissions.ts';
import { describeUserAgent, type OnlineSession, useForceLogout, useOnlineSessions } from './api.ts';

const PAGE_SIZE = 20;
const time = (v: string) => dayjs(v).format('YYYY-MM-DD HH:mm:ss');

/** 安全管理 › 在线用户: who is signed in now, from where, and 强制下线 for the 安全管理员. */
export default function SessionsPage() {
  const user = useCurrentUser();
  const canKick = can(user, 'security:session:delete');
  const { message } = App.useApp();
  const [form] = Form.useForm<{ keyword?: string }>();
  const [keyword, setKeyword] = useState<string | undefined>();
  // Keyset pages: the cursor of every page visited, so 上一页 goes back exactly.
  const [cursors, setCursors] = useState<(number | undefined)[]>([undefined]);
  const after = cursors[cursors.length - 1];
  const sessions = useOnlineSessions({ keyword, after, limit: PAGE_SIZE });
  const kick = useForceLogout();

  const search = (k: string | undefined) => {
    setKeyword(k?.trim() || undefined);
    setCursors([undefined]);
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
        {sessions.isError && (
          <Alert type="error" showIcon title="加载失败" description={errorMessage(sessions.error)} />
        )}
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
        <Space style={{ width: '100%', justifyContent: 'flex-end', marginTop: 16 }}>
          <Typography.Text type="secondary">第 {cursors.length} 页</Typography.Text>
          <Button
            icon={<LeftOutlined />}
            disabled={cursors.length <= 1}
            onClick={() => setCursors((c) => c.slice(0, -1))}
          >
            上一页
          </Button>
          <Button
            disabled={sessions.data?.nextAfter == null}
            onClick={() => {
              const next = sessions.data?.nextAfter;
              if (next != null) setCursors((c) => [...c, next]);
            }}
          >
            下一页 <RightOutlined />
          </Button>
        </Space>
      </Card>
    </Space>
  );
}
