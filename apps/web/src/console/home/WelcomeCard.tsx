import { Card, Descriptions, Tag, Typography } from 'antd';
import type { SessionUser } from '../../shared/auth/types.ts';

/** For roles without the county overview (审计管理员, 安全管理员): who they are and where their work is. */
export function WelcomeCard({ user }: { user: SessionUser }) {
  return (
    <Card variant="borderless" title="欢迎使用融监" data-testid="welcome-card">
      <Descriptions
        column={1}
        size="small"
        items={[
          { key: 'name', label: '姓名', children: user.displayName },
          { key: 'username', label: '账号', children: user.username },
          { key: 'dept', label: '所属部门', children: user.departmentName },
          {
            key: 'roles',
            label: '角色',
            children: user.roles.map((r) => (
              <Tag key={r.code} color="blue">
                {r.name}
              </Tag>
            )),
          },
        ]}
      />
      <Typography.Paragraph type="secondary" style={{ marginTop: 16, marginBottom: 0 }}>
        您的角色不包含县域经营主体概览的查看权限，首页不显示业务统计。请通过左侧菜单进入您有权使用的功能；
        如需调整权限，请联系系统管理员。
      </Typography.Paragraph>
    </Card>
  );
}
