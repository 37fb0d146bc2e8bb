import { Alert, Button, Card, DatePicker, Form, InputNumber, Space, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { errorMessage } from '../../../shared/api/client.ts';
import { useAddWorkdays } from './api.ts';

interface Values {
  start: Dayjs;
  add: number;
}

/** 期限计算器: the N-th working day after a start date, with the server's warnings for uncovered years. */
export function DeadlineCalculator() {
  const [input, setInput] = useState<{ start: string; add: number } | null>(null);
  const result = useAddWorkdays(input);

  return (
    <Card variant="borderless" title="期限计算器" data-testid="deadline-calculator">
      <Typography.Paragraph type="secondary" style={{ marginTop: -4 }}>
        起算日当天不计入，自次日起按工作日（含调休与本地调整）计算。
      </Typography.Paragraph>
      <Form<Values>
        layout="inline"
        name="deadline"
        initialValues={{ start: dayjs(), add: 7 }}
        onFinish={(v) => setInput({ start: v.start.format('YYYY-MM-DD'), add: v.add })}
      >
        <Form.Item name="start" rules={[{ required: true, message: '请选择起算日期' }]}>
          <DatePicker placeholder="起算日期" allowClear={false} style={{ width: 130 }} />
        </Form.Item>
        <Form.Item name="add" rules={[{ required: true, message: '请输入天数' }]}>
          <InputNumber min={1} max={5000} precision={0} suffix="个工作日" style={{ width: 124 }} />
        </Form.Item>
        <Form.Item>
          <Button type="primary" htmlType="submit" loading={result.isFetching}>
            计算
          </Button>
        </Form.Item>
      </Form>
      {result.isError && (
        <Alert type="error" showIcon title={errorMessage(result.error)} style={{ marginTop: 16 }} />
      )}
      {result.data && input && (
        <Space orientation="vertical" style={{ width: '100%', marginTop: 16 }}>
          <div>
            {input.start} 起第 {input.add} 个工作日：
            <span className="rj-deadline-result" data-testid="deadline-result">
              {result.data.result}
            </span>{' '}
            <Typography.Text type="secondary">{dayjs(result.data.result).format('dddd')}</Typography.Text>
          </div>
          {result.data.warnings.map((w) => (
            <Alert key={w} type="warning" showIcon title={w} />
          ))}
        </Space>
      )}
    </Card>
  );
}
