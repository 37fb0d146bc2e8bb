import { Layout, Typography } from 'antd';
import type { ReactNode } from 'react';
import { Link } from 'react-router';

/** The frame of the public pages: a plain header and one centred column that fits a phone or a kiosk. */
export function PublicLayout({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Layout style={{ minHeight: '100vh', background: '#f5f7fa' }}>
      <Layout.Header
        style={{
          background: '#1d39c4',
          display: 'flex',
          alignItems: 'center',
          gap: 16,
          paddingInline: 16,
          height: 56,
        }}
      >
        <Typography.Text strong style={{ color: '#fff', fontSize: 17 }}>
          市场监管投诉举报
        </Typography.Text>
        <span style={{ flex: 1 }} />
        <Link to="/public/clues/new" style={{ color: '#fff' }}>
          我要提交
        </Link>
        <Link to="/public/clues/query" style={{ color: '#fff' }}>
          进度查询
        </Link>
      </Layout.Header>
      <Layout.Content style={{ padding: '16px 12px 32px' }}>
        <div style={{ maxWidth: 720, margin: '0 auto' }}>
          <Typography.Title level={3} style={{ marginTop: 8 }}>
            {title}
          </Typography.Title>
          {children}
        </div>
      </Layout.Content>
    </Layout>
  );
}
