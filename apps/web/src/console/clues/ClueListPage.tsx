import {
  DeleteOutlined,
  ExportOutlined,
  PlusOutlined,
  ReloadOutlined,
  SaveOutlined,
  SearchOutlined,
} from '@ant-design/icons';
import type { ClueStatus, ClueSummary } from '@rongjian/shared/api';
import {
  App,
  Button,
  Card,
  Checkbox,
  DatePicker,
  Form,
  Input,
  Modal,
  Popconfirm,
  Select,
  Space,
  Table,
  Typography,
} from 'antd';
import type { ColumnsType } from 'antd/es/table';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { errorMessage } from '../../shared/api/client.ts';
import { useDict } from '../../shared/api/dicts.ts';
import { useCurrentUser } from '../../shared/auth/api.ts';
import { can } from '../../shared/auth/permissions.ts';
import { KeysetPager, useKeysetPaging } from '../../shared/ui/KeysetPager.tsx';
import { QueryError } from '../../shared/ui/QueryError.tsx';
import { downloadFile } from '../system/users/api.ts';
import {
  type ClueFilter,
  clueQuery,
  dateTime,
  type SavedView,
  useClues,
  useDeleteView,
  useSavedViews,
  useSaveView,
} from './api.ts';
import { useGridOptions } from './hooks.ts';
import {
  CHANNEL_OPTIONS,
  channelLabel,
  KIND_OPTIONS,
  kindLabel,
  STATUS_OPTIONS,
  StatusTag,
} from './labels.tsx';

const PAGE = 'clues';

interface FilterValues {
  q?: string;
  status?: ClueStatus[];
  kind?: ClueFilter['kind'];
  channel?: string;
  businessLine?: string;
  category12315?: string;
  departmentId?: number;
  gridId?: number;
  received?: [Dayjs | null, Dayjs | null] | null;
  includeMerged?: boolean;
}

function toFilter(v: FilterValues): ClueFilter {
  const f: ClueFilter = {
    q: v.q?.trim() || undefined,
    status: v.status?.length ? v.status : undefined,
    kind: v.kind,
    channel: v.channel,
    businessLine: v.businessLine,
    category12315: v.category12315,
    departmentId: v.departmentId,
    gridId: v.gridId,
    receivedFrom: v.received?.[0]?.format('YYYY-MM-DD'),
    receivedTo: v.received?.[1]?.format('YYYY-MM-DD'),
    includeMerged: v.includeMerged || undefined,
  };
  return Object.fromEntries(Object.entries(f).filter(([, x]) => x !== undefined)) as ClueFilter;
}

function toValues(f: Record<string, unknown>): FilterValues {
  const day = (s: unknown) => (typeof s === 'string' && dayjs(s).isValid() ? dayjs(s) : null);
  const from = day(f.receivedFrom);
  const to = day(f.receivedTo);
  return {
    q: (f.q as string | undefined) ?? undefined,
    status: Array.isArray(f.status) ? (f.status as ClueStatus[]) : undefined,
    kind: f.kind as FilterValues['kind'],
    channel: f.channel as string | undefined,
    businessLine: f.businessLine as string | undefined,
    category12315: f.category12315 as string | undefined,
    departmentId: typeof f.departmentId === 'number' ? f.departmentId : undefined,
    gridId: typeof f.gridId === 'number' ? f.gridId : undefined,
    received: from || to ? [from, to] : null,
    includeMerged: f.includeMerged === true,
  };
}

function SavedViews({ current, onApply }: { current: ClueFilter; onApply: (view: SavedView) => void }) {
  const { message } = App.useApp();
  const views = useSavedViews(PAGE);
  const save = useSaveView(PAGE);
  const remove = useDeleteView(PAGE);
  const [selected, setSelected] = useState<number | null>(null);
  const [naming, setNaming] = useState(false);
  const [name, setName] = useState('');
  const items = views.data?.items ?? [];
  const chosen = items.find((v) => v.id === selected) ?? null;

  const submit = async () => {
    const n = name.trim();
    if (!n) return void message.warning('请填写名称');
    try {
      const v = await save.mutateAsync({ page: PAGE, name: n, filter: current as Record<string, never> });
      setSelected(v.id);
      setNaming(false);
      void message.success(`已保存筛选「${v.name}」`);
    } catch (e) {
      void message.error(errorMessage(e));
    }
  };

  return (
    <Space wrap>
      <Select
        aria-label="保存的筛选"
        data-testid="saved-views"
        placeholder={items.length ? '选择保存的筛选' : '暂无保存的筛选'}
        style={{ width: 220 }}
        value={selected}
        allowClear
        loading={views.isPending}
        options={items.map((v) => ({ value: v.id, label: v.name }))}
        onChange={(id: number | undefined) => setSelected(id ?? null)}
        // onSelect, not onChange: picking the view already shown applies it again (after the form was changed).
        onSelect={(id: number | undefined) => {
          const v = items.find((x) => x.id === id);
          if (v) onApply(v);
        }}
      />
      <Button
        icon={<SaveOutlined />}
        onClick={() => {
          setName(chosen?.name ?? '');
          setNaming(true);
        }}
      >
        保存当前筛选
      </Button>
      {chosen && (
        <Popconfirm
          title={`删除保存的筛选「${chosen.name}」？`}
          okText="删除"
          cancelText="取消"
          onConfirm={async () => {
            try {
              await remove.mutateAsync(chosen.id);
              setSelected(null);
              void message.success('已删除');
            } catch (e) {
              void message.error(errorMessage(e));
            }
          }}
        >
          <Button icon={<DeleteOutlined />} danger aria-label="删除保存的筛选" />
        </Popconfirm>
      )}
      <Modal
        title="保存当前筛选"
        open={naming}
        okText="保存"
        confirmLoading={save.isPending}
        onOk={() => void submit()}
        onCancel={() => setNaming(false)}
        destroyOnHidden
      >
        <Typography.Paragraph type="secondary">
          保存在您的账号下，换一台电脑登录也能使用；同名筛选将被覆盖，每人最多 20 个。
        </Typography.Paragraph>
        <Input
          aria-label="筛选名称"
          placeholder="如：本周待分拣投诉"
          maxLength={30}
          value={name}
          autoFocus
          onChange={(e) => setName(e.target.value)}
          onPressEnter={() => void submit()}
        />
      </Modal>
    </Space>
  );
}

/**
 * 线索管理: every clue in the user's data scope, newest first, with a filter for every field of the API, saved
 * filters per user, keyset paging and the Excel export of the same filter.
 */
export default function ClueListPage() {
  const me = useCurrentUser();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const [form] = Form.useForm<FilterValues>();
  const [filter, setFilter] = useState<ClueFilter>({});
  const paging = useKeysetPaging<string>();
  const list = useClues(filter, paging.after, paging.limit);
  const [exporting, setExporting] = useState(false);
  const lines = useDict('business_line');
  const categories = useDict('category_12315');
  const places = useGridOptions();

  const apply = (f: ClueFilter) => {
    setFilter(f);
    paging.reset();
  };

  const columns: ColumnsType<ClueSummary> = [
    {
      title: '线索编号',
      dataIndex: 'number',
      width: 170,
      fixed: 'left',
      render: (n: string, c) => <Link to={`/clues/${c.id}`}>{n}</Link>,
    },
    { title: '类型', dataIndex: 'kind', width: 70, render: kindLabel },
    { title: '来源', dataIndex: 'channel', width: 100, render: channelLabel },
    { title: '标题', dataIndex: 'title', ellipsis: true },
    {
      title: '被投诉（举报）对象',
      dataIndex: 'respondentName',
      width: 200,
      ellipsis: true,
      render: (name: string, c) =>
        c.entityId ? <Link to={`/entities/${c.entityId}`}>{name || '—'}</Link> : name || '—',
    },
    {
      title: '状态',
      dataIndex: 'status',
      width: 100,
      render: (s: ClueStatus, c) => (
        <Space size={0} orientation="vertical">
          <StatusTag status={s} />
          {c.mergedIntoId ? (
            <Link to={`/clues/${c.mergedIntoId}`} style={{ fontSize: 12 }}>
              查看主线索
            </Link>
          ) : null}
        </Space>
      ),
    },
    { title: '业务条线', dataIndex: 'businessLine', width: 120, render: (v: string | null) => v ?? '—' },
    {
      title: '承办部门',
      dataIndex: 'departmentName',
      width: 140,
      ellipsis: true,
      render: (v: string | null) => v ?? '—',
    },
    {
      title: '网格',
      dataIndex: 'gridName',
      width: 120,
      ellipsis: true,
      render: (v: string | null) => v ?? '—',
    },
    { title: '收到时间', dataIndex: 'receivedAt', width: 170, render: (v: string) => dateTime(v) },
  ];

  const exportAll = () => {
    setExporting(true);
    downloadFile(`/api/clues/export${clueQuery(filter)}`)
      .catch((e) => void message.error(errorMessage(e)))
      .finally(() => setExporting(false));
  };

  const data = list.data;
  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Card variant="borderless">
        <Form<FilterValues>
          form={form}
          name="clue-search"
          layout="inline"
          style={{ rowGap: 12 }}
          onFinish={(v) => apply(toFilter(v))}
        >
          <Form.Item name="q" label="关键词">
            <Input placeholder="编号、工单号、对象或内容" allowClear maxLength={64} style={{ width: 220 }} />
          </Form.Item>
          <Form.Item name="status" label="状态">
            <Select
              mode="multiple"
              allowClear
              maxTagCount="responsive"
              placeholder="全部"
              options={STATUS_OPTIONS}
              style={{ width: 220 }}
            />
          </Form.Item>
          <Form.Item name="kind" label="类型">
            <Select allowClear placeholder="全部" options={KIND_OPTIONS} style={{ width: 110 }} />
          </Form.Item>
          <Form.Item name="channel" label="来源渠道">
            <Select allowClear placeholder="全部" options={CHANNEL_OPTIONS} style={{ width: 140 }} />
          </Form.Item>
          <Form.Item name="businessLine" label="业务条线">
            <Select allowClear placeholder="全部" options={lines.options} style={{ width: 170 }} />
          </Form.Item>
          <Form.Item name="category12315" label="12315 分类">
            <Select
              allowClear
              showSearch={{ optionFilterProp: 'label' }}
              placeholder="全部"
              options={categories.options}
              style={{ width: 170 }}
            />
          </Form.Item>
          <Form.Item name="departmentId" label="承办部门">
            <Select allowClear placeholder="全部" options={places.stations} style={{ width: 170 }} />
          </Form.Item>
          <Form.Item name="gridId" label="网格">
            <Select
              allowClear
              showSearch={{ optionFilterProp: 'label' }}
              placeholder="全部"
              options={places.grids}
              style={{ width: 200 }}
            />
          </Form.Item>
          <Form.Item name="received" label="收到日期">
            <DatePicker.RangePicker allowEmpty={[true, true]} style={{ width: 250 }} />
          </Form.Item>
          <Form.Item name="includeMerged" valuePropName="checked">
            <Checkbox>含已并案</Checkbox>
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
                  apply({});
                }}
              >
                重置
              </Button>
            </Space>
          </Form.Item>
        </Form>
        <div style={{ marginTop: 12 }}>
          <SavedViews
            current={filter}
            onApply={(v) => {
              form.resetFields();
              form.setFieldsValue(toValues(v.filter));
              apply(toFilter(toValues(v.filter)));
            }}
          />
        </div>
      </Card>
      <Card variant="borderless">
        <Space style={{ marginBottom: 16, width: '100%', justifyContent: 'space-between' }} wrap>
          <Typography.Title level={5} style={{ margin: 0 }}>
            线索
          </Typography.Title>
          <Space>
            {can(me, 'clue:clue:create') && (
              <Button type="primary" icon={<PlusOutlined />} onClick={() => void navigate('/clues/new')}>
                登记线索
              </Button>
            )}
            {can(me, 'clue:clue:export') && (
              <Button icon={<ExportOutlined />} loading={exporting} onClick={exportAll}>
                导出 Excel
              </Button>
            )}
          </Space>
        </Space>
        <QueryError query={list} title="线索加载失败" />
        <Table<ClueSummary>
          rowKey="id"
          size="middle"
          columns={columns}
          dataSource={data?.items ?? []}
          loading={list.isFetching}
          pagination={false}
          scroll={{ x: 1400 }}
          locale={{ emptyText: list.isPending ? ' ' : '没有符合条件的线索' }}
        />
        <KeysetPager
          paging={paging}
          nextAfter={data?.nextAfter}
          loading={list.isFetching}
          summaryTestId="clue-total"
          summary={data ? `共 ${data.total.toLocaleString('zh-CN')}${data.totalCapped ? '+' : ''} 条 · ` : ''}
        />
      </Card>
    </Space>
  );
}
