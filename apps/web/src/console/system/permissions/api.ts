import type { PermissionCatalog, PermissionNodeView } from '@rongjian/shared/api';
import { useQuery } from '@tanstack/react-query';
import { api } from '../../../shared/api/client.ts';

// Server contract: `@rongjian/shared/api` (roles.ts). The catalogue arrives flat, in tree order.

export type { PermissionNodeView } from '@rongjian/shared/api';

export interface CatalogTreeNode extends PermissionNodeView {
  children?: CatalogTreeNode[];
}

export type Duty = PermissionNodeView['duty'];

export const DUTY_LABELS: Record<Duty, string> = {
  system: '系统管理',
  security: '安全管理',
  audit: '安全审计',
  business: '业务',
};

export const DUTY_COLORS: Record<Duty, string> = {
  system: 'blue',
  security: 'orange',
  audit: 'purple',
  business: 'green',
};

export const NODE_TYPE_LABELS: Record<PermissionNodeView['type'], { label: string; color: string }> = {
  directory: { label: '目录', color: 'geekblue' },
  menu: { label: '菜单', color: 'cyan' },
  button: { label: '按钮', color: 'default' },
};

export const permissionKeys = { catalog: ['system', 'permissions'] as const };

export function usePermissionCatalog() {
  return useQuery({
    queryKey: permissionKeys.catalog,
    queryFn: ({ signal }) => api.get<PermissionCatalog>('/api/system/permissions', undefined, signal),
  });
}

/** Rebuild the tree from the flat list (leaves get no `children`, so tables show no expand icon for them). */
export function buildCatalogTree(nodes: readonly PermissionNodeView[]): CatalogTreeNode[] {
  const byKey = new Map<string, CatalogTreeNode>();
  const roots: CatalogTreeNode[] = [];
  for (const n of nodes) byKey.set(n.key, { ...n });
  for (const n of nodes) {
    const node = byKey.get(n.key)!;
    const parent = n.parentKey ? byKey.get(n.parentKey) : undefined;
    if (!parent) roots.push(node);
    else if (parent.children) parent.children.push(node);
    else parent.children = [node];
  }
  return roots;
}
