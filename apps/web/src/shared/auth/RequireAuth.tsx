import { Button, Result, Spin } from 'antd';
import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';
import { errorMessage } from '../api/client.ts';
import { restrictedPath, useMe } from './api.ts';

/**
 * Renders its children only for a signed-in user; otherwise goes to /login and comes back afterwards. A restricted
 * session (password to change, TOTP to enroll) is kept on the one page where it can do that.
 */
export function RequireAuth({ children }: { children: ReactNode }) {
  const me = useMe();
  const location = useLocation();
  if (me.isPending) {
    return (
      <div className="rj-full-center">
        <Spin size="large" />
      </div>
    );
  }
  if (me.isError) {
    return (
      <div className="rj-full-center">
        <Result
          status="error"
          title="无法连接服务器"
          subTitle={errorMessage(me.error)}
          extra={
            <Button type="primary" onClick={() => void me.refetch()}>
              重试
            </Button>
          }
        />
      </div>
    );
  }
  if (!me.data) {
    const here = location.pathname + location.search;
    const to = here === '/' ? '/login' : `/login?redirect=${encodeURIComponent(here)}`;
    return <Navigate to={to} replace />;
  }
  const forced = restrictedPath(me.data);
  if (forced && location.pathname !== forced.split('?')[0]) return <Navigate to={forced} replace />;
  return children;
}
