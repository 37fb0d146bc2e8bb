import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { App, Button, Card, Popconfirm, Table, Tag } from 'antd';
import dayjs from 'dayjs';
import { errorMessage } from '../../../shared/api/client.ts';
import { type CalendarOverride, useDeleteOverride } from './api.ts';

interface Props {
  year: number;
  overrides: CalendarOverride[];
  canEdit: boolean;
  onAdd: () => void;
}

/** The bureau's own adjustments for the year; they win over the official schedule. */
export function OverrideList({ year, overrides, canEdit, onAdd }: Props) {
  const remove = useDeleteOverride();
  const { message } = App.useApp();

  return (
    <Card
      variant="borderless"
      title={`${year} 年单日调整`}
      extra={
        canEdit && (
          <Button type="primary" size="small" icon={<PlusOutlined />} onClick={onAdd}>
            新增调整
          </Button>
        )
      }
    >
      <Table<CalendarOverride>
        data-testid="override-list"
        rowKey="day"
        size="small"
        dataSource={overrides}
        pagination={overrides.length > 8 ? { pageSize: 8, size: 'small' } : false}
        locale={{ emptyText: '本年度没有单日调整' }}
        columns={[
          {
            title: '日期',
            dataIndex: 'day',
            width: 130,
            render: (d: string) => `${d} ${dayjs(d).format('ddd')}`,
          },
          {
            title: '当天',
            dataIndex: 'kind',
            width: 70,
            render: (k: CalendarOverride['kind']) =>
              k === 'workday' ? <Tag color="blue">上班</Tag> : <Tag color="red">休息</Tag>,
          },
          { title: '说明', dataIndex: 'note', ellipsis: true, render: (n: string) => n || '—' },
          ...(canEdit
            ? [
                {
                  title: '操作',
                  key: 'op',
                  width: 64,
                  render: (_: unknown, o: CalendarOverride) => (
                    <Popconfirm
                      title={`删除 ${o.day} 的调整？`}
                      description="删除后该日按官方安排或普通周末计算。"
                      okText="删除"
                      okButtonProps={{ danger: true }}
                      onConfirm={() =>
                        remove.mutateAsync(o.day).then(
                          () => void message.success(`已删除 ${o.day} 的调整`),
                          (e) => void message.error(errorMessage(e)),
                        )
                      }
                    >
                      <Button
                        type="link"
                        danger
                        size="small"
                        icon={<DeleteOutlined />}
                        aria-label={`删除 ${o.day}`}
                      />
                    </Popconfirm>
                  ),
                },
              ]
            : []),
        ]}
      />
    </Card>
  );
}
