import { ExportOutlined } from '@ant-design/icons';
import { ENTITY_TYPES, type RiskClass } from '@rongjian/shared';
import { Alert, App, Button, Card, Form, Input, Space, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { Link } from 'react-router';
import { errorMessage } from '../../shared/api/client.ts';
import { useCurrentUser } from '../../shared/auth/api.ts';
import { can } from '../../shared/auth/permissions.ts';
import { KeysetPager, useKeysetPaging } from '../../shared/ui/KeysetPager.tsx';
import { QueryError } from '../../shared/ui/QueryError.tsx';
import { SearchCard } from '../../shared/ui/SearchCard.tsx';
import { downloadFile, type EntityFilter, type EntitySummary, useEntities } from './api.ts';
import { EntityFilterFields } from './EntityFilterFields.tsx';
import { RiskTag } from './RiskTag.tsx';

const columns: ColumnsType<EntitySummary> = [
  {
    title: '名称',
    dataIndex: 'name',
    render: (name: string, e) => <Link to={`/entities/${e.id}`}>{name}</Link>,
  },
  { title: '统一社会信用代码', dataIndex: 'uscc', width: 190, render: (v: string | null) => v ?? '—' },
  { title: '类型', dataIndex: 'type', width: 120, render: (t: EntitySummary['type']) => ENTITY_TYPES[t] },
  { title: '地址', dataIndex: 'address', ellipsis: true },
  { title: '所属所', dataIndex: 'stationName', width: 140, render: (v: string | null) => v ?? '—' },
  { title: '网格', dataIndex: 'gridName', width: 140, render: (v: string | null) => v ?? '—' },
  {
    title: '业务条线',
    dataIndex: 'businessLines',
    render: (lines: string[]) => lines.map((l) => <Tag key={l}>{l}</Tag>),
  },
  {
    title: '风险分类',
    dataIndex: 'riskClass',
    width: 110,
    render: (r: RiskClass | null) => <RiskTag riskClass={r} />,
  },
];

/** 经营主体 (一户一档): search the register in one's data scope, open a profile, export the matches. */
export default function EntitySearchPage() {
  const me = useCurrentUser();
  const { message } = App.useApp();
  const [filter, setFilter] = useState<EntityFilter>({});
  const paging = useKeysetPaging();
  const list = useEntities(filter, paging.after, paging.limit);
  const [exporting, setExporting] = useState(false);

  const search = (values: Partial<EntityFilter>) => {
    const trimmed = Object.fromEntries(
      Object.entries(values).map(([k, v]) => [k, typeof v === 'string' ? v.trim() || undefined : v]),
    ) as EntityFilter;
    setFilter(trimmed);
    paging.reset();
  };

  const exportAll = () => {
    setExporting(true);
    downloadFile('/api/entities/export', { ...filter })
      .catch((e) => void message.error(errorMessage(e)))
      .finally(() => setExporting(false));
  };

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <SearchCard<EntityFilter> onSearch={search} name="entity-search">
        <Form.Item name="q" label="名称">
          <Input
            placeholder="名称片段，如 烧烤"
            title="名称中含有该片段即匹配（两个字即可），与名称完全相同的排在最前"
            allowClear
            maxLength={64}
            style={{ width: 180 }}
          />
        </Form.Item>
        {/* Codes are stored upper-case (GB 32100): `92320599ma` is typed, `92320599MA` is searched. */}
        <Form.Item name="uscc" label="信用代码" normalize={(v?: string) => v?.toUpperCase()}>
          <Input placeholder="代码前几位" allowClear maxLength={18} style={{ width: 180 }} />
        </Form.Item>
        <Form.Item name="address" label="地址">
          <Input placeholder="地址片段" allowClear maxLength={100} style={{ width: 180 }} />
        </Form.Item>
        <EntityFilterFields />
      </SearchCard>
      <Card variant="borderless">
        <Space style={{ marginBottom: 16, width: '100%', justifyContent: 'space-between' }}>
          <Typography.Title level={5} style={{ margin: 0 }}>
            经营主体
          </Typography.Title>
          {can(me, 'entity:profile:export') && (
            <Button icon={<ExportOutlined />} loading={exporting} onClick={exportAll}>
              导出
            </Button>
          )}
        </Space>
        <QueryError query={list} title="经营主体加载失败" />
        {list.data?.similar && (
          <Alert
            data-testid="entity-search-similar"
            type="info"
            showIcon
            style={{ marginBottom: 16 }}
            title={`没有名称包含“${filter.q}”的经营主体，以下是名称相近的 ${list.data.items.length} 户（按相似程度排列）`}
          />
        )}
        <Table<EntitySummary>
          rowKey="id"
          size="middle"
          columns={columns}
          dataSource={list.data?.items ?? []}
          loading={list.isFetching}
          pagination={false}
          scroll={{ x: 1100 }}
        />
        <KeysetPager
          paging={paging}
          nextAfter={list.data?.nextAfter}
          loading={list.isFetching}
          summary={
            list.data && !list.data.similar
              ? `共 ${list.data.total.toLocaleString('zh-CN')}${list.data.totalCapped ? '+' : ''} 户 · `
              : undefined
          }
        />
      </Card>
    </Space>
  );
}
