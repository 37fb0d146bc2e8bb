import { App, Form, Input, Modal, Typography } from 'antd';
import { useEffect } from 'react';
import { errorMessage } from '../../../shared/api/client.ts';
import { type ExchangeSource, useUpdateMapping } from './api.ts';

/** Identity fields of which at least one must be mapped (the server enforces it too). */
const ONE_OF: Record<ExchangeSource['dataset'], string> = {
  registration: '统一社会信用代码与注册号至少填写一个。',
  licence: '统一社会信用代码与主体名称至少填写一个（用于找到对应的经营主体）。',
  credit: '统一社会信用代码与主体名称至少填写一个（用于找到对应的经营主体）。',
  person: '统一社会信用代码与主体名称至少填写一个（用于找到对应的经营主体）。',
};

/** Edit which column of the exchange's files each target field is read from; no code change needed. */
export function MappingModal({ source, onClose }: { source: ExchangeSource | null; onClose: () => void }) {
  const { message } = App.useApp();
  const [form] = Form.useForm<Record<string, string>>();
  const update = useUpdateMapping();

  useEffect(() => {
    if (source)
      form.setFieldsValue(Object.fromEntries(source.fields.map((f) => [f.key, source.mapping[f.key] ?? ''])));
  }, [source, form]);

  const save = async () => {
    if (!source) return;
    const values = await form.validateFields();
    try {
      await update.mutateAsync({ name: source.name, mapping: values });
      message.success('字段映射已保存，下次导入即按新映射读取');
      onClose();
    } catch (err) {
      message.error(errorMessage(err));
    }
  };

  return (
    <Modal
      title={`字段映射 — ${source?.label ?? ''}`}
      open={source !== null}
      onCancel={onClose}
      onOk={() => void save()}
      okText="保存"
      confirmLoading={update.isPending}
      destroyOnHidden
    >
      <Typography.Paragraph type="secondary">
        填写本单位交换文件（或接口记录）中的列名；多个可能的列名用“|”分隔，导入时取先出现的一个。
        {source && ONE_OF[source.dataset]}
      </Typography.Paragraph>
      <Form form={form} layout="horizontal" labelCol={{ span: 7 }}>
        {source?.fields.map((f) => (
          <Form.Item
            key={f.key}
            name={f.key}
            label={f.label}
            rules={[
              ...(f.required
                ? [{ required: true, whitespace: true, message: `请填写“${f.label}”对应的列名` }]
                : []),
              { max: 200, message: '列名最多 200 个字符' },
            ]}
          >
            <Input placeholder={f.required ? '必填' : '不导入可留空'} />
          </Form.Item>
        ))}
      </Form>
    </Modal>
  );
}
