import { LogoutOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Typography } from 'antd';
import { useNavigate } from 'react-router';
import { restrictedPath, useCurrentUser, useLogout } from '../../shared/auth/api.ts';
import { PasswordChangeForm } from './PasswordChangeForm.tsx';
import './password.css';

/**
 * 修改密码, outside the console: the one page a session with an initial, reset or expired password may use
 * (the server refuses everything else until the password is changed).
 */
export default function ChangePasswordPage() {
  const user = useCurrentUser();
  const navigate = useNavigate();
  const logout = useLogout();
  const { message } = App.useApp();
  const forced = user.restriction === 'password_change';
  const expired = user.passwordExpiresAt !== null && new Date(user.passwordExpiresAt).getTime() <= Date.now();

  return (
    <div className="rj-change-password">
      <Card
        className="rj-change-password-card"
        title={
          <span>
            <img
              src="/favicon.svg"
              alt=""
              width={22}
              height={22}
              style={{ verticalAlign: -5, marginRight: 8 }}
            />
            修改密码
          </span>
        }
        extra={
          <Button
            type="text"
            icon={<LogoutOutlined />}
            onClick={() => logout.mutate()}
            loading={logout.isPending}
          >
            退出登录
          </Button>
        }
      >
        <Typography.Paragraph type="secondary">
          {user.displayName}（{user.username}）· {user.departmentName}
        </Typography.Paragraph>
        {forced && (
          <Alert
            type="warning"
            showIcon
            style={{ marginBottom: 24 }}
            title={expired ? '您的密码已过期' : '请先修改初始密码'}
            description={
              expired
                ? '按安全策略，密码须定期更换。修改后才能继续使用平台。'
                : '这是管理员设置的初始密码或重置后的密码，为保证账号安全，须修改后才能继续使用平台。'
            }
          />
        )}
        <PasswordChangeForm
          user={user}
          onDone={(fresh) => {
            void message.success('密码已修改');
            void navigate(restrictedPath(fresh) ?? '/', { replace: true });
          }}
        />
      </Card>
    </div>
  );
}
