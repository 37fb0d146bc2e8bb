import { KeyOutlined, UserOutlined } from '@ant-design/icons';
import { App, Card, Col, Descriptions, Row, Space, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { useNavigate, useSearchParams } from 'react-router';
import { restrictedPath, useCurrentUser } from '../../shared/auth/api.ts';
import { PasswordChangeForm } from '../login/PasswordChangeForm.tsx';
import { TotpCard } from './TotpCard.tsx';

function PasswordExpiry({ at }: { at: string | null }) {
  if (!at) return <Typography.Text type="secondary">长期有效</Typography.Text>;
  const days = dayjs(at).diff(dayjs(), 'day');
  return (
    <Space>
      {dayjs(at).format('YYYY年M月D日')}
      {days < 0 ? (
        <Tag color="red">已过期</Tag>
      ) : days <= 7 ? (
        <Tag color="orange">{days} 天后到期，请尽快修改</Tag>
      ) : (
        <Tag>{days} 天后到期</Tag>
      )}
    </Space>
  );
}

/**
 * 个人中心: my account, password change, and the TOTP second factor. `?enroll=1` (or an mfa_enroll restriction)
 * puts the enrollment first, as the only thing such a session can do.
 */
export default function ProfilePage() {
  const user = useCurrentUser();
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const mustEnroll = user.restriction === 'mfa_enroll' || params.get('enroll') === '1';

  // After a forced enrollment the console is open again: go where the user wanted to be in the first place.
  const totp = (
    <TotpCard
      user={user}
      mustEnroll={mustEnroll}
      {...(mustEnroll ? { onActivated: () => void navigate('/', { replace: true }) } : {})}
    />
  );
  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Card variant="borderless">
        <Typography.Title level={4} style={{ margin: 0 }}>
          个人中心
        </Typography.Title>
      </Card>
      {mustEnroll && totp}
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={12}>
          <Card
            variant="borderless"
            title={
              <Space>
                <UserOutlined />
                我的信息
              </Space>
            }
            style={{ height: '100%' }}
          >
            <Descriptions column={1} size="middle" data-testid="profile-info">
              <Descriptions.Item label="用户名">{user.username}</Descriptions.Item>
              <Descriptions.Item label="姓名">{user.displayName}</Descriptions.Item>
              <Descriptions.Item label="所属部门">{user.departmentName}</Descriptions.Item>
              <Descriptions.Item label="角色">
                {user.roles.map((r) => (
                  <Tag key={r.code} color="blue">
                    {r.name}
                  </Tag>
                ))}
              </Descriptions.Item>
              <Descriptions.Item label="密码有效期至">
                <PasswordExpiry at={user.passwordExpiresAt} />
              </Descriptions.Item>
              <Descriptions.Item label="动态口令">
                {user.mfaEnabled ? <Tag color="green">已启用</Tag> : <Tag>未启用</Tag>}
              </Descriptions.Item>
              {user.isDemo && (
                <Descriptions.Item label="账号类型">
                  <Tag color="gold">演示账号</Tag>
                </Descriptions.Item>
              )}
            </Descriptions>
          </Card>
        </Col>
        <Col xs={24} xl={12}>
          <Card
            variant="borderless"
            title={
              <Space>
                <KeyOutlined />
                修改密码
              </Space>
            }
          >
            <PasswordChangeForm
              user={user}
              onDone={(fresh) => {
                void message.success('密码已修改，其他设备上的登录已注销');
                const next = restrictedPath(fresh);
                if (next) void navigate(next, { replace: true });
              }}
            />
          </Card>
        </Col>
      </Row>
      {!mustEnroll && totp}
    </Space>
  );
}
