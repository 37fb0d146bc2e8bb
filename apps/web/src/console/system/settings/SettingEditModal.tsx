import { Alert, App, DatePicker, Form, Input, InputNumber, Modal, Select, Switch } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect } from 'react';
import { ApiError, errorMessage } from '../../../shared/api/client.ts';
import { type SettingFieldView, type SettingGroup, type SettingView, useSaveSetting } from './api.ts';

interface Props {
  group: SettingGroup;
  setting: SettingView | null;
  onClose: () => void;
}

type Values = Record<string, unknown> & { __effectiveFrom?: Dayjs };

const EFFECTIVE = '__effectiveFrom';

function control(f: SettingFieldView) {
  switch (f.type) {
    case 'number':
      return (
        <InputNumber
          style={{ width: 220 }}
          min={f.min}
          max={f.max}
          precision={0}
          suffix={f.unit}
          placeholder={f.min !== undefined && f.max !== undefined ? `${f.min}–${f.max}` : undefined}
        />
      );
    case 'boolean':
      return <Switch checkedChildren="是" unCheckedChildren="否" />;
    case 'enum':
      return <Select style={{ width: 220 }} options={f.options ?? []} />;
    case 'string[]':
      // With options: pick among them; without: free entries (e.g. IP ranges), one per tag.
      return f.options ? (
        <Select mode="multiple" options={f.options} placeholder="请选择" />
      ) : (
        <Select mode="tags" tokenSeparators={[',', '，']} placeholder="输入后回车添加" />
      );
    default:
      return <Input maxLength={200} />;
  }
}

/** Edits one setting with a form generated from its field descriptions; rules also take a 生效日期. */
export function SettingEditModal({ group, setting, onClose }: Props) {
  const [form] = Form.useForm<Values>();
  const save = useSaveSetting(group);
  const { message } = App.useApp();
  const open = setting !== null;

  useEffect(() => {
    if (!setting) return;
    form.resetFields();
    form.setFieldsValue({ ...setting.value, [EFFECTIVE]: dayjs() });
  }, [setting, form]);

  if (!setting) return null;

  const submit = async () => {
    const v = await form.validateFields().catch(() => null);
    if (!v) return;
    const value: Record<string, unknown> = {};
    for (const f of setting.fields) {
      const raw = v[f.name];
      // An emptied number means 未设置 (null): the server decides whether the setting allows it.
      value[f.name] = raw === undefined || raw === '' ? null : typeof raw === 'string' ? raw.trim() : raw;
    }
    const effectiveFrom = setting.versioned ? v[EFFECTIVE]?.format('YYYY-MM-DD') : undefined;
    save.mutate(
      { key: setting.key, value, ...(effectiveFrom ? { effectiveFrom } : {}) },
      {
        onSuccess: () => {
          const today = dayjs().format('YYYY-MM-DD');
          void message.success(
            effectiveFrom && effectiveFrom !== today
              ? `已保存“${setting.label}”，自 ${effectiveFrom} 起生效`
              : `已保存“${setting.label}”`,
          );
          onClose();
        },
        onError: (e) => {
          // Field-level answers from the server (`value.<name>`) go under their fields.
          const issues = e instanceof ApiError ? (e.details ?? []) : [];
          const fieldErrors = issues
            .map((d) => {
              const name = d.path.replace(/^value\./, '').replace(/^effectiveFrom$/, EFFECTIVE);
              const label = setting.fields.find((f) => f.name === name)?.label;
              // Under its own field the message need not repeat the field's label.
              return { name, errors: [label ? d.message.replace(`${label}：`, '') : d.message] };
            })
            .filter((d) => d.name === EFFECTIVE || setting.fields.some((f) => f.name === d.name));
          if (fieldErrors.length > 0) form.setFields(fieldErrors);
          void message.error(errorMessage(e));
        },
      },
    );
  };

  return (
    <Modal
      title={`修改：${setting.label}`}
      open={open}
      onCancel={onClose}
      onOk={() => void submit()}
      okText="保存"
      confirmLoading={save.isPending}
      destroyOnHidden
      width={640}
    >
      {setting.description && (
        <Alert type="info" showIcon title={setting.description} style={{ marginBottom: 16 }} />
      )}
      <Form form={form} layout="vertical" name={`setting-${setting.key}`}>
        {setting.fields.map((f) => (
          <Form.Item
            key={f.name}
            name={f.name}
            label={f.label}
            extra={f.help}
            valuePropName={f.type === 'boolean' ? 'checked' : 'value'}
            rules={
              f.type === 'boolean'
                ? []
                : [
                    ...(f.type === 'number' && setting.default[f.name] !== null
                      ? [{ required: true, message: `请填写${f.label}` }]
                      : []),
                    ...(f.type === 'string'
                      ? [{ required: true, whitespace: true, message: `请填写${f.label}` }]
                      : []),
                    ...(f.type === 'enum' ? [{ required: true, message: `请选择${f.label}` }] : []),
                  ]
            }
          >
            {control(f)}
          </Form.Item>
        ))}
        {setting.versioned && (
          <Form.Item
            name={EFFECTIVE}
            label="生效日期"
            extra="新规则自该日起适用（按事实发生日，如收到投诉之日，取当日有效的规则）；不能早于今天，已生效的版本不能追溯修改。"
            rules={[{ required: true, message: '请选择生效日期' }]}
          >
            <DatePicker
              style={{ width: 220 }}
              allowClear={false}
              disabledDate={(d) => d.isBefore(dayjs(), 'day')}
            />
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}
