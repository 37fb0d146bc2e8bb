import { Card, DatePicker, Form, Input, Select, Space, Table, Tag, Tooltip } from 'antd';
import type { Dayjs } from 'dayjs';
import dayjs from 'dayjs';
import { useState } from 'react';
import { KeysetPager, useKeysetPaging } from '../../../shared/ui/KeysetPager.tsx';
import { QueryError } from '../../../shared/ui/QueryError.tsx';
import { SearchCard } from '../../../shared/ui/SearchCard.tsx';
import { RESULT_OPTIONS } from '../result.ts';
import { type LoginLog, type LoginLogQuery, useLoginLogs } from './api.ts';

interface SearchValues {
  range?: [Dayjs | null, Dayjs | null] | null;
  username?: string;
  ip?: string;
  result?: 'success' | 'failure';
}

type Filter = Omit<LoginLogQuery, 'after' | 'limit'>;

/** 安全审计 › 登录日志: every sign-in attempt, with the reason it failed. Read-only. */
export default function LoginLogPage() {
  const [filter, setFilter] = useState<Filter>({});
  const paging = useKeysetPaging();
  const logs = useLoginLogs({ ...filter, after: paging.after, limit: paging.limit });

  const search = (v: SearchValues) => {
    setFilter({
      from: v.range?.[0]?.toISOString(),
      to: v.range?.[1]?.toISOString(),
      username: v.username?.trim() || undefined,
      ip: v.ip?.trim() || undefined,
      result: v.result,
    });
    paging.reset();
  };

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <SearchCard onSearch={search}>
        <Form.Item name="range" label="登录时间">
          <DatePicker.RangePicker showTime allowEmpty={[true, true]} />
        </Form.Item>
        <Form.Item name="username" label="用户名">
          <Input allowClear style={{ width: 150 }} />
        </Form.Item>
        <Form.Item name="ip" label="IP 地址">
          <Input placeholder="前缀，如 10.2." allowClear style={{ width: 150 }} />
        </Form.Item>
        <Form.Item name="result" label="结果">
          <Select allowClear placeholder="全部" options={RESULT_OPTIONS} style={{ width: 100 }} />
        </Form.Item>
      </SearchCard>
      <Card variant="borderless" title="登录日志">
        <QueryError query={logs} />
        <Table<LoginLog>
          rowKey="id"
          size="middle"
          loading={logs.isFetching}
          dataSource={logs.data?.items ?? []}
          pagination={false}
          scroll={{ x: 960 }}
          columns={[
            { title: '编号', dataIndex: 'id', width: 80 },
            {
              title: '登录时间',
              dataIndex: 'occurredAt',
              width: 170,
              render: (v: string) => dayjs(v).format('YYYY-MM-DD HH:mm:ss'),
            },
            { title: '用户名', dataIndex: 'username', width: 140 },
            { title: 'IP 地址', dataIndex: 'ip', width: 140, render: (v: string | null) => v ?? '—' },
            {
              title: '浏览器',
              dataIndex: 'userAgent',
              ellipsis: { showTitle: false },
              render: (v: string | null) => (v ? <Tooltip title={v}>{v}</Tooltip> : '—'),
            },
            {
              title: '结果',
              dataIndex: 'result',
              width: 80,
              render: (v: LoginLog['result']) =>
                v === 'success' ? <Tag color="green">成功</Tag> : <Tag color="red">失败</Tag>,
            },
            { title: '原因', dataIndex: 'reason', width: 200 },
          ]}
        />
        <KeysetPager paging={paging} nextAfter={logs.data?.nextAfter} loading={logs.isFetching} />
      </Card>
    </Space>
  );
}
