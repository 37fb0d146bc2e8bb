import { SafetyCertificateOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Form, Input, Modal, Space, Tag, Tooltip, Typography } from 'antd';
import { useState } from 'react';
import { ApiError, errorMessage } from '../../shared/api/client.ts';
import type { SessionUser } from '../../shared/auth/types.ts';
import { type TotpEnrollment, useDisableTotp, useEnrollTotp } from './api.ts';
import { TotpEnrollmentPanel } from './TotpEnrollment.tsx';

interface DisableValues {
  password: string;
  code: string;
}

function DisableTotpModal({ open, onClose }: { open: boolean; onClose: () => void }) {
  const [form] = Form.useForm<DisableValues>();
  const disable = useDisableTotp();
  const { message } = App.useApp();
  const close = () => {
    form.resetFields();
    disable.reset();
    onClose();
  };
  return (
    <Modal
      title="停用动态口令"
      open={open}
      onCancel={close}
      okText="确认停用"
      okButtonProps={{ danger: true, loading: disable.isPending }}
      onOk={() => form.submit()}
      destroyOnHidden
    >
      <Typography.Paragraph type="secondary">
        停用后登录只需用户名和密码，账号安全性降低。
      </Typography.Paragraph>
      <Form<DisableValues>
        form={form}
        layout="vertical"
        name="totp-disable"
        onFinish={(values) =>
          disable.mutate(values, {
            onSuccess: () => {
              void message.success('动态口令已停用');
              close();
            },
            onError: (err) => {
              if (err instanceof ApiError && err.details?.length) {
                form.setFields(
                  err.details.map((d) => ({ name: d.path as keyof DisableValues, errors: [d.message] })),
                );
              }
            },
          })
        }
      >
        <Form.Item name="password" label="当前密码" rules={[{ required: true, message: '请输入当前密码' }]}>
          <Input.Password autoComplete="current-password" />
        </Form.Item>
        <Form.Item
          name="code"
          label="动态口令"
          rules={[
            { required: true, message: '请输入动态口令' },
            { pattern: /^\d{6}$/, message: '动态口令为 6 位数字' },
          ]}
        >
          <Input maxLength={6} inputMode="numeric" autoComplete="one-time-code" placeholder="6 位动态口令" />
        </Form.Item>
      </Form>
      {disable.isError && !(disable.error instanceof ApiError && disable.error.details?.length) && (
        <Alert type="error" showIcon title={errorMessage(disable.error)} role="alert" />
      )}
    </Modal>
  );
}

/** 个人中心 › 动态口令: status, enrollment by QR code, and switching it off where the policy allows. */
export function TotpCard({
  user,
  mustEnroll,
  onActivated,
}: {
  user: SessionUser;
  mustEnroll: boolean;
  onActivated?: () => void;
}) {
  const enroll = useEnrollTotp();
  const [enrollment, setEnrollment] = useState<TotpEnrollment | null>(null);
  const [disabling, setDisabling] = useState(false);
  const start = () => enroll.mutate(undefined, { onSuccess: setEnrollment });

  return (
    <Card
      variant="borderless"
      title={
        <Space>
          <SafetyCertificateOutlined />
          动态口令（双因素认证）
          {user.mfaEnabled ? <Tag color="green">已启用</Tag> : <Tag>未启用</Tag>}
          {user.mfaRequired && <Tag color="orange">安全策略要求</Tag>}
        </Space>
      }
    >
      {mustEnroll && !user.mfaEnabled && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 16 }}
          title="按安全策略，您的账号须先绑定动态口令才能继续使用平台"
          description="管理员账号须使用两种以上的身份鉴别方式（等保三级）。绑定完成后即可正常使用。"
        />
      )}
      {user.mfaEnabled ? (
        <Space orientation="vertical">
          <Typography.Text>登录时除密码外，还需输入手机身份验证器应用显示的 6 位动态口令。</Typography.Text>
          <Tooltip title={user.mfaRequired ? '安全策略要求您的账号启用动态口令，不能停用' : undefined}>
            <Button danger disabled={user.mfaRequired} onClick={() => setDisabling(true)}>
              停用动态口令
            </Button>
          </Tooltip>
        </Space>
      ) : enrollment ? (
        <TotpEnrollmentPanel
          enrollment={enrollment}
          onClose={() => setEnrollment(null)}
          {...(onActivated ? { onActivated } : {})}
        />
      ) : (
        <Space orientation="vertical">
          <Typography.Text>
            启用后，登录时除密码外还需输入手机身份验证器应用（如 Microsoft Authenticator、Google
            身份验证器）显示的 6 位动态口令，即使密码泄露，他人也无法登录。
          </Typography.Text>
          <Button type="primary" loading={enroll.isPending} onClick={start}>
            开始绑定
          </Button>
          {enroll.isError && <Alert type="error" showIcon title={errorMessage(enroll.error)} role="alert" />}
        </Space>
      )}
      <DisableTotpModal open={disabling} onClose={() => setDisabling(false)} />
    </Card>
  );
}
