import { Button, Result } from 'antd';
import type { ReactNode } from 'react';
import { useNavigate } from 'react-router';
import { useCurrentUser } from './api.ts';
import { can } from './permissions.ts';

/** A page that needs a permission: users without it see a 403 page instead of a page of failing requests. */
export function RequirePermission({ permission, children }: { permission: string; children: ReactNode }) {
  const user = useCurrentUser();
  const navigate = useNavigate();
  if (can(user, permission)) return children;
  return (
    <Result
      status="403"
      title="无权访问"
      subTitle="您的角色没有访问此页面的权限，如需开通请联系系统管理员。"
      extra={
        <Button type="primary" onClick={() => void navigate('/')}>
          返回首页
        </Button>
      }
    />
  );
}
