import { EXCHANGE_RUN_STATUS } from '@rongjian/shared/api';
import { Button, Card, Form, Select, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useCurrentUser } from '../../../shared/auth/api.ts';
import { can } from '../../../shared/auth/permissions.ts';
import { KeysetPager, useKeysetPaging } from '../../../shared/ui/KeysetPager.tsx';
import { QueryError } from '../../../shared/ui/QueryError.tsx';
import { type ExchangeRun, type ExchangeSource, useExchangeRuns, useExchangeSources } from './api.ts';
import { ImportModal } from './ImportModal.tsx';
import { MappingModal } from './MappingModal.tsx';
import { RunDetailDrawer } from './RunDetailDrawer.tsx';

const STATUS_COLOR: Record<ExchangeRun['status'], string> = {
  running: 'processing',
  succeeded: 'success',
  failed: 'error',
};

const time = (iso: string | null) =>
  iso ? new Date(iso).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false }) : '—';

/** 系统管理 › 数据交换: exchange sources and their field mapping, file import, import runs and data quality. */
export default function ExchangePage() {
  const me = useCurrentUser();
  const canUpdate = can(me, 'system:exchange:update');
  const canImport = can(me, 'system:exchange:import');
  const sources = useExchangeSources();
  const [sourceFilter, setSourceFilter] = useState<string | undefined>();
  const paging = useKeysetPaging();
  const runs = useExchangeRuns({ source: sourceFilter, after: paging.after, limit: paging.limit });
  const [mapping, setMapping] = useState<ExchangeSource | null>(null);
  const [importing, setImporting] = useState<ExchangeSource | null>(null);
  const [runId, setRunId] = useState<number | null>(null);

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Card title="数据源">
        <QueryError query={sources} />
        <Table<ExchangeSource>
          rowKey="name"
          size="middle"
          loading={sources.isLoading}
          dataSource={sources.data ?? []}
          pagination={false}
          columns={[
            { title: '名称', dataIndex: 'name', width: 180 },
            { title: '说明', dataIndex: 'label' },
            { title: '数据集', dataIndex: 'datasetLabel', width: 100 },
            {
              title: '方式',
              dataIndex: 'kind',
              width: 90,
              render: (k: string) => (k === 'file' ? '文件' : '接口'),
            },
            {
              title: '字段映射',
              render: (_, s) => (
                <Typography.Text type="secondary" ellipsis style={{ maxWidth: 420 }}>
                  {s.fields
                    .filter((f) => s.mapping[f.key])
                    .map((f) => `${f.label} ← ${s.mapping[f.key]}`)
                    .join('；')}
                </Typography.Text>
              ),
            },
            ...(canUpdate || canImport
              ? [
                  {
                    title: '操作',
                    width: 200,
                    render: (_: unknown, s: ExchangeSource) => (
                      <Space>
                        {canUpdate && (
                          <Button type="link" size="small" onClick={() => setMapping(s)}>
                            修改映射
                          </Button>
                        )}
                        {canImport && s.kind === 'file' && s.dataset === 'registration' && (
                          <Button type="link" size="small" onClick={() => setImporting(s)}>
                            导入文件
                          </Button>
                        )}
                      </Space>
                    ),
                  },
                ]
              : []),
          ]}
        />
      </Card>
      <Card title="导入批次">
        <Form layout="inline" style={{ marginBottom: 16 }}>
          <Form.Item label="数据源">
            <Select
              allowClear
              placeholder="全部"
              style={{ width: 220 }}
              value={sourceFilter}
              options={(sources.data ?? []).map((s) => ({ value: s.name, label: s.label }))}
              onChange={(v: string | undefined) => {
                setSourceFilter(v);
                paging.reset();
              }}
            />
          </Form.Item>
        </Form>
        <QueryError query={runs} />
        <Table<ExchangeRun>
          rowKey="id"
          size="middle"
          loading={runs.isLoading}
          dataSource={runs.data?.items ?? []}
          pagination={false}
          columns={[
            { title: '批次', dataIndex: 'id', width: 80 },
            { title: '数据源', dataIndex: 'source', width: 170 },
            { title: '文件', dataIndex: 'fileName', ellipsis: true },
            { title: '开始时间', dataIndex: 'startedAt', width: 170, render: time },
            {
              title: '状态',
              dataIndex: 'status',
              width: 90,
              render: (s: ExchangeRun['status']) => (
                <Tag color={STATUS_COLOR[s]}>{EXCHANGE_RUN_STATUS[s]}</Tag>
              ),
            },
            { title: '读入', dataIndex: 'rowsIn', width: 80 },
            { title: '接收', dataIndex: 'accepted', width: 80 },
            {
              title: '拒绝',
              dataIndex: 'rejected',
              width: 80,
              render: (n: number) => (n > 0 ? <Typography.Text type="danger">{n}</Typography.Text> : n),
            },
            { title: '新增', dataIndex: 'inserted', width: 80 },
            { title: '更新', dataIndex: 'updated', width: 80 },
            { title: '操作人', dataIndex: 'actorName', width: 110 },
            {
              title: '操作',
              width: 90,
              render: (_, r) => (
                <Button type="link" size="small" onClick={() => setRunId(r.id)}>
                  详情
                </Button>
              ),
            },
          ]}
        />
        <KeysetPager paging={paging} nextAfter={runs.data?.nextAfter} loading={runs.isFetching} />
      </Card>
      {canUpdate && <MappingModal source={mapping} onClose={() => setMapping(null)} />}
      {canImport && (
        <ImportModal
          source={importing}
          onClose={() => setImporting(null)}
          onShowRun={(id) => {
            setImporting(null);
            setRunId(id);
          }}
        />
      )}
      <RunDetailDrawer runId={runId} onClose={() => setRunId(null)} />
    </Space>
  );
}
