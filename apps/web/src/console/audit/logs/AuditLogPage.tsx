import { SafetyCertificateOutlined } from '@ant-design/icons';
import { Alert, Button, Card, DatePicker, Form, Input, Select, Space, Table, Tag, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { errorMessage } from '../../../shared/api/client.ts';
import { KeysetPager, useKeysetPaging } from '../../../shared/ui/KeysetPager.tsx';
import { QueryError } from '../../../shared/ui/QueryError.tsx';
import { SearchCard } from '../../../shared/ui/SearchCard.tsx';
import { RESULT_OPTIONS } from '../result.ts';
import { actionLabel } from './actions.ts';
import { type AuditLog, type AuditLogQuery, useAuditLogs, useVerifyChain } from './api.ts';
import { AuditLogDrawer } from './AuditLogDrawer.tsx';

interface SearchValues {
  range?: [Dayjs | null, Dayjs | null] | null;
  actor?: string;
  action?: string;
  objectType?: string;
  objectId?: string;
  result?: 'success' | 'failure';
  keyword?: string;
}

type Filter = Omit<AuditLogQuery, 'after' | 'limit'>;

function toFilter(v: SearchValues): Filter {
  const t = (s: string | undefined) => s?.trim() || undefined;
  return {
    from: v.range?.[0]?.toISOString(),
    to: v.range?.[1]?.toISOString(),
    actor: t(v.actor),
    action: t(v.action),
    objectType: t(v.objectType),
    objectId: t(v.objectId),
    result: v.result,
    keyword: t(v.keyword),
  };
}

/** The chain check: a banner that says whether any record was altered, slipped in or removed. */
function VerifyBanner() {
  const verify = useVerifyChain();
  const r = verify.data;
  const button = (
    <Button icon={<SafetyCertificateOutlined />} loading={verify.isPending} onClick={() => verify.mutate()}>
      校验审计链
    </Button>
  );
  if (verify.isError) {
    return (
      <Alert
        type="error"
        showIcon
        title="审计链校验未能完成"
        description={errorMessage(verify.error)}
        action={button}
      />
    );
  }
  if (!r) {
    return (
      <Alert
        type="info"
        showIcon
        title="审计记录只增不改，每条记录都以 SM3 哈希与前一条相连"
        description="点击“校验审计链”逐条核对：任何一条被修改、插入或删除都会被发现并指出记录编号。"
        action={button}
      />
    );
  }
  const at = dayjs(r.checkedAt).format('YYYY-MM-DD HH:mm:ss');
  return (
    <Alert
      type={r.ok ? 'success' : 'error'}
      showIcon
      title={r.message}
      description={r.ok ? `校验时间：${at}` : `校验时间：${at}。请立即保全证据并报告安全管理员。`}
      action={button}
      data-testid="verify-result"
    />
  );
}

/** 安全审计 › 审计日志: every change and security event, searchable, read-only, for the 审计管理员. */
export default function AuditLogPage() {
  const [filter, setFilter] = useState<Filter>({});
  const paging = useKeysetPaging();
  const [openId, setOpenId] = useState<number | null>(null);
  const logs = useAuditLogs({ ...filter, after: paging.after, limit: paging.limit });

  const search = (v: SearchValues) => {
    setFilter(toFilter(v));
    paging.reset();
  };

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <VerifyBanner />
      <SearchCard onSearch={search}>
        <Form.Item name="range" label="时间">
          <DatePicker.RangePicker showTime allowEmpty={[true, true]} />
        </Form.Item>
        <Form.Item name="actor" label="操作人">
          <Input placeholder="姓名或账号" allowClear style={{ width: 140 }} />
        </Form.Item>
        <Form.Item name="action" label="操作">
          <Input placeholder="前缀，如 system:user" allowClear style={{ width: 190 }} />
        </Form.Item>
        <Form.Item name="objectType" label="对象类型">
          <Input placeholder="如 user" allowClear style={{ width: 120 }} />
        </Form.Item>
        <Form.Item name="objectId" label="对象编号">
          <Input allowClear style={{ width: 110 }} />
        </Form.Item>
        <Form.Item name="result" label="结果">
          <Select allowClear placeholder="全部" options={RESULT_OPTIONS} style={{ width: 100 }} />
        </Form.Item>
        <Form.Item name="keyword" label="说明含">
          <Input placeholder="关键字" allowClear style={{ width: 150 }} />
        </Form.Item>
      </SearchCard>
      <Card variant="borderless" title="审计日志">
        <QueryError query={logs} />
        <Table<AuditLog>
          rowKey="id"
          size="middle"
          loading={logs.isFetching}
          dataSource={logs.data?.items ?? []}
          pagination={false}
          scroll={{ x: 1100 }}
          columns={[
            { title: '编号', dataIndex: 'id', width: 80 },
            {
              title: '时间',
              dataIndex: 'occurredAt',
              width: 170,
              render: (v: string) => dayjs(v).format('YYYY-MM-DD HH:mm:ss'),
            },
            { title: '操作人', dataIndex: 'actorName', width: 120 },
            { title: 'IP 地址', dataIndex: 'ip', width: 130, render: (v: string | null) => v ?? '—' },
            {
              title: '操作',
              dataIndex: 'action',
              width: 280,
              render: (v: string) => (
                <Space size={4} wrap>
                  {actionLabel(v) && <Tag>{actionLabel(v)}</Tag>}
                  <Typography.Text code>{v}</Typography.Text>
                </Space>
              ),
            },
            {
              title: '对象',
              key: 'object',
              width: 140,
              render: (_: unknown, r) =>
                r.objectType ? `${r.objectType}${r.objectId ? ` #${r.objectId}` : ''}` : '—',
            },
            {
              title: '结果',
              dataIndex: 'result',
              width: 80,
              render: (v: AuditLog['result']) =>
                v === 'success' ? <Tag color="green">成功</Tag> : <Tag color="red">失败</Tag>,
            },
            {
              title: '说明',
              dataIndex: 'detail',
              ellipsis: true,
              render: (v: string | null, r) => (
                <>
                  {r.archived && <Tag color="default">已归档</Tag>}
                  {v || '—'}
                </>
              ),
            },
            {
              title: '操作',
              key: 'ops',
              width: 80,
              fixed: 'right',
              render: (_: unknown, r) => (
                <Button type="link" size="small" onClick={() => setOpenId(r.id)}>
                  详情
                </Button>
              ),
            },
          ]}
        />
        <KeysetPager paging={paging} nextAfter={logs.data?.nextAfter} loading={logs.isFetching} />
      </Card>
      <AuditLogDrawer id={openId} onClose={() => setOpenId(null)} />
    </Space>
  );
}
