import { Layout, Menu } from 'antd';
import { useMemo, useState } from 'react';
import { Outlet, useLocation, useNavigate } from 'react-router';
import { useCurrentUser } from '../../shared/auth/api.ts';
import { Lazy } from '../../shared/ui/Lazy.tsx';
import { HeaderBar } from './HeaderBar.tsx';
import './layout.css';
import { menuTrail, toAntdItems, visibleMenu } from './menu.tsx';

const { Sider, Content, Footer } = Layout;

/** The PC console frame: dark side menu with the product name, header with breadcrumbs and the user. */
export default function ConsoleLayout() {
  const user = useCurrentUser();
  const { pathname } = useLocation();
  const navigate = useNavigate();
  const [collapsed, setCollapsed] = useState(false);
  const nodes = useMemo(() => visibleMenu(user), [user]);
  const items = useMemo(() => toAntdItems(nodes), [nodes]);
  // From the whole tree, so a page the user may not open (403) still shows where it is.
  const trail = menuTrail(pathname);
  const selected = trail.at(-1)?.key;
  const [openKeys, setOpenKeys] = useState<string[]>(() => trail.slice(0, -1).map((n) => n.key));

  return (
    <Layout className="rj-console">
      <Sider width={232} collapsible collapsed={collapsed} trigger={null} className="rj-sider">
        <div className="rj-brand" title="融监 · 基层市场监管数字化监管平台">
          <img src="/favicon.svg" alt="" className="rj-brand-logo" />
          {!collapsed && (
            <div className="rj-brand-text">
              <div className="rj-brand-name">融监</div>
              <div className="rj-brand-sub">基层市场监管数字化监管平台</div>
            </div>
          )}
        </div>
        <Menu
          theme="dark"
          mode="inline"
          items={items}
          selectedKeys={selected ? [selected] : []}
          openKeys={collapsed ? undefined : openKeys}
          onOpenChange={setOpenKeys}
          onClick={({ key }) => {
            if (key.startsWith('/')) void navigate(key);
          }}
        />
      </Sider>
      <Layout>
        <HeaderBar collapsed={collapsed} onToggle={() => setCollapsed((c) => !c)} trail={trail} />
        <Content className="rj-content">
          <Lazy page={<Outlet />} />
        </Content>
        <Footer className="rj-footer">
          融监 · 基层市场监管数字化监管平台 · 依据 DB3205/T 1112-2024 建设
        </Footer>
      </Layout>
    </Layout>
  );
}
