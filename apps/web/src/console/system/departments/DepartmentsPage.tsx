import { DeleteOutlined, DragOutlined, EditOutlined, PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { App, Button, Card, Input, Popconfirm, Space, Table, Tag, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { errorMessage } from '../../../shared/api/client.ts';
import { useCurrentUser } from '../../../shared/auth/api.ts';
import { can } from '../../../shared/auth/permissions.ts';
import { QueryError } from '../../../shared/ui/QueryError.tsx';
import {
  ALLOWED_PARENT_KINDS,
  DEPARTMENT_KIND_LABELS,
  type DepartmentNode,
  KIND_COLORS,
  useDeleteDepartment,
  useDepartmentTree,
} from './api.ts';
import { type DepartmentAction, DepartmentModal } from './DepartmentModal.tsx';

type Row = Omit<DepartmentNode, 'children'> & { children?: Row[] };

/** antd's tree table wants no `children` key on leaves (else every row shows an expander). */
function toRows(nodes: DepartmentNode[], keep?: (n: DepartmentNode) => boolean): Row[] {
  return nodes.flatMap((n) => {
    const children = toRows(n.children, keep);
    if (keep && !keep(n) && children.length === 0) return [];
    const { children: _, ...rest } = n;
    return [children.length > 0 ? { ...rest, children } : rest];
  });
}

const canHaveChildren = (n: Pick<DepartmentNode, 'kind'>) =>
  Object.values(ALLOWED_PARENT_KINDS).some((parents) => parents.includes(n.kind));

/** 系统管理 › 部门管理: 局 → 科室 / 分局 / 市场监管所, with people counts; add, edit, move and delete. */
export default function DepartmentsPage() {
  const user = useCurrentUser();
  const { message } = App.useApp();
  const tree = useDepartmentTree();
  const remove = useDeleteDepartment();
  const [search, setSearch] = useState('');
  const [action, setAction] = useState<DepartmentAction | null>(null);
  const canCreate = can(user, 'system:department:create');
  const canUpdate = can(user, 'system:department:update');
  const canDelete = can(user, 'system:department:delete');
  const nodes = tree.data?.items ?? [];
  const rows = useMemo(() => {
    const q = search.trim();
    return toRows(nodes, q ? (n) => n.name.includes(q) || n.code.includes(q) : undefined);
  }, [nodes, search]);
  const byId = useMemo(() => {
    const m = new Map<number, DepartmentNode>();
    const walk = (list: DepartmentNode[]) => {
      for (const n of list) {
        m.set(n.id, n);
        walk(n.children);
      }
    };
    walk(nodes);
    return m;
  }, [nodes]);

  return (
    <Card
      variant="borderless"
      title="部门管理"
      extra={
        <Space wrap>
          <Input.Search placeholder="部门名称或编码" allowClear onSearch={setSearch} style={{ width: 220 }} />
          <Button icon={<ReloadOutlined />} onClick={() => void tree.refetch()}>
            刷新
          </Button>
          {canCreate && (
            <Button
              type="primary"
              icon={<PlusOutlined />}
              onClick={() => setAction({ mode: 'create', parent: null })}
            >
              新增顶级局
            </Button>
          )}
        </Space>
      }
    >
      <Typography.Paragraph type="secondary">
        人数为直属人员 / 含下级部门的人员。有下级部门、人员、网格或经营主体的部门不能删除。
      </Typography.Paragraph>
      <QueryError query={tree} />
      <Table<Row>
        rowKey="id"
        size="middle"
        loading={tree.isFetching}
        dataSource={rows}
        pagination={false}
        expandable={{ defaultExpandAllRows: true }}
        key={`${search}-${byId.size}`}
        scroll={{ x: 1000 }}
        columns={[
          { title: '部门名称', dataIndex: 'name', width: 260 },
          {
            title: '类型',
            dataIndex: 'kind',
            width: 110,
            render: (k: Row['kind']) => <Tag color={KIND_COLORS[k]}>{DEPARTMENT_KIND_LABELS[k]}</Tag>,
          },
          {
            title: '编码',
            dataIndex: 'code',
            width: 130,
            render: (c: string) => <Typography.Text code>{c}</Typography.Text>,
          },
          { title: '行政区划', dataIndex: 'regionCode', width: 110, render: (v: string | null) => v ?? '—' },
          {
            title: '人数',
            key: 'users',
            width: 100,
            align: 'right',
            render: (_: unknown, r) => `${r.userCount} / ${r.subtreeUserCount}`,
          },
          { title: '排序', dataIndex: 'sort', width: 70, align: 'right' },
          ...(canCreate || canUpdate || canDelete
            ? [
                {
                  title: '操作',
                  key: 'op',
                  width: 330,
                  render: (_: unknown, r: Row) => {
                    const node = byId.get(r.id)!;
                    return (
                      <Space size={0} wrap>
                        {canCreate && canHaveChildren(r) && (
                          <Button
                            type="link"
                            size="small"
                            icon={<PlusOutlined />}
                            onClick={() => setAction({ mode: 'create', parent: node })}
                          >
                            新增下级
                          </Button>
                        )}
                        {canUpdate && (
                          <Button
                            type="link"
                            size="small"
                            icon={<EditOutlined />}
                            onClick={() => setAction({ mode: 'edit', node })}
                          >
                            编辑
                          </Button>
                        )}
                        {canUpdate && (
                          <Button
                            type="link"
                            size="small"
                            icon={<DragOutlined />}
                            onClick={() => setAction({ mode: 'move', node })}
                          >
                            移动
                          </Button>
                        )}
                        {canDelete && (
                          <Popconfirm
                            title={`删除“${r.name}”？`}
                            okText="删除"
                            okButtonProps={{ danger: true }}
                            onConfirm={() =>
                              remove.mutateAsync(r.id).then(
                                () => void message.success(`已删除 ${r.name}`),
                                (e) => void message.error(errorMessage(e)),
                              )
                            }
                          >
                            <Button type="link" size="small" danger icon={<DeleteOutlined />}>
                              删除
                            </Button>
                          </Popconfirm>
                        )}
                      </Space>
                    );
                  },
                },
              ]
            : []),
        ]}
      />
      <DepartmentModal action={action} tree={nodes} onClose={() => setAction(null)} />
    </Card>
  );
}
