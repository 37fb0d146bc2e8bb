import { DeleteOutlined, EditOutlined, PlusOutlined } from '@ant-design/icons';
import { App, Button, Card, Input, Popconfirm, Space, Table, Tag, Tooltip, Typography } from 'antd';
import { useState } from 'react';
import { errorMessage } from '../../../shared/api/client.ts';
import { QueryError } from '../../../shared/ui/QueryError.tsx';
import { type DictType, useDeleteType, useDictTypes } from './api.ts';
import { DictTypeModal } from './DictTypeModal.tsx';

interface Props {
  selected: string | null;
  onSelect: (code: string | null) => void;
  canCreate: boolean;
  canUpdate: boolean;
  canDelete: boolean;
}

/** Left side of 字典管理: the code tables, built-in ones marked and protected. */
export function DictTypePanel({ selected, onSelect, canCreate, canUpdate, canDelete }: Props) {
  const [keyword, setKeyword] = useState('');
  const types = useDictTypes(keyword);
  const remove = useDeleteType();
  const { message } = App.useApp();
  const [modal, setModal] = useState<{ editing: DictType | null } | null>(null);

  return (
    <Card
      variant="borderless"
      title="字典类型"
      extra={
        canCreate && (
          <Button
            type="primary"
            size="small"
            icon={<PlusOutlined />}
            onClick={() => setModal({ editing: null })}
          >
            新增类型
          </Button>
        )
      }
    >
      <Input.Search
        placeholder="按编码或名称搜索"
        allowClear
        maxLength={100}
        onSearch={(v) => setKeyword(v.trim())}
        style={{ marginBottom: 12 }}
      />
      <QueryError query={types} />
      <Table<DictType>
        rowKey="code"
        size="small"
        loading={types.isFetching}
        dataSource={types.data?.items ?? []}
        pagination={false}
        rowClassName={(r) => (r.code === selected ? 'ant-table-row-selected' : '')}
        onRow={(r) => ({ onClick: () => onSelect(r.code), style: { cursor: 'pointer' } })}
        columns={[
          {
            title: '名称',
            dataIndex: 'name',
            render: (name: string, r) => (
              <Space orientation="vertical" size={0}>
                <span>
                  {name} {r.builtin && <Tag color="blue">内置</Tag>}
                </span>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {r.code} · {r.itemCount} 项
                </Typography.Text>
              </Space>
            ),
          },
          {
            title: '操作',
            width: 90,
            render: (_: unknown, r) => (
              <Space size={0} onClick={(e) => e.stopPropagation()}>
                {canUpdate && (
                  <Tooltip title="修改名称和说明">
                    <Button
                      type="link"
                      size="small"
                      icon={<EditOutlined />}
                      aria-label={`修改${r.name}`}
                      onClick={() => setModal({ editing: r })}
                    />
                  </Tooltip>
                )}
                {canDelete && !r.builtin && (
                  <Popconfirm
                    title={`删除字典类型“${r.name}”？`}
                    description="其下全部字典项一并删除，不能恢复。"
                    okText="删除"
                    okButtonProps={{ danger: true }}
                    onConfirm={() =>
                      remove.mutate(r.code, {
                        onSuccess: () => {
                          void message.success('已删除');
                          if (selected === r.code) onSelect(null);
                        },
                        onError: (e) => void message.error(errorMessage(e)),
                      })
                    }
                  >
                    <Button
                      type="link"
                      size="small"
                      danger
                      icon={<DeleteOutlined />}
                      aria-label={`删除${r.name}`}
                    />
                  </Popconfirm>
                )}
              </Space>
            ),
          },
        ]}
      />
      <DictTypeModal
        open={modal !== null}
        editing={modal?.editing ?? null}
        onClose={() => setModal(null)}
        onSaved={(code) => onSelect(code)}
      />
    </Card>
  );
}
