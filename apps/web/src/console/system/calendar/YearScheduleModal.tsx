import { App, DatePicker, Form, Input, Modal, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useEffect } from 'react';
import { errorMessage } from '../../../shared/api/client.ts';
import { useEnterYearSchedule } from './api.ts';

interface Values {
  holidays: Dayjs[];
  workdays: Dayjs[];
  holidayRange?: [Dayjs, Dayjs] | null;
  note: string;
}

interface Props {
  year: number;
  open: boolean;
  onClose: () => void;
}

const days = (list: Dayjs[] | undefined) =>
  [...new Set((list ?? []).map((d) => d.format('YYYY-MM-DD')))].sort();

/**
 * Enter a year's holiday schedule while the packaged official data does not cover it yet (the State Council
 * publishes it each autumn). Holidays may be picked one by one or added a range at a time (e.g. 10-01 ~ 10-07).
 */
export function YearScheduleModal({ year, open, onClose }: Props) {
  const [form] = Form.useForm<Values>();
  const enter = useEnterYearSchedule();
  const { message } = App.useApp();
  const inYear = (d: Dayjs) => d.year() !== year;

  useEffect(() => {
    if (open) {
      form.resetFields();
      form.setFieldsValue({ holidays: [], workdays: [], note: `${year} 年国务院办公厅部分节假日安排` });
    }
  }, [open, year, form]);

  const addRange = (range: [Dayjs, Dayjs] | null) => {
    if (!range) return;
    const [from, to] = range;
    const list = [...(form.getFieldValue('holidays') ?? [])] as Dayjs[];
    for (let d = from.startOf('day'); !d.isAfter(to, 'day'); d = d.add(1, 'day')) list.push(d);
    const unique = new Map(list.map((d) => [d.format('YYYY-MM-DD'), d]));
    form.setFieldsValue({
      holidays: [...unique.values()].sort((a, b) => a.valueOf() - b.valueOf()),
      holidayRange: null,
    });
  };

  const submit = async () => {
    // Invalid fields are already shown under each field; nothing else to report.
    const v = await form.validateFields().catch(() => null);
    if (!v) return;
    enter.mutate(
      { year, holidays: days(v.holidays), workdays: days(v.workdays), note: v.note.trim() },
      {
        onSuccess: () => {
          void message.success(`${year} 年节假日安排已录入`);
          onClose();
        },
        onError: (e) => void message.error(errorMessage(e)),
      },
    );
  };

  return (
    <Modal
      title={`录入 ${year} 年法定节假日安排`}
      open={open}
      onCancel={onClose}
      onOk={() => void submit()}
      okText="保存"
      confirmLoading={enter.isPending}
      width={640}
      destroyOnHidden
    >
      <Typography.Paragraph type="secondary">
        请依据国务院办公厅发布的《关于 {year}{' '}
        年部分节假日安排的通知》录入：放假日期（含节日及调休放假的日期）和调休上班的周末日期。
        保存后期限计算按此安排执行。
      </Typography.Paragraph>
      <Form form={form} layout="vertical" name="calendar-year">
        <Form.Item
          label="按区间添加放假日期"
          name="holidayRange"
          extra="选择起止日期后，区间内每一天都会加入下方放假日期。"
        >
          <DatePicker.RangePicker
            style={{ width: '100%' }}
            disabledDate={inYear}
            onChange={(r) => addRange(r as [Dayjs, Dayjs] | null)}
          />
        </Form.Item>
        <Form.Item
          name="holidays"
          label="放假日期"
          rules={[{ required: true, type: 'array', min: 1, message: '请至少选择一个放假日期' }]}
        >
          <DatePicker
            multiple
            style={{ width: '100%' }}
            disabledDate={inYear}
            placeholder="逐日点选放假日期"
          />
        </Form.Item>
        <Form.Item name="workdays" label="调休上班日期（周末上班）">
          <DatePicker
            multiple
            style={{ width: '100%' }}
            disabledDate={inYear}
            placeholder="逐日点选调休上班日期"
          />
        </Form.Item>
        <Form.Item
          name="note"
          label="依据/说明"
          rules={[
            { required: true, whitespace: true, message: '请填写依据，例如通知的文号' },
            { max: 200, message: '说明不能超过 200 个字符' },
          ]}
        >
          <Input maxLength={200} showCount />
        </Form.Item>
      </Form>
    </Modal>
  );
}
