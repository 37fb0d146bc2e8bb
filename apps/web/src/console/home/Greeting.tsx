import { Card, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import type { SessionUser } from '../../shared/auth/types.ts';

function salutation(hour: number): string {
  if (hour < 6) return '凌晨好';
  if (hour < 12) return '上午好';
  if (hour < 14) return '中午好';
  if (hour < 18) return '下午好';
  return '晚上好';
}

export function Greeting({ user }: { user: SessionUser }) {
  const now = dayjs();
  return (
    <Card variant="borderless">
      <div className="rj-greeting">
        <div>
          <h3>
            {salutation(now.hour())}，{user.displayName}
          </h3>
          <Typography.Text type="secondary">
            {user.departmentName}
            {user.roles.map((r) => (
              <Tag key={r.code} color="blue" style={{ marginLeft: 8 }}>
                {r.name}
              </Tag>
            ))}
          </Typography.Text>
        </div>
        <Typography.Text type="secondary">{now.format('YYYY年M月D日 dddd')}</Typography.Text>
      </div>
    </Card>
  );
}
