import { ApartmentOutlined } from '@ant-design/icons';
import type { UserOptions } from '@rongjian/shared/api';
import { DEPARTMENT_KIND_LABELS } from '@rongjian/shared/org';
import { Card, Empty, Input, Spin, Tree } from 'antd';
import type { DataNode } from 'antd/es/tree';
import { useMemo, useState } from 'react';

type Dept = UserOptions['departments'][number];

export interface DeptNode extends DataNode {
  key: number;
  title: string;
  children: DeptNode[];
}

/** Nest a flat department list; a department whose parent is not in the list becomes a root. */
export function departmentTree(departments: Dept[], match?: (d: Dept) => boolean): DeptNode[] {
  const nodes = new Map<number, DeptNode>();
  for (const d of departments) nodes.set(d.id, { key: d.id, title: d.name, children: [] });
  const roots: DeptNode[] = [];
  for (const d of departments) {
    const parent = d.parentId === null ? undefined : nodes.get(d.parentId);
    (parent ? parent.children : roots).push(nodes.get(d.id)!);
  }
  if (!match) return roots;
  // Keep matches and the path down to them.
  const prune = (list: DeptNode[]): DeptNode[] =>
    list.flatMap((n) => {
      const children = prune(n.children);
      const self = departments.find((d) => d.id === n.key)!;
      return match(self) || children.length > 0 ? [{ ...n, children }] : [];
    });
  return prune(roots);
}

interface Props {
  departments: Dept[] | undefined;
  loading: boolean;
  selected: number | undefined;
  onSelect: (id: number | undefined) => void;
}

/** Left side of 用户管理: pick a department to list its users (and, by default, those of its subtree). */
export function DepartmentFilterTree({ departments, loading, selected, onSelect }: Props) {
  const [search, setSearch] = useState('');
  const tree = useMemo(() => {
    const q = search.trim();
    return departmentTree(departments ?? [], q ? (d) => d.name.includes(q) || d.code.includes(q) : undefined);
  }, [departments, search]);
  const kinds = useMemo(() => new Map((departments ?? []).map((d) => [d.id, d.kind])), [departments]);

  return (
    <Card
      variant="borderless"
      title={
        <span>
          <ApartmentOutlined /> 部门
        </span>
      }
      styles={{ body: { paddingTop: 12 } }}
    >
      <Input.Search
        placeholder="搜索部门"
        allowClear
        onChange={(e) => setSearch(e.target.value)}
        style={{ marginBottom: 8 }}
      />
      {loading && <Spin />}
      {!loading && tree.length === 0 && <Empty description="没有可见的部门" />}
      {tree.length > 0 && (
        <Tree<DeptNode>
          blockNode
          defaultExpandAll
          key={search}
          treeData={tree}
          selectedKeys={selected === undefined ? [] : [selected]}
          onSelect={(keys) => onSelect(keys.length > 0 ? Number(keys[0]) : undefined)}
          titleRender={(n) => {
            const kind = kinds.get(n.key);
            return <span title={kind ? DEPARTMENT_KIND_LABELS[kind] : undefined}>{n.title}</span>;
          }}
        />
      )}
    </Card>
  );
}
