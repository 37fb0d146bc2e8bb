import { Alert, Space, Tag, Tree, type TreeDataNode, Typography } from 'antd';
import { useMemo } from 'react';
import {
  buildCatalogTree,
  type CatalogTreeNode,
  DUTY_COLORS,
  DUTY_LABELS,
  type Duty,
  NODE_TYPE_LABELS,
  type PermissionNodeView,
} from '../permissions/api.ts';

/** Every permission in a node's subtree, its own first. */
function subtreePermissions(n: CatalogTreeNode): string[] {
  return [...(n.permission ? [n.permission] : []), ...(n.children ?? []).flatMap(subtreePermissions)];
}

/**
 * The same rule the server enforces (roles.rules.ts), to warn while ticking: at most one administrator duty, and
 * administration never mixed with business work (the shared calendar reading excepted).
 */
export function separationWarning(
  nodes: readonly PermissionNodeView[],
  selected: ReadonlySet<string>,
): string | null {
  const strict = new Set<Duty>();
  const any = new Set<Duty>();
  let business = false;
  for (const n of nodes) {
    if (!n.permission || !selected.has(n.permission)) continue;
    if (n.duty === 'business') business = true;
    else {
      any.add(n.duty);
      if (!n.shared) strict.add(n.duty);
    }
  }
  if (any.size > 1) {
    return `三员分立：同一角色不能同时拥有${[...any].map((d) => `「${DUTY_LABELS[d]}」`).join('与')}的权限，保存时将被拒绝。`;
  }
  const [admin] = strict;
  if (admin && business)
    return `三员分立：拥有「${DUTY_LABELS[admin]}」权限的角色不能同时拥有业务权限，保存时将被拒绝。`;
  return null;
}

/**
 * The permission catalogue as a checkable tree (目录 → 菜单 → 按钮). The value is the set of concrete permission
 * strings: ticking a node adds its whole subtree plus the menu a button lives on (a button on a page one cannot
 * open is useless); unticking removes the subtree. Parents show checked/half-checked from their subtree.
 */
export function PermissionTree(props: {
  nodes: readonly PermissionNodeView[];
  value: readonly string[];
  onChange?: (next: string[]) => void;
  disabled?: boolean;
}) {
  const { nodes, value, onChange, disabled } = props;
  const tree = useMemo(() => buildCatalogTree(nodes), [nodes]);
  const byKey = useMemo(() => {
    const m = new Map<string, { node: CatalogTreeNode; parents: CatalogTreeNode[] }>();
    const walk = (list: CatalogTreeNode[], parents: CatalogTreeNode[]) => {
      for (const n of list) {
        m.set(n.key, { node: n, parents });
        if (n.children) walk(n.children, [...parents, n]);
      }
    };
    walk(tree, []);
    return m;
  }, [tree]);
  const selected = useMemo(() => new Set(value), [value]);

  const checkedKeys = useMemo(() => {
    const checked: string[] = [];
    const halfChecked: string[] = [];
    for (const [key, { node }] of byKey) {
      const perms = subtreePermissions(node);
      const held = perms.filter((p) => selected.has(p)).length;
      if (perms.length > 0 && held === perms.length) checked.push(key);
      else if (held > 0) halfChecked.push(key);
    }
    return { checked, halfChecked };
  }, [byKey, selected]);

  const treeData = useMemo(() => {
    const toData = (n: CatalogTreeNode): TreeDataNode => ({
      key: n.key,
      title: (
        <Space size={6}>
          <span>{n.label}</span>
          {n.type === 'directory' ? (
            <Tag color={DUTY_COLORS[n.duty]}>{DUTY_LABELS[n.duty]}</Tag>
          ) : (
            <Tag color={NODE_TYPE_LABELS[n.type].color}>{NODE_TYPE_LABELS[n.type].label}</Tag>
          )}
          {n.permission && (
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {n.permission}
            </Typography.Text>
          )}
        </Space>
      ),
      ...(n.children ? { children: n.children.map(toData) } : { isLeaf: true }),
    });
    return tree.map(toData);
  }, [tree]);

  const warning = separationWarning(nodes, selected);

  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      {warning && <Alert type="warning" showIcon title={warning} data-testid="separation-warning" />}
      <Tree
        checkable
        checkStrictly
        selectable={false}
        defaultExpandAll
        // A fixed height (virtual scrolling) keeps the separation warning above the tree in view.
        height={560}
        disabled={disabled}
        treeData={treeData}
        checkedKeys={checkedKeys}
        onCheck={(_keys, info) => {
          const entry = byKey.get(String(info.node.key));
          if (!entry || !onChange) return;
          const next = new Set(selected);
          const perms = subtreePermissions(entry.node);
          if (info.checked) {
            for (const p of perms) next.add(p);
            for (const parent of entry.parents) if (parent.permission) next.add(parent.permission);
          } else {
            for (const p of perms) next.delete(p);
          }
          // Keep catalogue order so that saved lists read like the tree.
          onChange(
            nodes
              .flatMap((n) => (n.permission && next.has(n.permission) ? [n.permission] : []))
              .filter((p, i, all) => all.indexOf(p) === i),
          );
        }}
      />
    </Space>
  );
}
