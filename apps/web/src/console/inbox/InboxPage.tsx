import { INBOX_PRIORITY_LABELS, type InboxItem, inboxSourceLabel } from '@rongjian/shared/api';
import { Badge, Card, Empty, Select, Space, Table, Tabs, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { KeysetPager, useKeysetPaging } from '../../shared/ui/KeysetPager.tsx';
import { QueryError } from '../../shared/ui/QueryError.tsx';
import { dateTime } from '../clues/api.ts';
import { type InboxListQuery, useInbox, useInboxCounts } from './api.ts';

const DUE_TEXT: Record<InboxItem['dueState'], { color: string; text: string } | null> = {
  none: null,
  normal: null,
  warning: { color: 'orange', text: '临近截止' },
  overdue: { color: 'red', text: '已逾期' },
};

function Due({ item }: { item: InboxItem }) {
  if (!item.dueAt) return <Typography.Text type="secondary">—</Typography.Text>;
  const state = DUE_TEXT[item.dueState];
  return (
    <Space size={4} data-testid="inbox-due" data-state={item.dueState}>
      <Typography.Text
        style={{
          color:
            item.dueState === 'overdue' ? '#cf1322' : item.dueState === 'warning' ? '#d46b08' : undefined,
        }}
      >
        {dateTime(item.dueAt)}
      </Typography.Text>
      {state && <Tag color={state.color}>{state.text}</Tag>}
    </Space>
  );
}

/** 我的待办: work handed to me (待办, deadline first, 督办 on top) and what I completed (已办). Click opens the work. */
export default function InboxPage() {
  const navigate = useNavigate();
  const [box, setBox] = useState<InboxListQuery['box']>('todo');
  const [source, setSource] = useState<string | undefined>();
  const [sort, setSort] = useState<InboxListQuery['sort']>('due');
  const paging = useKeysetPaging<string>(20);
  const list = useInbox({ box, source, sort }, paging.after, paging.limit);
  const counts = useInboxCounts();
  const bySource = counts.data?.bySource ?? {};
  const sourceOptions = [...new Set([...Object.keys(bySource), ...(source ? [source] : [])])].map((s) => ({
    value: s,
    label: `${inboxSourceLabel(s)}${bySource[s] ? `（${bySource[s]}）` : ''}`,
  }));

  const columns: ColumnsType<InboxItem> = [
    {
      title: '事项',
      dataIndex: 'title',
      render: (_, item) => (
        <Space size={6}>
          {item.priority === 'urged' && <Tag color="red">督办</Tag>}
          {item.priority === 'high' && <Tag color="orange">{INBOX_PRIORITY_LABELS.high}</Tag>}
          <Typography.Link>{item.title}</Typography.Link>
        </Space>
      ),
    },
    { title: '类别', dataIndex: 'sourceLabel', width: 140, render: (v: string) => <Tag>{v}</Tag> },
    box === 'todo'
      ? { title: '截止时间', key: 'due', width: 260, render: (_, item) => <Due item={item} /> }
      : { title: '办结时间', dataIndex: 'doneAt', width: 200, render: (v: string | null) => dateTime(v) },
    { title: '创建时间', dataIndex: 'createdAt', width: 200, render: (v: string) => dateTime(v) },
  ];

  const change = (fn: () => void) => {
    fn();
    paging.reset();
  };

  return (
    <Card
      title="我的待办"
      extra={
        <Space wrap>
          <Select
            allowClear
            placeholder="全部类别"
            style={{ width: 200 }}
            value={source}
            options={sourceOptions}
            onChange={(v: string | undefined) => change(() => setSource(v))}
            data-testid="inbox-source"
          />
          {box === 'todo' && (
            <Select
              style={{ width: 160 }}
              value={sort}
              onChange={(v: InboxListQuery['sort']) => change(() => setSort(v))}
              options={[
                { value: 'due', label: '按截止时间' },
                { value: 'created', label: '按创建时间（新的在前）' },
              ]}
            />
          )}
        </Space>
      }
    >
      <Tabs
        activeKey={box}
        onChange={(k) => change(() => setBox(k as InboxListQuery['box']))}
        items={[
          {
            key: 'todo',
            label: (
              <Space size={6}>
                待办
                <Badge count={counts.data?.todo ?? 0} showZero={false} size="small" />
                {(counts.data?.overdue ?? 0) > 0 && <Tag color="red">逾期 {counts.data?.overdue}</Tag>}
              </Space>
            ),
          },
          { key: 'done', label: '已办' },
        ]}
      />
      <QueryError query={list} />
      <Table<InboxItem>
        rowKey="id"
        size="middle"
        data-testid="inbox-table"
        loading={list.isFetching && !list.data}
        columns={columns}
        dataSource={list.data?.items ?? []}
        pagination={false}
        locale={{ emptyText: <Empty description={box === 'todo' ? '没有待办事项' : '还没有已办事项'} /> }}
        onRow={(item) => ({
          onClick: () => void navigate(item.href),
          style: { cursor: 'pointer' },
          'data-testid': 'inbox-row',
          'data-source': item.source,
        })}
      />
      <KeysetPager paging={paging} nextAfter={list.data?.nextAfter} loading={list.isFetching} />
    </Card>
  );
}
