import { useMutation } from '@tanstack/react-query';
import { Alert, Button, Card, Descriptions, Form, Input, Tag, Timeline, Typography } from 'antd';
import dayjs from 'dayjs';
import { useSearchParams } from 'react-router';
import { errorMessage } from '../shared/api/client.ts';
import { getProgress } from './api.ts';
import { PublicLayout } from './PublicLayout.tsx';

const CLOSED = new Set(['direct', 'closed', 'rejected', 'merged', 'transferred']);
const fmt = (s: string) => dayjs(s).format('YYYY-MM-DD HH:mm');

/** 公众入口 › 进度查询: number + query code → status and the public timeline (no personal data). */
export default function PublicQueryPage() {
  const [params] = useSearchParams();
  const [form] = Form.useForm<{ number: string; code: string }>();
  const query = useMutation({
    mutationFn: (v: { number: string; code: string }) => getProgress(v.number, v.code),
  });
  const p = query.data;

  return (
    <PublicLayout title="办理进度查询">
      <Card variant="borderless" style={{ marginBottom: 16 }}>
        <Form
          form={form}
          layout="vertical"
          name="public-query"
          initialValues={{ number: params.get('number') ?? '', code: '' }}
          onFinish={(v) =>
            query.mutate({ number: v.number.trim().toUpperCase(), code: v.code.trim().toUpperCase() })
          }
        >
          <Form.Item
            name="number"
            label="编号"
            rules={[
              { required: true, whitespace: true, message: '请输入编号' },
              { pattern: /^\s*[Xx][Ss]\d{14}\s*$/, message: '编号为 XS 加 14 位数字' },
            ]}
          >
            <Input placeholder="如 XS20261128000001" autoComplete="off" />
          </Form.Item>
          <Form.Item
            name="code"
            label="查询码"
            rules={[{ required: true, whitespace: true, message: '请输入查询码' }]}
          >
            <Input placeholder="提交成功时显示的 8 位查询码" autoComplete="off" />
          </Form.Item>
          <Button type="primary" htmlType="submit" block size="large" loading={query.isPending}>
            查询
          </Button>
        </Form>
      </Card>
      {query.isError && (
        <Alert type="error" showIcon title={errorMessage(query.error)} style={{ marginBottom: 16 }} />
      )}
      {p && (
        <Card variant="borderless" title={`编号 ${p.number}`} data-testid="progress">
          <Descriptions column={1} size="small" style={{ marginBottom: 16 }}>
            <Descriptions.Item label="类型">{p.kindLabel}</Descriptions.Item>
            <Descriptions.Item label="收到时间">{fmt(p.receivedAt)}</Descriptions.Item>
            <Descriptions.Item label="当前状态">
              <Tag color={CLOSED.has(p.status) ? 'default' : 'processing'}>{p.statusLabel}</Tag>
            </Descriptions.Item>
            {p.departmentName && <Descriptions.Item label="承办单位">{p.departmentName}</Descriptions.Item>}
          </Descriptions>
          <Typography.Title level={5}>办理过程</Typography.Title>
          <Timeline
            items={p.timeline.map((e) => ({
              key: `${e.at}-${e.label}`,
              content: (
                <>
                  <Typography.Text strong>{e.label}</Typography.Text>
                  <Typography.Text type="secondary" style={{ marginLeft: 8 }}>
                    {fmt(e.at)}
                  </Typography.Text>
                  {e.detail && (
                    <Typography.Paragraph style={{ margin: '4px 0 0' }}>{e.detail}</Typography.Paragraph>
                  )}
                </>
              ),
            }))}
          />
        </Card>
      )}
    </PublicLayout>
  );
}
