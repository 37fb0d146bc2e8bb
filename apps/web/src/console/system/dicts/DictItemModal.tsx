import { Alert, App, Form, Input, InputNumber, Modal, Select, Switch, Tag } from 'antd';
import { useEffect } from 'react';
import { errorMessage } from '../../../shared/api/client.ts';
import { COLOR_OPTIONS, type DictItem, type DictItemInput, useCreateItem, useUpdateItem } from './api.ts';

interface Props {
  open: boolean;
  typeCode: string;
  /** The item being edited; null to add one. */
  editing: DictItem | null;
  /** Items of the same type, offered as parents (two-level tables such as the 12315 categories). */
  siblings: DictItem[];
  onClose: () => void;
}

interface Values {
  value: string;
  label: string;
  parentValue?: string;
  sort?: number;
  enabled: boolean;
  color?: string;
}

/** Add or edit one item. The value of a built-in item is fixed (code compares against it). */
export function DictItemModal({ open, typeCode, editing, siblings, onClose }: Props) {
  const [form] = Form.useForm<Values>();
  const create = useCreateItem();
  const update = useUpdateItem();
  const { message } = App.useApp();

  useEffect(() => {
    if (!open) return;
    form.resetFields();
    form.setFieldsValue(
      editing
        ? {
            value: editing.value,
            label: editing.label,
            parentValue: editing.parentValue ?? undefined,
            sort: editing.sort,
            enabled: editing.enabled,
            color: editing.color ?? undefined,
          }
        : { enabled: true },
    );
  }, [open, editing, form]);

  const submit = async () => {
    const v = await form.validateFields().catch(() => null);
    if (!v) return;
    const item: DictItemInput = {
      value: v.value.trim(),
      label: v.label.trim(),
      parentValue: v.parentValue ?? null,
      sort: v.sort ?? 0,
      enabled: v.enabled,
      color: v.color && v.color !== 'default' ? v.color : null,
    };
    const done = {
      onSuccess: () => {
        void message.success(editing ? '已保存字典项' : `已新增字典项“${item.label}”`);
        onClose();
      },
      onError: (e: unknown) => void message.error(errorMessage(e)),
    };
    if (editing) {
      const { value: _, ...rest } = item;
      update.mutate({ code: typeCode, id: editing.id, item: editing.builtin ? rest : item }, done);
    } else {
      const { sort: _, ...rest } = item;
      // A new item without an explicit order goes last.
      create.mutate({ code: typeCode, item: v.sort === undefined ? rest : item }, done);
    }
  };

  const parents = siblings.filter((s) => s.id !== editing?.id && s.parentValue === null);

  return (
    <Modal
      title={editing ? `修改字典项：${editing.label}` : '新增字典项'}
      open={open}
      onCancel={onClose}
      onOk={() => void submit()}
      okText="保存"
      confirmLoading={create.isPending || update.isPending}
      destroyOnHidden
    >
      {editing?.builtin && (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 16 }}
          title="内置字典项：程序依赖其字典值，值不能修改、不能删除；可修改标签、排序、颜色，或停用。"
        />
      )}
      <Form form={form} layout="vertical" name="dict-item">
        <Form.Item
          name="value"
          label="字典值"
          extra="保存在业务数据中的值。"
          rules={[
            { required: true, whitespace: true, message: '请填写字典值' },
            { max: 50, message: '最多 50 个字符' },
          ]}
        >
          <Input disabled={editing?.builtin === true} maxLength={50} />
        </Form.Item>
        <Form.Item
          name="label"
          label="字典标签"
          extra="页面上显示的名称。"
          rules={[
            { required: true, whitespace: true, message: '请填写字典标签' },
            { max: 50, message: '最多 50 个字' },
          ]}
        >
          <Input maxLength={50} />
        </Form.Item>
        {parents.length > 0 && (
          <Form.Item name="parentValue" label="上级项">
            <Select
              allowClear
              placeholder="无（一级项）"
              options={parents.map((p) => ({ value: p.value, label: p.label }))}
            />
          </Form.Item>
        )}
        <Form.Item name="sort" label="排序" extra="数字小的在前；留空则排在最后。">
          <InputNumber min={0} max={99999} precision={0} style={{ width: 160 }} />
        </Form.Item>
        <Form.Item name="color" label="标签颜色">
          <Select
            allowClear
            placeholder="默认"
            style={{ width: 160 }}
            options={COLOR_OPTIONS.map((c) => ({
              value: c.value,
              label: <Tag color={c.value === 'default' ? undefined : c.value}>{c.label}</Tag>,
            }))}
          />
        </Form.Item>
        <Form.Item name="enabled" label="启用" valuePropName="checked">
          <Switch checkedChildren="启用" unCheckedChildren="停用" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
