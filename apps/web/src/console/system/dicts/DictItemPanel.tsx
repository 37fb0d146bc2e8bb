import { DeleteOutlined, EditOutlined, PlusOutlined } from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  Card,
  Empty,
  Form,
  Input,
  Popconfirm,
  Select,
  Space,
  Switch,
  Table,
  Tag,
} from 'antd';
import { useState } from 'react';
import { errorMessage } from '../../../shared/api/client.ts';
import { QueryError } from '../../../shared/ui/QueryError.tsx';
import { SearchCard } from '../../../shared/ui/SearchCard.tsx';
import { type DictItem, type DictType, useDeleteItem, useDictItems, useUpdateItem } from './api.ts';
import { DictItemModal } from './DictItemModal.tsx';

interface Props {
  type: DictType | undefined;
  canCreate: boolean;
  canUpdate: boolean;
  canDelete: boolean;
}

interface Filter {
  keyword?: string;
  enabled?: string;
}

/** Right side of 字典管理: the items of the selected table — search, table, toolbar, item form. */
export function DictItemPanel({ type, canCreate, canUpdate, canDelete }: Props) {
  const [filter, setFilter] = useState<Filter>({});
  const items = useDictItems(type?.code ?? null, filter);
  const update = useUpdateItem();
  const remove = useDeleteItem();
  const { message } = App.useApp();
  const [modal, setModal] = useState<{ editing: DictItem | null } | null>(null);

  if (!type) {
    return (
      <Card variant="borderless">
        <Empty description="请在左侧选择字典类型" />
      </Card>
    );
  }
  const rows = items.data?.items ?? [];
  const labelOf = (value: string | null) => rows.find((r) => r.value === value)?.label ?? value;
  const fail = (e: unknown) => void message.error(errorMessage(e));

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <SearchCard<Filter>
        onSearch={(v) => setFilter({ keyword: v.keyword?.trim() || undefined, enabled: v.enabled })}
      >
        <Form.Item name="keyword" label="值或标签">
          <Input allowClear maxLength={100} style={{ width: 180 }} />
        </Form.Item>
        <Form.Item name="enabled" label="状态">
          <Select
            allowClear
            placeholder="全部"
            style={{ width: 100 }}
            options={[
              { value: 'true', label: '启用' },
              { value: 'false', label: '停用' },
            ]}
          />
        </Form.Item>
      </SearchCard>
      <Card
        variant="borderless"
        title={`${type.name}（${type.code}）`}
        extra={
          canCreate && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setModal({ editing: null })}>
              新增字典项
            </Button>
          )
        }
      >
        {type.description && <Alert type="info" title={type.description} style={{ marginBottom: 12 }} />}
        <QueryError query={items} />
        <Table<DictItem>
          rowKey="id"
          size="middle"
          loading={items.isFetching}
          dataSource={rows}
          pagination={{ pageSize: 50, hideOnSinglePage: true, showTotal: (n) => `共 ${n} 项` }}
          scroll={{ x: 860 }}
          columns={[
            { title: '字典值', dataIndex: 'value', width: 180 },
            {
              title: '字典标签',
              dataIndex: 'label',
              width: 220,
              render: (label: string, r) => (
                <span>
                  {r.color ? <Tag color={r.color}>{label}</Tag> : label} {r.builtin && <Tag>内置</Tag>}
                </span>
              ),
            },
            {
              title: '上级项',
              dataIndex: 'parentValue',
              width: 140,
              render: (v: string | null) => (v ? labelOf(v) : '—'),
            },
            { title: '排序', dataIndex: 'sort', width: 80 },
            {
              title: '状态',
              dataIndex: 'enabled',
              width: 90,
              render: (enabled: boolean, r) =>
                canUpdate ? (
                  <Switch
                    size="small"
                    checked={enabled}
                    checkedChildren="启用"
                    unCheckedChildren="停用"
                    aria-label={`${r.label}启用状态`}
                    onChange={(v) =>
                      update.mutate(
                        { code: type.code, id: r.id, item: { enabled: v } },
                        { onSuccess: () => void message.success(v ? '已启用' : '已停用'), onError: fail },
                      )
                    }
                  />
                ) : (
                  <Tag color={enabled ? 'green' : 'default'}>{enabled ? '启用' : '停用'}</Tag>
                ),
            },
            {
              title: '操作',
              width: 150,
              render: (_: unknown, r) => (
                <Space size={0}>
                  {canUpdate && (
                    <Button
                      type="link"
                      size="small"
                      icon={<EditOutlined />}
                      onClick={() => setModal({ editing: r })}
                    >
                      修改
                    </Button>
                  )}
                  {canDelete && !r.builtin && (
                    <Popconfirm
                      title={`删除字典项“${r.label}”？`}
                      description="已使用该值的业务数据将只显示原值。"
                      okText="删除"
                      okButtonProps={{ danger: true }}
                      onConfirm={() =>
                        remove.mutate(
                          { code: type.code, id: r.id },
                          { onSuccess: () => void message.success('已删除'), onError: fail },
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
      </Card>
      <DictItemModal
        open={modal !== null}
        typeCode={type.code}
        editing={modal?.editing ?? null}
        siblings={rows}
        onClose={() => setModal(null)}
      />
    </Space>
  );
}
