import { UNLOCATED_REASON_LABELS, type UnlocatedReason } from '@rongjian/shared/api';
import { Card, Empty, List, Segmented, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router';
import { KeysetPager, useKeysetPaging } from '../../shared/ui/KeysetPager.tsx';
import { QueryError } from '../../shared/ui/QueryError.tsx';
import { useUnlocated } from './api.ts';

const REASON_COLORS: Record<UnlocatedReason, string> = {
  no_point: 'orange',
  outside: 'red',
  pending: 'blue',
};
const TRIGGERS: Record<string, string> = {
  import: '导入后',
  grid: '网格调整后',
  schedule: '每晚',
  manual: '手动',
};

const when = (iso: string | null) =>
  iso ? new Date(iso).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false }) : '—';

/**
 * 未落格: entities in one's scope that sit in no grid — no point yet (address not resolved), a point outside every
 * grid, or a point waiting for the next run — each linking to its 一户一档, where the point can be corrected.
 */
export function UnlocatedCard() {
  const [reason, setReason] = useState<UnlocatedReason | 'all'>('all');
  const paging = useKeysetPaging(10);
  const page = useUnlocated(reason === 'all' ? undefined : reason, paging.after, paging.limit);
  const counts = page.data?.counts;
  const total = counts ? counts.noPoint + counts.outside + counts.pending : null;
  const run = page.data?.lastRun;

  return (
    <Card
      variant="borderless"
      title={`未落格经营主体${total === null ? '' : `（${total}）`}`}
      data-testid="unlocated-card"
    >
      <QueryError query={page} title="未落格名单加载失败" />
      <Segmented
        block
        size="small"
        value={reason}
        onChange={(v) => {
          setReason(v as UnlocatedReason | 'all');
          paging.reset();
        }}
        options={[
          { value: 'all', label: `全部 ${total ?? ''}` },
          { value: 'no_point', label: `无坐标 ${counts?.noPoint ?? ''}` },
          { value: 'outside', label: `网格外 ${counts?.outside ?? ''}` },
          { value: 'pending', label: `待落格 ${counts?.pending ?? ''}` },
        ]}
      />
      <List
        size="small"
        loading={page.isFetching}
        locale={{
          emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="所有经营主体均已落格" />,
        }}
        dataSource={page.data?.items ?? []}
        renderItem={(e) => (
          <List.Item key={e.id}>
            <List.Item.Meta
              title={
                <Space size={4} wrap>
                  <Link to={`/entities/${e.id}`}>{e.name}</Link>
                  <Tag color={REASON_COLORS[e.reason]}>{UNLOCATED_REASON_LABELS[e.reason]}</Tag>
                </Space>
              }
              description={
                <>
                  <div>{e.address || '（无地址）'}</div>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {e.stationName ?? '未分配所'}
                    {e.lon !== null && e.lat !== null ? ` · ${e.lon.toFixed(5)}, ${e.lat.toFixed(5)}` : ''}
                  </Typography.Text>
                </>
              }
            />
          </List.Item>
        )}
      />
      <KeysetPager
        paging={paging}
        nextAfter={page.data?.nextAfter}
        loading={page.isFetching}
        showSizeChanger={false}
      />
      <Typography.Paragraph type="secondary" style={{ fontSize: 12, margin: '8px 0 0' }}>
        {run
          ? `上次落格：${when(run.finishedAt)}（${TRIGGERS[run.trigger] ?? run.trigger}），检查 ${run.counts.checked ?? 0} 个坐标，地址解析 ${run.counts.geocoded ?? 0} 户。`
          : '尚未执行过落格。'}
        打开一户一档可在地图上校正位置。
      </Typography.Paragraph>
    </Card>
  );
}
