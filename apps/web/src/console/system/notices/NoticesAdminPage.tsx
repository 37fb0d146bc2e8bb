import { PlusOutlined } from '@ant-design/icons';
import { Button, Card, Drawer, Form, Input, Select, Space, Table, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useCurrentUser } from '../../../shared/auth/api.ts';
import { can } from '../../../shared/auth/permissions.ts';
import { KeysetPager, useKeysetPaging } from '../../../shared/ui/KeysetPager.tsx';
import { QueryError } from '../../../shared/ui/QueryError.tsx';
import { SearchCard } from '../../../shared/ui/SearchCard.tsx';
import {
  NOTICE_KIND_LABELS,
  NOTICE_STATUS_LABELS,
  type NoticeAdmin,
  type NoticeFilter,
  type NoticeStatus,
  useAdminNotices,
} from './api.ts';
import { NoticeFormModal } from './NoticeFormModal.tsx';
import { NoticeRowActions } from './NoticeRowActions.tsx';

const STATUS_COLORS: Record<NoticeStatus, string> = {
  draft: 'default',
  published: 'green',
  withdrawn: 'orange',
};
const time = (v: string | null) => (v ? dayjs(v).format('YYYY-MM-DD HH:mm') : '—');

/** 系统管理 › 通知公告: write drafts, publish to everybody or to departments, withdraw, see how many read. */
export default function NoticesAdminPage() {
  const user = useCurrentUser();
  const canCreate = can(user, 'system:notice:create');
  const [filter, setFilter] = useState<NoticeFilter>({});
  const paging = useKeysetPaging();
  const notices = useAdminNotices({ ...filter, after: paging.after, limit: paging.limit });
  const [modal, setModal] = useState<{ editing: NoticeAdmin | null } | null>(null);
  const [viewing, setViewing] = useState<NoticeAdmin | null>(null);

  const search = (v: NoticeFilter) => {
    setFilter({ keyword: v.keyword?.trim() || undefined, status: v.status, kind: v.kind });
    paging.reset();
  };

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <SearchCard onSearch={search}>
        <Form.Item name="keyword" label="标题">
          <Input allowClear maxLength={100} style={{ width: 200 }} />
        </Form.Item>
        <Form.Item name="kind" label="类型">
          <Select
            allowClear
            placeholder="全部"
            style={{ width: 100 }}
            options={Object.entries(NOTICE_KIND_LABELS).map(([value, label]) => ({ value, label }))}
          />
        </Form.Item>
        <Form.Item name="status" label="状态">
          <Select
            allowClear
            placeholder="全部"
            style={{ width: 110 }}
            options={Object.entries(NOTICE_STATUS_LABELS).map(([value, label]) => ({ value, label }))}
          />
        </Form.Item>
      </SearchCard>
      <Card
        variant="borderless"
        title={`通知公告${notices.data ? `（共 ${notices.data.total} 条）` : ''}`}
        extra={
          canCreate && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setModal({ editing: null })}>
              新增
            </Button>
          )
        }
      >
        <QueryError query={notices} />
        <Table<NoticeAdmin>
          rowKey="id"
          size="middle"
          loading={notices.isFetching}
          dataSource={notices.data?.items ?? []}
          pagination={false}
          scroll={{ x: 1100 }}
          columns={[
            {
              title: '标题',
              dataIndex: 'title',
              render: (title: string, r) => (
                <Typography.Link onClick={() => setViewing(r)}>
                  {r.level === 'important' && <Tag color="red">重要</Tag>}
                  {title}
                </Typography.Link>
              ),
            },
            {
              title: '类型',
              dataIndex: 'kind',
              width: 70,
              render: (k: NoticeAdmin['kind']) => NOTICE_KIND_LABELS[k],
            },
            {
              title: '状态',
              dataIndex: 'status',
              width: 90,
              render: (s: NoticeStatus) => <Tag color={STATUS_COLORS[s]}>{NOTICE_STATUS_LABELS[s]}</Tag>,
            },
            {
              title: '接收范围',
              width: 200,
              ellipsis: true,
              render: (_: unknown, r) =>
                r.targetAll ? '全体人员' : r.targetDepartments.map((d) => d.name).join('、'),
            },
            { title: '发布人', dataIndex: 'authorName', width: 110 },
            { title: '发布时间', dataIndex: 'publishedAt', width: 150, render: time },
            { title: '已读', dataIndex: 'readCount', width: 70 },
            {
              title: '操作',
              width: 200,
              fixed: 'right',
              render: (_: unknown, r) => (
                <NoticeRowActions notice={r} onEdit={() => setModal({ editing: r })} />
              ),
            },
          ]}
        />
        <KeysetPager paging={paging} nextAfter={notices.data?.nextAfter} loading={notices.isFetching} />
      </Card>
      <NoticeFormModal
        open={modal !== null}
        editing={modal?.editing ?? null}
        onClose={() => setModal(null)}
      />
      <Drawer title={viewing?.title} open={viewing !== null} onClose={() => setViewing(null)} size="large">
        {viewing && (
          <Space orientation="vertical" style={{ width: '100%' }}>
            <Typography.Text type="secondary">
              {NOTICE_KIND_LABELS[viewing.kind]} · {NOTICE_STATUS_LABELS[viewing.status]} ·{' '}
              {viewing.authorName} · {time(viewing.publishedAt ?? viewing.createdAt)} · 已读{' '}
              {viewing.readCount} 人
            </Typography.Text>
            <Typography.Paragraph style={{ whiteSpace: 'pre-wrap' }}>
              {viewing.body || '（无正文）'}
            </Typography.Paragraph>
          </Space>
        )}
      </Drawer>
    </Space>
  );
}
