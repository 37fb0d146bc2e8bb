import { Card, Col, Empty, Row, Space, Spin, Typography } from 'antd';
import { useState } from 'react';
import { useCurrentUser } from '../../../shared/auth/api.ts';
import { can } from '../../../shared/auth/permissions.ts';
import { QueryError } from '../../../shared/ui/QueryError.tsx';
import { GROUP_API, type SettingGroup, type SettingView, useSettings } from './api.ts';
import { SettingCard } from './SettingCard.tsx';
import { SettingEditModal } from './SettingEditModal.tsx';

interface Props {
  group: SettingGroup;
  title: string;
  intro: string;
}

/** Every setting of one group, rendered from the definitions the server sends (one card per setting). */
export function SettingsBoard({ group, title, intro }: Props) {
  const user = useCurrentUser();
  const canEdit = can(user, GROUP_API[group].update);
  const settings = useSettings(group);
  const [editing, setEditing] = useState<SettingView | null>(null);

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Card variant="borderless">
        <Typography.Title level={4} style={{ margin: 0 }}>
          {title}
        </Typography.Title>
        <Typography.Text type="secondary">{intro}</Typography.Text>
      </Card>
      <QueryError query={settings} />
      {settings.isLoading && <Spin />}
      {settings.data && settings.data.items.length === 0 && <Empty description="暂无参数" />}
      <Row gutter={[16, 16]}>
        {settings.data?.items.map((s) => (
          <Col key={s.key} xs={24} xl={12}>
            <SettingCard
              setting={s}
              today={settings.data.today}
              canEdit={canEdit}
              onEdit={() => setEditing(s)}
            />
          </Col>
        ))}
      </Row>
      <SettingEditModal group={group} setting={editing} onClose={() => setEditing(null)} />
    </Space>
  );
}
