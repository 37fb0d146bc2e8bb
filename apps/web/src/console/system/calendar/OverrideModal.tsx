import { App, DatePicker, Form, Input, Modal, Radio } from 'antd';
import type { Dayjs } from 'dayjs';
import { useEffect } from 'react';
import { errorMessage } from '../../../shared/api/client.ts';
import { type CalendarOverride, type OverrideKind, useSetOverride } from './api.ts';

interface Values {
  day: Dayjs;
  kind: OverrideKind;
  note: string;
}

interface Props {
  open: boolean;
  /** Day to start with (clicked in the calendar); the year limits the picker. */
  initialDay: Dayjs | null;
  /** The year's current adjustments: picking an adjusted day edits it instead of starting blank. */
  existing: CalendarOverride[];
  year: number;
  onClose: () => void;
}

/** Adds or replaces the adjustment of one day: a local make-up working day or a local day off. */
export function OverrideModal({ open, initialDay, existing, year, onClose }: Props) {
  const [form] = Form.useForm<Values>();
  const save = useSetOverride();
  const { message } = App.useApp();

  const current = initialDay ? existing.find((o) => o.day === initialDay.format('YYYY-MM-DD')) : undefined;

  useEffect(() => {
    if (!open) return;
    form.resetFields();
    // A weekend day is usually adjusted to a working day, a weekday to a day off.
    const weekend = initialDay ? initialDay.day() === 0 || initialDay.day() === 6 : false;
    form.setFieldsValue({
      day: initialDay ?? undefined,
      kind: current?.kind ?? (weekend ? 'workday' : 'holiday'),
      note: current?.note ?? '',
    });
  }, [open, initialDay, current, form]);

  const submit = async () => {
    // Invalid fields are already shown under each field; nothing else to report.
    const v = await form.validateFields().catch(() => null);
    if (!v) return;
    save.mutate(
      { day: v.day.format('YYYY-MM-DD'), kind: v.kind, note: v.note?.trim() ?? '' },
      {
        onSuccess: (o) => {
          void message.success(`已保存 ${o.day} 的调整`);
          onClose();
        },
        onError: (e) => void message.error(errorMessage(e)),
      },
    );
  };

  return (
    <Modal
      title={current ? `修改 ${current.day} 的调整` : '新增单日调整'}
      open={open}
      onCancel={onClose}
      onOk={() => void submit()}
      okText="保存"
      confirmLoading={save.isPending}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" name="calendar-override">
        <Form.Item name="day" label="日期" rules={[{ required: true, message: '请选择日期' }]}>
          <DatePicker
            style={{ width: '100%' }}
            disabledDate={(d) => d.year() !== year}
            placeholder="选择日期"
          />
        </Form.Item>
        <Form.Item name="kind" label="当天" rules={[{ required: true, message: '请选择当天是否上班' }]}>
          <Radio.Group
            options={[
              { value: 'workday', label: '工作日（上班）' },
              { value: 'holiday', label: '休息日（不上班）' },
            ]}
          />
        </Form.Item>
        <Form.Item name="note" label="说明" rules={[{ max: 200, message: '说明不能超过 200 个字符' }]}>
          <Input placeholder="如：防汛值班，全局上班" maxLength={200} showCount />
        </Form.Item>
      </Form>
    </Modal>
  );
}
