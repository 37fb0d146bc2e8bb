import type { Deadline } from '@rongjian/shared/api';
import { useQuery } from '@tanstack/react-query';
import { Card, Empty, Space, Table, Tag, Typography } from 'antd';
import { api } from '../../shared/api/client.ts';
import { QueryError } from '../../shared/ui/QueryError.tsx';
import { clueKeys } from './api.ts';
import { DeadlineStateTag, deadlineUnit, remainingText } from './deadlineLabels.tsx';

/** 法定时限 of one clue: every limit linked to it (受理、调解、核查、告知, and later the dispatch order's). */
export function ClueDeadlinesCard({ clueId }: { clueId: number }) {
  const query = useQuery({
    queryKey: [...clueKeys.detail(clueId), 'deadlines'],
    queryFn: ({ signal }) =>
      api.get<{ items: Deadline[] }>(`/api/clues/${clueId}/deadlines`, undefined, signal),
  });
  const items = query.data?.items ?? [];
  return (
    <Card title="法定时限" variant="borderless" data-testid="clue-deadlines">
      <QueryError query={query} title="时限加载失败" />
      {query.isSuccess && items.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="暂无计时中的时限" />
      ) : (
        <Table<Deadline>
          size="small"
          rowKey="id"
          pagination={false}
          loading={query.isPending}
          dataSource={items}
          columns={[
            {
              title: '时限',
              key: 'label',
              render: (_, d) => (
                <Space orientation="vertical" size={0}>
                  <span>{d.label}</span>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {d.regulation}
                  </Typography.Text>
                </Space>
              ),
            },
            {
              title: '期限',
              key: 'days',
              render: (_, d) => (
                <span>
                  {d.days}
                  {d.extendedDays > 0 ? ` + ${d.extendedDays}` : ''} {deadlineUnit(d)}
                </span>
              ),
            },
            { title: '到期日', dataIndex: 'dueOn', key: 'dueOn' },
            {
              title: '状态',
              key: 'state',
              render: (_, d) => (
                <Space size={4} wrap>
                  <DeadlineStateTag d={d} />
                  {d.pendingExtension && <Tag color="purple">延期待批</Tag>}
                  <Typography.Text type={d.state === 'overdue' ? 'danger' : 'secondary'}>
                    {remainingText(d)}
                  </Typography.Text>
                </Space>
              ),
            },
          ]}
        />
      )}
    </Card>
  );
}
