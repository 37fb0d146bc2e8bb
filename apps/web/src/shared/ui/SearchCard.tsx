import { ReloadOutlined, SearchOutlined } from '@ant-design/icons';
import { Button, Card, Form, Space } from 'antd';
import type { ReactNode } from 'react';

/**
 * The filter card above a list: the caller's `Form.Item`s in an inline form, then 搜索 and 重置.
 * 重置 clears the fields and searches with no values, so every list resets the same way — back to its unfiltered
 * first page. `onSearch` therefore takes `Partial` values: the reset passes `{}`.
 */
export function SearchCard<V extends object>({
  onSearch,
  name,
  children,
}: {
  onSearch: (values: Partial<V>) => void;
  /** Form name; prefixes the field ids (kept where tests or labels already rely on it). */
  name?: string;
  children: ReactNode;
}) {
  const [form] = Form.useForm<V>();
  return (
    <Card variant="borderless">
      <Form form={form} layout="inline" onFinish={onSearch} style={{ rowGap: 12 }} name={name}>
        {children}
        <Form.Item>
          <Space>
            <Button type="primary" htmlType="submit" icon={<SearchOutlined />}>
              搜索
            </Button>
            <Button
              icon={<ReloadOutlined />}
              onClick={() => {
                form.resetFields();
                onSearch({});
              }}
            >
              重置
            </Button>
          </Space>
        </Form.Item>
      </Form>
    </Card>
  );
}
