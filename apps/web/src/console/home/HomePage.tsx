import { Alert, Button, Card, Col, Row, Skeleton, Space } from 'antd';
import { errorMessage } from '../../shared/api/client.ts';
import { useCurrentUser } from '../../shared/auth/api.ts';
import { can } from '../../shared/auth/permissions.ts';
import { useOverview } from './api.ts';
import { Greeting } from './Greeting.tsx';
import { OverviewPanels } from './OverviewPanels.tsx';
import { StatCards } from './StatCards.tsx';
import { WelcomeCard } from './WelcomeCard.tsx';

export default function HomePage() {
  const user = useCurrentUser();
  const allowed = can(user, 'overview:county:read');
  const overview = useOverview(allowed);

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Greeting user={user} />
      {!allowed && <WelcomeCard user={user} />}
      {allowed && overview.isPending && (
        <Row gutter={[16, 16]}>
          {[1, 2, 3, 4].map((i) => (
            <Col key={i} xs={24} sm={12} xl={6}>
              <Card variant="borderless">
                <Skeleton active paragraph={{ rows: 1 }} />
              </Card>
            </Col>
          ))}
        </Row>
      )}
      {allowed && overview.isError && (
        <Alert
          type="error"
          showIcon
          title="县域概览加载失败"
          description={errorMessage(overview.error)}
          action={
            <Button size="small" onClick={() => void overview.refetch()}>
              重试
            </Button>
          }
        />
      )}
      {overview.data && (
        <>
          <StatCards data={overview.data} />
          <OverviewPanels data={overview.data} />
        </>
      )}
    </Space>
  );
}
