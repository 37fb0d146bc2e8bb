import { App, Form, Input, Modal } from 'antd';
import { useEffect } from 'react';
import { errorMessage } from '../../../shared/api/client.ts';
import { DICT_CODE_PATTERN, type DictType, type DictTypeInput, useCreateType, useUpdateType } from './api.ts';

interface Props {
  open: boolean;
  /** The type being edited; null to create a new custom type. */
  editing: DictType | null;
  onClose: () => void;
  onSaved: (code: string) => void;
}

/** Create a custom code table, or rename any table (its code never changes: records store it). */
export function DictTypeModal({ open, editing, onClose, onSaved }: Props) {
  const [form] = Form.useForm<DictTypeInput>();
  const create = useCreateType();
  const update = useUpdateType();
  const { message } = App.useApp();

  useEffect(() => {
    if (!open) return;
    form.resetFields();
    if (editing)
      form.setFieldsValue({ code: editing.code, name: editing.name, description: editing.description });
  }, [open, editing, form]);

  const submit = async () => {
    const v = await form.validateFields().catch(() => null);
    if (!v) return;
    const input = { code: v.code.trim(), name: v.name.trim(), description: v.description?.trim() ?? '' };
    const done = {
      onSuccess: () => {
        void message.success(editing ? '已保存字典类型' : `已新增字典类型“${input.name}”`);
        onSaved(input.code);
        onClose();
      },
      onError: (e: unknown) => void message.error(errorMessage(e)),
    };
    if (editing) update.mutate(input, done);
    else create.mutate(input, done);
  };

  return (
    <Modal
      title={editing ? `修改字典类型：${editing.name}` : '新增字典类型'}
      open={open}
      onCancel={onClose}
      onOk={() => void submit()}
      okText="保存"
      confirmLoading={create.isPending || update.isPending}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" name="dict-type">
        <Form.Item
          name="code"
          label="类型编码"
          extra="程序和业务数据引用此编码，创建后不能修改。"
          rules={[
            { required: true, message: '请填写类型编码' },
            { pattern: DICT_CODE_PATTERN, message: '应为小写字母开头的 2–50 位小写字母、数字或下划线' },
          ]}
        >
          <Input disabled={editing !== null} placeholder="如 hotline_topic" maxLength={50} />
        </Form.Item>
        <Form.Item
          name="name"
          label="类型名称"
          rules={[
            { required: true, whitespace: true, message: '请填写类型名称' },
            { max: 50, message: '最多 50 个字' },
          ]}
        >
          <Input maxLength={50} />
        </Form.Item>
        <Form.Item name="description" label="说明" rules={[{ max: 200, message: '最多 200 个字' }]}>
          <Input.TextArea rows={3} maxLength={200} showCount />
        </Form.Item>
      </Form>
    </Modal>
  );
}
