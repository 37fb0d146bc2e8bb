import { CheckSquareOutlined } from '@ant-design/icons';
import { Badge, Button, Tooltip } from 'antd';
import { useNavigate } from 'react-router';
import { useCurrentUser } from '../../shared/auth/api.ts';
import { can } from '../../shared/auth/permissions.ts';
import { useInboxCounts, useInboxStream } from './api.ts';

/** Header: the number of open 待办 (red when something is 督办 or overdue); opens 我的待办. Holds the live stream. */
export function InboxBell() {
  const user = useCurrentUser();
  const allowed = can(user, 'inbox:item:read');
  useInboxStream(allowed);
  const counts = useInboxCounts(allowed);
  const navigate = useNavigate();
  if (!allowed) return null;
  const c = counts.data;
  const todo = c?.todo ?? 0;
  const alarming = (c?.urged ?? 0) + (c?.overdue ?? 0) > 0;
  const title =
    todo > 0
      ? `${todo} 项待办${c?.urged ? `，${c.urged} 项督办` : ''}${c?.overdue ? `，${c.overdue} 项逾期` : ''}`
      : '我的待办';
  return (
    <Tooltip title={title}>
      <Badge count={todo} size="small" offset={[-4, 4]} color={alarming ? '#ff4d4f' : '#1677ff'}>
        <Button
          type="text"
          icon={<CheckSquareOutlined />}
          aria-label={title}
          data-testid="inbox-bell"
          onClick={() => navigate('/inbox')}
        />
      </Badge>
    </Tooltip>
  );
}

/** The menu entry's label with the live count (the stream is held by the header bell). */
export function InboxMenuLabel({ label }: { label: string }) {
  const counts = useInboxCounts();
  const todo = counts.data?.todo ?? 0;
  return (
    <span data-testid="inbox-menu-label">
      {label}
      {todo > 0 && <Badge count={todo} size="small" style={{ marginInlineStart: 8 }} />}
    </span>
  );
}
