import { ReloadOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Input, Select, Space, Table, Tag, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { QueryError } from '../../../shared/ui/QueryError.tsx';
import {
  buildCatalogTree,
  type CatalogTreeNode,
  DUTY_COLORS,
  DUTY_LABELS,
  type Duty,
  NODE_TYPE_LABELS,
  usePermissionCatalog,
} from './api.ts';

interface Filter {
  keyword: string;
  duty?: Duty;
  roleCode?: string;
}

/** Keeps a node when it matches, or when one of its descendants does (so the path to it stays visible). */
function filterTree(nodes: CatalogTreeNode[], f: Filter): CatalogTreeNode[] {
  const kw = f.keyword.trim().toLowerCase();
  const own = (n: CatalogTreeNode) =>
    (!kw || [n.label, n.permission ?? '', n.path ?? ''].some((s) => s.toLowerCase().includes(kw))) &&
    (!f.duty || n.duty === f.duty) &&
    (!f.roleCode || n.roles.some((r) => r.code === f.roleCode));
  const out: CatalogTreeNode[] = [];
  for (const n of nodes) {
    const children = n.children ? filterTree(n.children, f) : [];
    if (own(n) || children.length > 0) {
      out.push({ ...n, ...(children.length > 0 ? { children } : { children: undefined }) });
    }
  }
  return out;
}

/** 系统管理 › 菜单权限: the permission catalogue as a tree table, with the roles holding each entry. */
export default function PermissionsPage() {
  const catalog = usePermissionCatalog();
  const [filter, setFilter] = useState<Filter>({ keyword: '' });
  const nodes = catalog.data?.nodes;
  const tree = useMemo(() => (nodes ? buildCatalogTree(nodes) : []), [nodes]);
  const shown = useMemo(() => filterTree(tree, filter), [tree, filter]);
  const roleOptions = useMemo(() => {
    const seen = new Map<string, string>();
    for (const n of nodes ?? []) for (const r of n.roles) seen.set(r.code, r.name);
    return [...seen].map(([value, label]) => ({ value, label }));
  }, [nodes]);
  const filtering = !!(filter.keyword.trim() || filter.duty || filter.roleCode);

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Alert
        type="info"
        showIcon
        title="权限标识格式为 模块:对象:操作；菜单决定页面可见，按钮决定操作可用"
        description="等保三级要求三员分立：一个角色只能拥有系统管理、安全管理、安全审计中一类管理权限，且管理权限不能与业务权限混合（业务角色可共享“工作日历”的查看权限）。在“角色管理”中为角色勾选权限。"
      />
      <Card variant="borderless">
        <Space wrap>
          <Input.Search
            placeholder="名称、权限标识或路由"
            allowClear
            style={{ width: 260 }}
            onSearch={(keyword) => setFilter((f) => ({ ...f, keyword }))}
            aria-label="搜索权限"
          />
          <Select
            placeholder="职责"
            allowClear
            style={{ width: 140 }}
            value={filter.duty}
            onChange={(duty?: Duty) => setFilter((f) => ({ ...f, duty }))}
            options={(Object.keys(DUTY_LABELS) as Duty[]).map((d) => ({ value: d, label: DUTY_LABELS[d] }))}
          />
          <Select
            placeholder="持有角色"
            allowClear
            showSearch={{ optionFilterProp: 'label' }}
            style={{ width: 180 }}
            value={filter.roleCode}
            onChange={(roleCode?: string) => setFilter((f) => ({ ...f, roleCode }))}
            options={roleOptions}
          />
          <Button icon={<ReloadOutlined />} onClick={() => void catalog.refetch()}>
            刷新
          </Button>
        </Space>
      </Card>
      <Card variant="borderless" title="权限目录">
        <QueryError query={catalog} />
        <Table<CatalogTreeNode>
          // Remount when the data or a filter arrives so that every row starts expanded.
          key={`${nodes?.length ?? 0}-${filtering}-${JSON.stringify(filter)}`}
          rowKey="key"
          size="middle"
          loading={catalog.isFetching}
          dataSource={shown}
          pagination={false}
          expandable={{ defaultExpandAllRows: true }}
          scroll={{ x: 1100 }}
          columns={[
            { title: '名称', dataIndex: 'label', width: 220 },
            {
              title: '类型',
              dataIndex: 'type',
              width: 80,
              render: (t: CatalogTreeNode['type']) => (
                <Tag color={NODE_TYPE_LABELS[t].color}>{NODE_TYPE_LABELS[t].label}</Tag>
              ),
            },
            {
              title: '权限标识',
              dataIndex: 'permission',
              width: 220,
              render: (p: string | null) =>
                p ? (
                  <Typography.Text code copyable={{ text: p, tooltips: ['复制', '已复制'] }}>
                    {p}
                  </Typography.Text>
                ) : (
                  '—'
                ),
            },
            { title: '路由地址', dataIndex: 'path', width: 180, render: (p: string | null) => p ?? '—' },
            {
              title: '职责',
              dataIndex: 'duty',
              width: 150,
              render: (d: Duty, n) => (
                <Space size={4}>
                  <Tag color={DUTY_COLORS[d]}>{DUTY_LABELS[d]}</Tag>
                  {n.shared && <Tag title="业务角色也可持有">共享</Tag>}
                </Space>
              ),
            },
            {
              title: '持有角色',
              dataIndex: 'roles',
              render: (roles: CatalogTreeNode['roles'], n) =>
                n.type === 'directory' ? null : roles.length === 0 ? (
                  <Typography.Text type="secondary">无</Typography.Text>
                ) : (
                  <Space size={[4, 4]} wrap>
                    {roles.map((r) => (
                      <Tag key={r.code}>{r.name}</Tag>
                    ))}
                  </Space>
                ),
            },
          ]}
        />
      </Card>
    </Space>
  );
}
