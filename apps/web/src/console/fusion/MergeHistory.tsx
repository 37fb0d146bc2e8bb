import { RollbackOutlined } from '@ant-design/icons';
import { Button, Table, Tag, Tooltip, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { Link } from 'react-router';
import { useCurrentUser } from '../../shared/auth/api.ts';
import { can } from '../../shared/auth/permissions.ts';
import { dateTime, type EntityMerge, useRevertMerge } from './api.ts';
import { ReasonModal } from './ReasonModal.tsx';

const moved = (m: EntityMerge) => {
  const c = m.moved;
  const parts = [
    `来源记录 ${c.sourceRecords}`,
    `许可证 ${c.licences}`,
    `信用记录 ${c.creditRecords}`,
    `人员 ${c.persons}`,
  ];
  return `${parts.join('、')}${c.kept ? `；${c.kept} 条重复未移动` : ''}`;
};

/** 合并记录: who merged what, why, what moved; 撤销合并 (newest first, in reverse order of merging). */
export function MergeHistory({
  items,
  loading,
  highlight,
}: {
  items: EntityMerge[];
  loading?: boolean;
  /** The entity whose profile shows the list: its own name is not linked. */
  highlight?: number;
}) {
  const me = useCurrentUser();
  const revert = useRevertMerge();
  const [target, setTarget] = useState<EntityMerge | null>(null);
  const entity = (e: { id: number; name: string }) =>
    e.id === highlight ? <b>{e.name}</b> : <Link to={`/entities/${e.id}`}>{e.name}</Link>;
  const columns: ColumnsType<EntityMerge> = [
    { title: '编号', dataIndex: 'id', width: 80, render: (id: number) => `#${id}` },
    {
      title: '合并',
      key: 'pair',
      render: (_, m) => (
        <span>
          {entity(m.absorbed)} 并入 {entity(m.survivor)}
        </span>
      ),
    },
    { title: '移动的记录', key: 'moved', render: (_, m) => moved(m) },
    {
      title: '原因',
      dataIndex: 'reason',
      render: (r: string, m) => (
        <span>
          {r}
          {m.matchId !== null && <Tag style={{ marginLeft: 6 }}>待确认 #{m.matchId}</Tag>}
        </span>
      ),
    },
    {
      title: '操作人 / 时间',
      key: 'by',
      width: 190,
      render: (_, m) => (
        <span>
          {m.actorName}
          <br />
          <Typography.Text type="secondary">{dateTime(m.createdAt)}</Typography.Text>
        </span>
      ),
    },
    {
      title: '状态',
      key: 'state',
      width: 200,
      render: (_, m) => {
        if (m.revertedAt) {
          return (
            <Tooltip title={m.revertReason}>
              <Tag>已撤销</Tag>
              <Typography.Text type="secondary">
                {m.revertedByName} {dateTime(m.revertedAt)}
              </Typography.Text>
            </Tooltip>
          );
        }
        if (!can(me, 'entity:merge:revert')) return <Tag color="green">有效</Tag>;
        const button = (
          <Button
            size="small"
            icon={<RollbackOutlined />}
            disabled={m.revertBlockedBy !== null}
            onClick={() => setTarget(m)}
          >
            撤销合并
          </Button>
        );
        return m.revertBlockedBy ? <Tooltip title={m.revertBlockedBy}>{button}</Tooltip> : button;
      },
    },
  ];
  return (
    <>
      <Table<EntityMerge>
        rowKey="id"
        size="small"
        columns={columns}
        dataSource={items}
        loading={loading ?? false}
        pagination={false}
        locale={{ emptyText: '暂无合并记录' }}
      />
      <ReasonModal
        open={target !== null}
        title={target ? `撤销合并 #${target.id}` : '撤销合并'}
        okText="撤销合并"
        danger
        onClose={() => setTarget(null)}
        onSubmit={(reason) => revert.mutateAsync({ id: target!.id, reason })}
      >
        {target && (
          <Typography.Paragraph>
            「{target.absorbed.name}
            」的来源记录、许可证、信用记录和人员将移回原主体，两个主体的登记字段按融合规则重新计算；这一对今后不再提示合并。
          </Typography.Paragraph>
        )}
      </ReasonModal>
    </>
  );
}
