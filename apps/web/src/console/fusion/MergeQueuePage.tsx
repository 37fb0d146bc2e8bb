import { Alert, Badge, Card, Empty, Space, Spin, Tabs, Typography } from 'antd';
import { useState } from 'react';
import { useCurrentUser } from '../../shared/auth/api.ts';
import { can } from '../../shared/auth/permissions.ts';
import { KeysetPager, useKeysetPaging } from '../../shared/ui/KeysetPager.tsx';
import { QueryError } from '../../shared/ui/QueryError.tsx';
import { type MatchTab, useMatches, useMerges } from './api.ts';
import { MatchCard } from './MatchCard.tsx';
import { MergeHistory } from './MergeHistory.tsx';

function MatchList({ status, canReview }: { status: MatchTab; canReview: boolean }) {
  const paging = useKeysetPaging(10);
  const list = useMatches(status, paging.after, paging.limit);
  const items = list.data?.items ?? [];
  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <QueryError query={list} title="待确认主体加载失败" />
      {list.isPending ? <Spin /> : null}
      {!list.isPending && items.length === 0 ? (
        <Card variant="borderless">
          <Empty
            description={
              status === 'pending' ? '没有待确认的主体：导入时无法确定的记录会出现在这里' : '暂无已处理的记录'
            }
          />
        </Card>
      ) : null}
      {items.map((m) => (
        <MatchCard key={m.id} match={m} canReview={canReview} />
      ))}
      {items.length > 0 || paging.page > 1 ? (
        <KeysetPager
          paging={paging}
          nextAfter={list.data?.nextAfter}
          loading={list.isFetching}
          showSizeChanger={false}
        />
      ) : null}
    </Space>
  );
}

function MergeList() {
  const paging = useKeysetPaging(20);
  const merges = useMerges(paging.after, paging.limit);
  return (
    <Card variant="borderless">
      <QueryError query={merges} title="合并记录加载失败" />
      <MergeHistory items={merges.data?.items ?? []} loading={merges.isFetching} />
      <KeysetPager paging={paging} nextAfter={merges.data?.nextAfter} loading={merges.isFetching} />
    </Card>
  );
}

/**
 * 经营主体 › 主体合并: records the import could not place with certainty (no USCC, name and address close to an
 * existing entity) wait here for a person; decisions and merges are kept, and merges can be undone.
 */
export default function MergeQueuePage() {
  const me = useCurrentUser();
  const [tab, setTab] = useState('pending');
  const pending = useMatches('pending', undefined, 1);
  const canReview = can(me, 'entity:match:review');
  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Alert
        type="info"
        showIcon
        title="主体识别"
        description={
          <Typography.Text>
            有统一社会信用代码的记录按代码归入主体；没有代码的（如早年的个体工商户登记）按规范化后的名称和地址打分：得分达到自动归并阈值的直接归入，介于两个阈值之间的在此由人工确认。阈值在“系统管理
            › 参数设置 › 主体识别”中设置。
          </Typography.Text>
        }
      />
      <Tabs
        activeKey={tab}
        onChange={setTab}
        destroyOnHidden
        items={[
          {
            key: 'pending',
            label: (
              <Space size={6}>
                待确认
                <Badge count={pending.data?.pending ?? 0} showZero color="#faad14" />
              </Space>
            ),
            children: <MatchList status="pending" canReview={canReview} />,
          },
          { key: 'decided', label: '已处理', children: <MatchList status="decided" canReview={false} /> },
          { key: 'merges', label: '合并记录', children: <MergeList /> },
        ]}
      />
    </Space>
  );
}
