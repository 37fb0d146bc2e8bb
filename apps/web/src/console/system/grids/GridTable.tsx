import { DeleteOutlined, EditOutlined } from '@ant-design/icons';
import { App, Button, Popconfirm, Space, Table } from 'antd';
import { errorMessage } from '../../../shared/api/client.ts';
import { useCurrentUser } from '../../../shared/auth/api.ts';
import { can } from '../../../shared/auth/permissions.ts';
import { type GridFeature, useDeleteGrid } from './api.ts';

/** A 所's name with the colour its grids have on the map. */
export function StationName({ name, color }: { name: string; color: string }) {
  return (
    <Space size={6}>
      <span style={{ display: 'inline-block', width: 12, height: 12, borderRadius: 2, background: color }} />
      <span>{name}</span>
    </Space>
  );
}

/** The grids beside the map; the selected one (from the map or a click here) is highlighted. */
export function GridTable(props: {
  rows: GridFeature[];
  loading: boolean;
  selectedId: number | null;
  onSelect: (id: number) => void;
  page: number;
  onPage: (page: number) => void;
  pageSize: number;
  colorOf: (stationId: number) => string;
  onOpen: (gridId: number) => void;
}) {
  const { rows, selectedId, colorOf } = props;
  const user = useCurrentUser();
  const { message } = App.useApp();
  const remove = useDeleteGrid();
  return (
    <Table<GridFeature>
      rowKey={(f) => f.properties.id}
      size="small"
      loading={props.loading}
      dataSource={rows}
      rowClassName={(f) => (f.properties.id === selectedId ? 'rj-grid-row-selected' : '')}
      onRow={(f) => ({ onClick: () => props.onSelect(f.properties.id) })}
      // Fixed column widths with horizontal scroll: in the narrow column beside the map, Chinese names would
      // otherwise wrap one character per line.
      scroll={{ x: 620 }}
      pagination={{
        current: props.page,
        pageSize: props.pageSize,
        onChange: props.onPage,
        showSizeChanger: false,
        showTotal: (n) => `共 ${n} 个`,
      }}
      columns={[
        { title: '编码', key: 'code', width: 120, render: (_, f) => f.properties.code },
        { title: '名称', key: 'name', width: 140, ellipsis: true, render: (_, f) => f.properties.name },
        {
          title: '所属所',
          key: 'station',
          width: 150,
          ellipsis: true,
          render: (_, f) => (
            <StationName name={f.properties.stationName} color={colorOf(f.properties.stationId)} />
          ),
        },
        {
          title: '主体数',
          key: 'entities',
          align: 'right',
          width: 80,
          render: (_, f) => f.properties.entityCount,
        },
        {
          title: '操作',
          key: 'op',
          width: 130,
          render: (_, f) => (
            <Space size={0} onClick={(e) => e.stopPropagation()}>
              <Button
                type="link"
                size="small"
                icon={<EditOutlined />}
                onClick={() => props.onOpen(f.properties.id)}
              >
                {can(user, 'system:grid:update') ? '编辑' : '查看'}
              </Button>
              {can(user, 'system:grid:delete') && (
                <Popconfirm
                  title={`删除网格「${f.properties.name}」？`}
                  description={
                    f.properties.entityCount > 0
                      ? `网格内有 ${f.properties.entityCount} 个经营主体，需先调整其所属网格。`
                      : '删除后不可恢复。'
                  }
                  okText="删除"
                  okButtonProps={{ danger: true }}
                  cancelText="取消"
                  onConfirm={() =>
                    remove.mutateAsync(f.properties.id).then(
                      () => message.success(`已删除网格「${f.properties.name}」`),
                      (e: unknown) => message.error(errorMessage(e)),
                    )
                  }
                >
                  <Button type="link" size="small" danger icon={<DeleteOutlined />}>
                    删除
                  </Button>
                </Popconfirm>
              )}
            </Space>
          ),
        },
      ]}
    />
  );
}
