import { Descriptions, Drawer, Empty, Spin, Table, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { QueryError } from '../../../shared/ui/QueryError.tsx';
import { actionLabel } from './actions.ts';
import { useAuditLog } from './api.ts';
import { type DiffRow, diffRows } from './diff.ts';

const mono = { fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace', fontSize: 12 };

function Cell({
  value,
  changed,
  tone,
}: {
  value: string | undefined;
  changed: boolean;
  tone: 'old' | 'new';
}) {
  if (value === undefined) return <Typography.Text type="secondary">—</Typography.Text>;
  const background = changed ? (tone === 'old' ? '#fff1f0' : '#f6ffed') : undefined;
  return <span style={{ background, wordBreak: 'break-all', padding: changed ? '0 4px' : 0 }}>{value}</span>;
}

/** One audit record: who did what, when, from where, and what changed (before → after), with its hash link. */
export function AuditLogDrawer({ id, onClose }: { id: number | null; onClose: () => void }) {
  const record = useAuditLog(id);
  const r = record.data;
  const rows = r ? diffRows(r.before, r.after) : [];

  return (
    <Drawer
      title={id ? `审计记录 #${id}` : '审计记录'}
      size={760}
      open={id !== null}
      onClose={onClose}
      destroyOnHidden
    >
      {record.isLoading && <Spin />}
      <QueryError query={record} />
      {r && (
        <>
          <Descriptions
            bordered
            size="small"
            column={2}
            items={[
              {
                key: 't',
                label: '时间',
                children: dayjs(r.occurredAt).format('YYYY-MM-DD HH:mm:ss'),
                span: 2,
              },
              {
                key: 'a',
                label: '操作人',
                children: `${r.actorName}${r.actorId !== null ? `（用户编号 ${r.actorId}）` : ''}`,
              },
              { key: 'ip', label: 'IP 地址', children: r.ip ?? '—' },
              {
                key: 'act',
                label: '操作',
                span: 2,
                children: (
                  <>
                    {actionLabel(r.action) && <Tag>{actionLabel(r.action)}</Tag>}
                    <Typography.Text style={mono}>{r.action}</Typography.Text>
                  </>
                ),
              },
              { key: 'ot', label: '对象类型', children: r.objectType ?? '—' },
              { key: 'oi', label: '对象编号', children: r.objectId ?? '—' },
              {
                key: 'res',
                label: '结果',
                children:
                  r.result === 'success' ? <Tag color="green">成功</Tag> : <Tag color="red">失败</Tag>,
              },
              { key: 'ar', label: '存储位置', children: r.archived ? '归档表' : '在线表' },
              { key: 'd', label: '说明', span: 2, children: r.detail || '—' },
            ]}
          />
          <Typography.Title level={5} style={{ marginTop: 24 }}>
            变更内容
          </Typography.Title>
          {rows.length === 0 ? (
            <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="此记录没有变更前后内容" />
          ) : (
            <Table<DiffRow>
              size="small"
              rowKey="path"
              pagination={false}
              dataSource={rows}
              columns={[
                {
                  title: '字段',
                  dataIndex: 'path',
                  width: 180,
                  render: (p: string) => <span style={mono}>{p}</span>,
                },
                {
                  title: '变更前',
                  dataIndex: 'before',
                  render: (v: string | undefined, row) => <Cell value={v} changed={row.changed} tone="old" />,
                },
                {
                  title: '变更后',
                  dataIndex: 'after',
                  render: (v: string | undefined, row) => <Cell value={v} changed={row.changed} tone="new" />,
                },
              ]}
            />
          )}
          <Typography.Title level={5} style={{ marginTop: 24 }}>
            防篡改校验值（SM3）
          </Typography.Title>
          <Descriptions
            size="small"
            column={1}
            items={[
              {
                key: 'p',
                label: '前一条哈希',
                children: <span style={{ ...mono, wordBreak: 'break-all' }}>{r.prevHash}</span>,
              },
              {
                key: 'h',
                label: '本条哈希',
                children: <span style={{ ...mono, wordBreak: 'break-all' }}>{r.hash}</span>,
              },
            ]}
          />
        </>
      )}
    </Drawer>
  );
}
