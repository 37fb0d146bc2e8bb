import { ReloadOutlined, SearchOutlined } from '@ant-design/icons';
import { Alert, Button, Card, DatePicker, Form, Input, Select, Space, Table, Tag, Tooltip } from 'antd';
import type { Dayjs } from 'dayjs';
import dayjs from 'dayjs';
import { useState } from 'react';
import { errorMessage } from '../../../shared/api/client.ts';
import { KeysetPager, RESULT_OPTIONS, useKeysetCursor } from '../pager.tsx';
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
  const [form] = Form.useForm<SearchValues>();
  const [filter, setFilter] = useState<Filter>({});
  const [limit, setLimit] = useState(20);
  const cursor = useKeysetCursor();
  const logs = useLoginLogs({ ...filter, after: cursor.after, limit });

  const search = (v: SearchValues) => {
    setFilter({
      from: v.range?.[0]?.toISOString(),
      to: v.range?.[1]?.toISOString(),
      username: v.username?.trim() || undefined,
      ip: v.ip?.trim() || undefined,
      result: v.result,
    });
    cursor.reset();
  };

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Card variant="borderless">
        <Form form={form} layout="inline" onFinish={search} style={{ rowGap: 12 }}>
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
          <Form.Item>
            <Space>
              <Button type="primary" htmlType="submit" icon={<SearchOutlined />}>
                搜索
              </Button>
              <Button
                icon={<ReloadOutlined />}
                onClick={() => {
                  form.resetFields();
                  search({});
                }}
              >
                重置
              </Button>
            </Space>
          </Form.Item>
        </Form>
      </Card>
      <Card variant="borderless" title="登录日志">
        {logs.isError && (
          <Alert type="error" showIcon title="加载失败" description={errorMessage(logs.error)} />
        )}
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
        <KeysetPager
          page={cursor.page}
          hasNext={logs.data?.nextAfter != null}
          loading={logs.isFetching}
          onPrev={cursor.prev}
          onNext={() => logs.data?.nextAfter != null && cursor.next(logs.data.nextAfter)}
          pageSize={limit}
          onPageSize={(n) => {
            setLimit(n);
            cursor.reset();
          }}
        />
      </Card>
    </Space>
  );
}
