import { ApiOutlined, CalendarOutlined, HomeOutlined, SettingOutlined } from '@ant-design/icons';
import type { MenuProps } from 'antd';
import type { ReactNode } from 'react';
import { can } from '../../shared/auth/permissions.ts';
import type { SessionUser } from '../../shared/auth/types.ts';

/**
 * The console's menu tree. An entry appears only when the module exists and the user holds its permission;
 * a group appears only when it has at least one visible entry. Breadcrumbs are derived from the same tree.
 */
export interface MenuNode {
  key: string;
  label: string;
  icon?: ReactNode;
  /** In-app route. */
  path?: string;
  /** Link that opens in a new tab (outside the single-page app). */
  href?: string;
  permission?: string;
  children?: MenuNode[];
}

export const MENU: MenuNode[] = [
  { key: '/', label: '首页', icon: <HomeOutlined />, path: '/' },
  {
    key: 'system',
    label: '系统管理',
    icon: <SettingOutlined />,
    children: [
      {
        key: '/system/calendar',
        label: '工作日历',
        icon: <CalendarOutlined />,
        path: '/system/calendar',
        permission: 'system:calendar:read',
      },
    ],
  },
  { key: 'api-docs', label: '接口文档', icon: <ApiOutlined />, href: '/api/docs' },
];

export function visibleMenu(user: SessionUser, nodes: MenuNode[] = MENU): MenuNode[] {
  const out: MenuNode[] = [];
  for (const n of nodes) {
    if (n.permission && !can(user, n.permission)) continue;
    if (n.children) {
      const children = visibleMenu(user, n.children);
      if (children.length) out.push({ ...n, children });
    } else out.push(n);
  }
  return out;
}

type MenuItem = Required<MenuProps>['items'][number];

export function toAntdItems(nodes: MenuNode[]): MenuItem[] {
  return nodes.map((n) => {
    if (n.children) return { key: n.key, icon: n.icon, label: n.label, children: toAntdItems(n.children) };
    const label = n.href ? (
      <a key={n.key} href={n.href} target="_blank" rel="noopener noreferrer">
        {n.label}
      </a>
    ) : (
      n.label
    );
    return { key: n.key, icon: n.icon, label };
  });
}

/** The chain of menu nodes leading to `pathname` (for breadcrumbs and the open submenu), or [] when unknown. */
export function menuTrail(pathname: string, nodes: MenuNode[] = MENU): MenuNode[] {
  for (const n of nodes) {
    if (n.path === pathname) return [n];
    if (n.children) {
      const sub = menuTrail(pathname, n.children);
      if (sub.length) return [n, ...sub];
    }
  }
  return [];
}
