import { EXCHANGE_RUN_STATUS } from '@rongjian/shared/api';
import { App, Button, Card, Form, Select, Space, Table, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { errorMessage } from '../../../shared/api/client.ts';
import { useCurrentUser } from '../../../shared/auth/api.ts';
import { can } from '../../../shared/auth/permissions.ts';
import { KeysetPager, useKeysetPaging } from '../../../shared/ui/KeysetPager.tsx';
import { QueryError } from '../../../shared/ui/QueryError.tsx';
import {
  type ExchangeRun,
  type ExchangeSource,
  useExchangeRuns,
  useExchangeSources,
  useSyncNow,
} from './api.ts';
import { HttpConfigModal } from './HttpConfigModal.tsx';
import { ImportModal } from './ImportModal.tsx';
import { MappingModal } from './MappingModal.tsx';
import { QualityDrawer } from './QualityDrawer.tsx';
import { RunDetailDrawer } from './RunDetailDrawer.tsx';

const STATUS_COLOR: Record<ExchangeRun['status'], string> = {
  running: 'processing',
  succeeded: 'success',
  failed: 'error',
};

const time = (iso: string | null) =>
  iso ? new Date(iso).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false }) : '—';

/**
 * 系统管理 › 数据交换: the exchange's sources (文件 and 接口) with their field mapping, file import, API sync and
 * its settings, each source's 数据质量, and the runs with their row errors.
 */
export default function ExchangePage() {
  const { message } = App.useApp();
  const me = useCurrentUser();
  const canUpdate = can(me, 'system:exchange:update');
  const canImport = can(me, 'system:exchange:import');
  const canSync = can(me, 'system:exchange:sync');
  const syncNow = useSyncNow();
  const sources = useExchangeSources();
  const [sourceFilter, setSourceFilter] = useState<string | undefined>();
  const paging = useKeysetPaging();
  // After 立即同步, follow the run list for a while: the background job starts the run a moment later.
  const [followUntil, setFollowUntil] = useState(0);
  const following = followUntil > Date.now();
  useEffect(() => {
    if (!following) return;
    const timer = setTimeout(() => setFollowUntil(0), followUntil - Date.now());
    return () => clearTimeout(timer);
  }, [following, followUntil]);
  const runs = useExchangeRuns({ source: sourceFilter, after: paging.after, limit: paging.limit }, following);
  const [mapping, setMapping] = useState<ExchangeSource | null>(null);
  const [importing, setImporting] = useState<ExchangeSource | null>(null);
  const [runId, setRunId] = useState<number | null>(null);
  const [configuring, setConfiguring] = useState<ExchangeSource | null>(null);
  const [inspecting, setInspecting] = useState<ExchangeSource | null>(null);

  const sync = async (s: ExchangeSource) => {
    try {
      const r = await syncNow.mutateAsync(s.name);
      setFollowUntil(Date.now() + 60_000);
      if (r.queued) message.success(r.message);
      else message.info(r.message);
    } catch (err) {
      message.error(errorMessage(err));
    }
  };

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Card title="数据源">
        <QueryError query={sources} />
        <Table<ExchangeSource>
          tableLayout="fixed"
          rowKey="name"
          size="middle"
          loading={sources.isLoading}
          dataSource={sources.data ?? []}
          pagination={false}
          columns={[
            { title: '名称', dataIndex: 'name', width: 160 },
            { title: '说明', dataIndex: 'label', width: 250 },
            { title: '数据集', dataIndex: 'datasetLabel', width: 76 },
            {
              title: '方式',
              dataIndex: 'kind',
              width: 110,
              render: (k: string, src) =>
                k === 'file' ? (
                  '文件'
                ) : (
                  <Space size={4}>
                    接口
                    <Tag color={src.enabled ? 'green' : 'default'}>{src.enabled ? '启用' : '停用'}</Tag>
                  </Space>
                ),
            },
            {
              title: '字段映射',
              ellipsis: true,
              render: (_, s) => (
                <Typography.Text type="secondary">
                  {s.fields
                    .filter((f) => s.mapping[f.key])
                    .map((f) => `${f.label} ← ${s.mapping[f.key]}`)
                    .join('；')}
                </Typography.Text>
              ),
            },
            {
              title: '操作',
              width: 280,
              render: (_: unknown, s: ExchangeSource) => (
                <Space size={0} wrap>
                  <Button type="link" size="small" onClick={() => setInspecting(s)}>
                    数据质量
                  </Button>
                  {canUpdate && (
                    <Button type="link" size="small" onClick={() => setMapping(s)}>
                      修改映射
                    </Button>
                  )}
                  {canImport && s.kind === 'file' && (
                    <Button type="link" size="small" onClick={() => setImporting(s)}>
                      导入文件
                    </Button>
                  )}
                  {canUpdate && s.kind === 'http' && (
                    <Button type="link" size="small" onClick={() => setConfiguring(s)}>
                      接口配置
                    </Button>
                  )}
                  {canSync && s.kind === 'http' && (
                    <Button
                      type="link"
                      size="small"
                      disabled={!s.http?.baseUrl}
                      loading={syncNow.isPending && syncNow.variables === s.name}
                      onClick={() => void sync(s)}
                    >
                      立即同步
                    </Button>
                  )}
                </Space>
              ),
            },
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
          tableLayout="fixed"
          rowKey="id"
          size="middle"
          loading={runs.isLoading}
          dataSource={runs.data?.items ?? []}
          pagination={false}
          columns={[
            { title: '批次', dataIndex: 'id', width: 64 },
            { title: '数据源', dataIndex: 'source', width: 140, ellipsis: true },
            { title: '文件 / 接口', dataIndex: 'fileName', ellipsis: true },
            { title: '开始时间', dataIndex: 'startedAt', width: 160, render: time },
            {
              title: '状态',
              dataIndex: 'status',
              width: 80,
              render: (s: ExchangeRun['status']) => (
                <Tag color={STATUS_COLOR[s]}>{EXCHANGE_RUN_STATUS[s]}</Tag>
              ),
            },
            { title: '读入', dataIndex: 'rowsIn', width: 76 },
            { title: '接收', dataIndex: 'accepted', width: 76 },
            {
              title: '拒绝',
              dataIndex: 'rejected',
              width: 76,
              render: (n: number) => (n > 0 ? <Typography.Text type="danger">{n}</Typography.Text> : n),
            },
            { title: '新增', dataIndex: 'inserted', width: 76 },
            { title: '更新', dataIndex: 'updated', width: 76 },
            { title: '操作人', dataIndex: 'actorName', width: 96, ellipsis: true },
            {
              title: '操作',
              width: 70,
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
      {canUpdate && <HttpConfigModal source={configuring} onClose={() => setConfiguring(null)} />}
      <QualityDrawer source={inspecting} onClose={() => setInspecting(null)} />
      <RunDetailDrawer runId={runId} onClose={() => setRunId(null)} />
    </Space>
  );
}
