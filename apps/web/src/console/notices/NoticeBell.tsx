import { BellOutlined } from '@ant-design/icons';
import { Badge, Button, Tooltip } from 'antd';
import { useNavigate } from 'react-router';
import { useNoticeEvents, useUnreadCount } from './api.ts';

/** Header bell: the number of unread notices; opens 我的通知. */
export function NoticeBell() {
  useNoticeEvents();
  const unread = useUnreadCount();
  const navigate = useNavigate();
  const count = unread.data ?? 0;
  return (
    <Tooltip title={count > 0 ? `${count} 条未读通知公告` : '通知公告'}>
      <Badge count={count} size="small" offset={[-4, 4]}>
        <Button
          type="text"
          icon={<BellOutlined />}
          aria-label={count > 0 ? `通知公告，${count} 条未读` : '通知公告'}
          data-testid="notice-bell"
          onClick={() => navigate('/notices')}
        />
      </Badge>
    </Tooltip>
  );
}
