import {
  IdcardOutlined,
  LogoutOutlined,
  MenuFoldOutlined,
  MenuUnfoldOutlined,
  UserOutlined,
} from '@ant-design/icons';
import { App, Avatar, Breadcrumb, Button, Divider, Layout, Space, Tag, Tooltip } from 'antd';
import { Link, useNavigate } from 'react-router';
import { errorMessage } from '../../shared/api/client.ts';
import { useCurrentUser, useLogout } from '../../shared/auth/api.ts';
import { InboxBell } from '../inbox/InboxBell.tsx';
import { NoticeBell } from '../notices/NoticeBell.tsx';
import type { MenuNode } from './menu.tsx';

interface Props {
  collapsed: boolean;
  onToggle: () => void;
  /** Menu nodes leading to the current page; empty for a page outside the menu (404). */
  trail: MenuNode[];
}

export function HeaderBar({ collapsed, onToggle, trail }: Props) {
  const user = useCurrentUser();
  const logout = useLogout();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const crumbs = [
    { key: 'home', title: <Link to="/">首页</Link> },
    ...(trail.length === 0
      ? [{ key: 'missing', title: '页面不存在' }]
      : trail.filter((n) => n.path !== '/').map((n) => ({ key: n.key, title: n.label }))),
  ];

  return (
    <Layout.Header className="rj-header">
      <Space size={12}>
        <Tooltip title={collapsed ? '展开菜单' : '收起菜单'}>
          <Button
            type="text"
            aria-label={collapsed ? '展开菜单' : '收起菜单'}
            icon={collapsed ? <MenuUnfoldOutlined /> : <MenuFoldOutlined />}
            onClick={onToggle}
          />
        </Tooltip>
        <Breadcrumb items={crumbs} />
      </Space>
      <Space size={4}>
        <InboxBell />
        <NoticeBell />
        <Space size={4} className="rj-user" data-testid="current-user">
          <Avatar size="small" icon={<UserOutlined />} style={{ background: '#1677ff' }} />
          <span className="rj-user-name">{user.displayName}</span>
          <Divider orientation="vertical" />
          <span className="rj-user-dept">{user.departmentName}</span>
          <Divider orientation="vertical" />
          {user.roles.map((r) => (
            <Tag key={r.code} color="blue" variant="outlined" style={{ marginInlineEnd: 4 }}>
              {r.name}
            </Tag>
          ))}
          <Button type="text" icon={<IdcardOutlined />} onClick={() => void navigate('/profile')}>
            个人中心
          </Button>
          <Button
            type="text"
            icon={<LogoutOutlined />}
            loading={logout.isPending}
            onClick={() => logout.mutate(undefined, { onError: (e) => void message.error(errorMessage(e)) })}
          >
            退出登录
          </Button>
        </Space>
      </Space>
    </Layout.Header>
  );
}
