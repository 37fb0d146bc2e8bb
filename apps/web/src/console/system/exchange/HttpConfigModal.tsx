import { exchangeHttpConfigInputSchema } from '@rongjian/shared/api';
import { App, Checkbox, Form, Input, InputNumber, Modal, Switch, Typography } from 'antd';
import { useEffect } from 'react';
import { errorMessage } from '../../../shared/api/client.ts';
import { type ExchangeSource, useUpdateHttpConfig } from './api.ts';

interface Values {
  baseUrl: string;
  pageSize: number;
  timeoutSeconds: number;
  retries: number;
  cron: string;
  enabled: boolean;
  token: string;
  clearToken: boolean;
}

/**
 * How an 接口 source is pulled. The token is write-only: the server keeps it sealed and only says whether one is
 * set; leaving the field empty keeps it. Validated with the server's own schema.
 */
export function HttpConfigModal({ source, onClose }: { source: ExchangeSource | null; onClose: () => void }) {
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const update = useUpdateHttpConfig();
  const clearToken = Form.useWatch('clearToken', form);

  useEffect(() => {
    if (source?.http) {
      form.setFieldsValue({
        baseUrl: source.http.baseUrl,
        pageSize: source.http.pageSize,
        timeoutSeconds: source.http.timeoutSeconds,
        retries: source.http.retries,
        cron: source.http.cron,
        enabled: source.enabled,
        token: '',
        clearToken: false,
      });
    }
  }, [source, form]);

  const save = async () => {
    if (!source) return;
    const v = await form.validateFields();
    const input = {
      baseUrl: v.baseUrl ?? '',
      pageSize: v.pageSize,
      timeoutSeconds: v.timeoutSeconds,
      retries: v.retries,
      cron: v.cron ?? '',
      enabled: v.enabled,
      ...(v.clearToken ? { token: null } : v.token?.trim() ? { token: v.token.trim() } : {}),
    };
    const parsed = exchangeHttpConfigInputSchema.safeParse(input);
    if (!parsed.success) {
      form.setFields(
        parsed.error.issues.map((i) => ({ name: String(i.path[0]) as keyof Values, errors: [i.message] })),
      );
      return;
    }
    try {
      await update.mutateAsync({ name: source.name, config: parsed.data });
      message.success('接口配置已保存');
      onClose();
    } catch (err) {
      message.error(errorMessage(err));
    }
  };

  return (
    <Modal
      title={`接口配置 — ${source?.label ?? ''}`}
      open={source !== null}
      onCancel={onClose}
      onOk={() => void save()}
      okText="保存"
      confirmLoading={update.isPending}
      destroyOnHidden
      width={620}
    >
      <Typography.Paragraph type="secondary">
        平台按“更新时间”增量拉取：GET
        接口地址/records?dataset=…&amp;updated_since=…&amp;cursor=…&amp;limit=…；
        每页与其游标在同一事务中保存，失败或中断后从上次的页继续。
      </Typography.Paragraph>
      <Form form={form} layout="horizontal" labelCol={{ span: 6 }}>
        <Form.Item name="baseUrl" label="接口地址" rules={[{ required: true, message: '请填写接口地址' }]}>
          <Input placeholder="如 http://10.1.2.3:8080/exchange" />
        </Form.Item>
        <Form.Item name="pageSize" label="每页条数" rules={[{ required: true, message: '请填写每页条数' }]}>
          <InputNumber min={1} max={5000} precision={0} style={{ width: 160 }} />
        </Form.Item>
        <Form.Item name="timeoutSeconds" label="超时" rules={[{ required: true, message: '请填写超时' }]}>
          <InputNumber min={1} max={300} precision={0} suffix="秒" style={{ width: 160 }} />
        </Form.Item>
        <Form.Item name="retries" label="失败重试" rules={[{ required: true, message: '请填写重试次数' }]}>
          <InputNumber min={0} max={10} precision={0} suffix="次" style={{ width: 160 }} />
        </Form.Item>
        <Form.Item
          name="cron"
          label="定时同步"
          extra="cron 规则（北京时间），如 */30 * * * * 为每 30 分钟；留空则只手动同步"
        >
          <Input placeholder="留空则只手动同步" />
        </Form.Item>
        <Form.Item name="enabled" label="启用" valuePropName="checked" extra="停用后不再定时同步">
          <Switch />
        </Form.Item>
        <Form.Item
          name="token"
          label="访问令牌"
          extra={
            source?.http?.hasToken
              ? '已设置访问令牌（加密保存，不显示）；留空则保留'
              : '未设置；接口需要时填写'
          }
        >
          <Input.Password placeholder="Bearer 令牌" autoComplete="new-password" disabled={clearToken} />
        </Form.Item>
        {source?.http?.hasToken && (
          <Form.Item name="clearToken" valuePropName="checked" wrapperCol={{ offset: 6 }}>
            <Checkbox>清除已保存的访问令牌</Checkbox>
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}
