import { CheckOutlined } from '@ant-design/icons';
import {
  Alert,
  App,
  Badge,
  Button,
  Card,
  Drawer,
  Empty,
  Segmented,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import './notices.css';
import { errorMessage } from '../../shared/api/client.ts';
import {
  type MyNotice,
  NOTICE_KIND_LABELS,
  useMarkAllRead,
  useMarkRead,
  useMyNotices,
  useUnreadCount,
} from './api.ts';

/** 我的通知: notices addressed to me, newest first; unread ones stand out and become read when opened. */
export default function MyNoticesPage() {
  const [unreadOnly, setUnreadOnly] = useState(false);
  const notices = useMyNotices(unreadOnly);
  const unread = useUnreadCount();
  const markRead = useMarkRead();
  const markAll = useMarkAllRead();
  const { message } = App.useApp();
  const [open, setOpen] = useState<MyNotice | null>(null);
  const items = notices.data?.pages.flatMap((p) => p.items) ?? [];

  const show = (n: MyNotice) => {
    setOpen(n);
    if (!n.read) markRead.mutate(n.id, { onError: (e) => void message.error(errorMessage(e)) });
  };

  return (
    <Card
      variant="borderless"
      title="我的通知"
      extra={
        <Space>
          <Segmented
            value={unreadOnly ? 'unread' : 'all'}
            onChange={(v) => setUnreadOnly(v === 'unread')}
            options={[
              { value: 'all', label: '全部' },
              { value: 'unread', label: `未读${unread.data ? `（${unread.data}）` : ''}` },
            ]}
          />
          <Button
            icon={<CheckOutlined />}
            disabled={!unread.data}
            loading={markAll.isPending}
            onClick={() =>
              markAll.mutate(undefined, {
                onSuccess: () => void message.success('已全部标为已读'),
                onError: (e) => void message.error(errorMessage(e)),
              })
            }
          >
            全部标为已读
          </Button>
        </Space>
      }
    >
      {notices.isError && (
        <Alert type="error" showIcon title="加载失败" description={errorMessage(notices.error)} />
      )}
      <Table<MyNotice>
        rowKey="id"
        size="middle"
        showHeader={false}
        loading={notices.isLoading}
        dataSource={items}
        pagination={false}
        locale={{ emptyText: <Empty description={unreadOnly ? '没有未读的通知公告' : '暂无通知公告'} /> }}
        rowClassName={(n) => (n.read ? 'rj-notice-read' : 'rj-notice-unread')}
        onRow={(n) => ({
          onClick: () => show(n),
          style: { cursor: 'pointer' },
          'data-testid': `notice-${n.id}`,
        })}
        columns={[
          {
            key: 'title',
            render: (_: unknown, n) => (
              <Space size={6}>
                <Badge status={n.read ? 'default' : 'processing'} />
                <Tag>{NOTICE_KIND_LABELS[n.kind]}</Tag>
                {n.level === 'important' && <Tag color="red">重要</Tag>}
                <span style={{ fontWeight: n.read ? 400 : 600 }}>{n.title}</span>
                {!n.read && <Tag color="blue">未读</Tag>}
              </Space>
            ),
          },
          { key: 'author', dataIndex: 'authorName', width: 140 },
          {
            key: 'time',
            dataIndex: 'publishedAt',
            width: 160,
            render: (v: string) => dayjs(v).format('YYYY-MM-DD HH:mm'),
          },
        ]}
      />
      {notices.hasNextPage && (
        <div style={{ textAlign: 'center', marginTop: 12 }}>
          <Button loading={notices.isFetchingNextPage} onClick={() => void notices.fetchNextPage()}>
            加载更多
          </Button>
        </div>
      )}
      <Drawer title={open?.title} open={open !== null} onClose={() => setOpen(null)} size="large">
        {open && (
          <Space orientation="vertical" style={{ width: '100%' }}>
            <Typography.Text type="secondary">
              {NOTICE_KIND_LABELS[open.kind]} · {open.authorName} ·{' '}
              {dayjs(open.publishedAt).format('YYYY-MM-DD HH:mm')}
            </Typography.Text>
            <Typography.Paragraph style={{ whiteSpace: 'pre-wrap' }}>
              {open.body || '（无正文）'}
            </Typography.Paragraph>
          </Space>
        )}
      </Drawer>
    </Card>
  );
}
