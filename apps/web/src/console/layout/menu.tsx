import {
  AlertOutlined,
  ApartmentOutlined,
  ApiOutlined,
  AuditOutlined,
  BellOutlined,
  BookOutlined,
  CalendarOutlined,
  CloudSyncOutlined,
  ControlOutlined,
  DesktopOutlined,
  FileAddOutlined,
  FileTextOutlined,
  InboxOutlined,
  FieldTimeOutlined,
  FileSearchOutlined,
  GlobalOutlined,
  MergeCellsOutlined,
  HomeOutlined,
  IdcardOutlined,
  KeyOutlined,
  LoginOutlined,
  NotificationOutlined,
  SafetyCertificateOutlined,
  SettingOutlined,
  ShopOutlined,
  TeamOutlined,
  UserOutlined,
  BorderOuterOutlined,
  CheckSquareOutlined,
  ExperimentOutlined,
  LineChartOutlined,
  RadarChartOutlined,
} from '@ant-design/icons';
import type { MenuProps } from 'antd';
import type { ReactNode } from 'react';
import { can } from '../../shared/auth/permissions.ts';
import type { SessionUser } from '../../shared/auth/types.ts';
import { InboxMenuLabel } from '../inbox/InboxBell.tsx';

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
    key: '/inbox',
    label: '我的待办',
    icon: <CheckSquareOutlined />,
    path: '/inbox',
    permission: 'inbox:item:read',
  },
  {
    key: '/entities',
    label: '经营主体 (一户一档)',
    icon: <ShopOutlined />,
    path: '/entities',
    permission: 'entity:profile:read',
  },
  {
    key: '/risk',
    label: '风险分类',
    icon: <AlertOutlined />,
    path: '/risk',
    permission: 'entity:profile:read',
  },
  { key: '/map', label: '一张图', icon: <GlobalOutlined />, path: '/map', permission: 'entity:map:read' },
  {
    key: '/entities/merges',
    label: '主体合并',
    icon: <MergeCellsOutlined />,
    path: '/entities/merges',
    permission: 'entity:match:read',
  },
  {
    key: 'clue',
    label: '线索归集',
    icon: <InboxOutlined />,
    children: [
      {
        key: '/clues',
        label: '线索管理',
        icon: <FileTextOutlined />,
        path: '/clues',
        permission: 'clue:clue:read',
      },
      {
        key: '/clues/new',
        label: '登记线索',
        icon: <FileAddOutlined />,
        path: '/clues/new',
        permission: 'clue:clue:create',
      },
      {
        key: '/clues/merges',
        label: '线索并案',
        icon: <MergeCellsOutlined />,
        path: '/clues/merges',
        permission: 'clue:clue:merge',
      },
      {
        key: '/clues/sort-rules',
        label: '分拣规则',
        icon: <ControlOutlined />,
        path: '/clues/sort-rules',
        permission: 'clue:sort-rule:read',
      },
      {
        key: '/clues/refusal-grounds',
        label: '不予受理理由',
        icon: <FileSearchOutlined />,
        path: '/clues/refusal-grounds',
        permission: 'clue:refusal-ground:read',
      },
      {
        key: '/clues/deadlines',
        label: '时限看板',
        icon: <FieldTimeOutlined />,
        path: '/clues/deadlines',
        permission: 'clue:deadline:read',
      },
      {
        key: '/clues/workorders',
        label: '工单对接',
        icon: <CloudSyncOutlined />,
        path: '/clues/workorders',
        permission: 'clue:workorder:read',
      },
    ],
  },
  {
    key: 'analysis',
    label: '综合研判',
    icon: <ExperimentOutlined />,
    children: [
      {
        key: '/analysis',
        label: '研判工作台',
        icon: <AuditOutlined />,
        path: '/analysis',
        permission: 'analysis:judgment:read',
      },
      {
        key: '/analysis/models',
        label: '模型评估',
        icon: <LineChartOutlined />,
        path: '/analysis/models',
        permission: 'analysis:model:read',
      },
      {
        key: '/analysis/findings',
        label: '模式发现',
        icon: <RadarChartOutlined />,
        path: '/analysis/findings',
        permission: 'analysis:finding:read',
      },
      {
        key: '/analysis/review',
        label: '研判复盘',
        icon: <FileSearchOutlined />,
        path: '/analysis/review',
        permission: 'analysis:review:read',
      },
    ],
  },
  {
    key: 'dispatch',
    label: '指挥调度',
    icon: <ControlOutlined />,
    children: [
      {
        key: '/dispatch',
        label: '调度台',
        icon: <DesktopOutlined />,
        path: '/dispatch',
        permission: 'dispatch:order:read',
      },
      {
        key: '/dispatch/rules',
        label: '路由规则',
        icon: <ApartmentOutlined />,
        path: '/dispatch/rules',
        permission: 'dispatch:rule:read',
      },
      {
        key: '/dispatch/availability',
        label: '人员可用性',
        icon: <TeamOutlined />,
        path: '/dispatch/availability',
        permission: 'dispatch:availability:read',
      },
    ],
  },
  {
    key: 'system',
    label: '系统管理',
    icon: <SettingOutlined />,
    children: [
      {
        key: '/system/users',
        label: '用户管理',
        icon: <UserOutlined />,
        path: '/system/users',
        permission: 'system:user:read',
      },
      {
        key: '/system/roles',
        label: '角色管理',
        icon: <TeamOutlined />,
        path: '/system/roles',
        permission: 'system:role:read',
      },
      {
        key: '/system/permissions',
        label: '菜单权限',
        icon: <KeyOutlined />,
        path: '/system/permissions',
        permission: 'system:role:read',
      },
      {
        key: '/system/departments',
        label: '部门管理',
        icon: <ApartmentOutlined />,
        path: '/system/departments',
        permission: 'system:department:read',
      },
      {
        key: '/system/grids',
        label: '网格管理',
        icon: <BorderOuterOutlined />,
        path: '/system/grids',
        permission: 'system:grid:read',
      },
      {
        key: '/system/posts',
        label: '岗位管理',
        icon: <IdcardOutlined />,
        path: '/system/posts',
        permission: 'system:post:read',
      },
      {
        key: '/system/dicts',
        label: '字典管理',
        icon: <BookOutlined />,
        path: '/system/dicts',
        permission: 'system:dict:read',
      },
      {
        key: '/system/settings',
        label: '参数设置',
        icon: <ControlOutlined />,
        path: '/system/settings',
        permission: 'system:setting:read',
      },
      {
        key: '/system/notices',
        label: '通知公告',
        icon: <NotificationOutlined />,
        path: '/system/notices',
        permission: 'system:notice:read',
      },
      {
        key: '/system/exchange',
        label: '数据交换',
        icon: <CloudSyncOutlined />,
        path: '/system/exchange',
        permission: 'system:exchange:read',
      },
      {
        key: '/system/open311',
        label: 'Open311 接入',
        icon: <ApiOutlined />,
        path: '/system/open311',
        permission: 'system:open311:read',
      },
      {
        key: '/system/calendar',
        label: '工作日历',
        icon: <CalendarOutlined />,
        path: '/system/calendar',
        permission: 'system:calendar:read',
      },
    ],
  },
  {
    key: 'security',
    label: '安全管理',
    icon: <SafetyCertificateOutlined />,
    children: [
      {
        key: '/security/sessions',
        label: '在线用户',
        icon: <DesktopOutlined />,
        path: '/security/sessions',
        permission: 'security:session:read',
      },
      {
        key: '/security/policy',
        label: '安全策略',
        icon: <KeyOutlined />,
        path: '/security/policy',
        permission: 'security:policy:read',
      },
    ],
  },
  {
    key: 'audit',
    label: '安全审计',
    icon: <AuditOutlined />,
    children: [
      {
        key: '/audit/logins',
        label: '登录日志',
        icon: <LoginOutlined />,
        path: '/audit/logins',
        permission: 'audit:log:read',
      },
      {
        key: '/audit/logs',
        label: '操作日志',
        icon: <FileSearchOutlined />,
        path: '/audit/logs',
        permission: 'audit:log:read',
      },
    ],
  },
  { key: '/notices', label: '我的通知', icon: <BellOutlined />, path: '/notices' },
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
    if (n.key === '/inbox') return { key: n.key, icon: n.icon, label: <InboxMenuLabel label={n.label} /> };
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

/** Pages opened from the header rather than the side menu; they still get a breadcrumb. */
const HEADER_PAGES: MenuNode[] = [
  { key: '/profile', label: '个人中心', path: '/profile' },
  // 调度单 pages are reached from the 调度台, 我的待办 and the clue page: 首页 / 调度单 / 详情.
  { key: '/dispatch/orders', label: '调度单', path: '/dispatch/orders' },
];

/** The chain of menu nodes leading to `pathname` (for breadcrumbs and the open submenu), or [] when unknown. */
export function menuTrail(pathname: string, nodes: MenuNode[] = MENU): MenuNode[] {
  for (const n of nodes) {
    if (n.path === pathname) return [n];
    if (n.children) {
      const sub = menuTrail(pathname, n.children);
      if (sub.length) return [n, ...sub];
    }
  }
  if (nodes !== MENU) return [];
  const page = HEADER_PAGES.find((p) => p.path === pathname);
  if (page) return [page];
  // A detail page under a menu entry (`/entities/123`): the entry's trail plus a 详情 crumb.
  const parent = pathname.replace(/\/[^/]+$/, '');
  if (parent && parent !== pathname) {
    const trail = menuTrail(parent, nodes);
    if (trail.length) return [...trail, { key: pathname, label: '详情', path: pathname }];
  }
  return [];
}
