import { SafetyOutlined } from '@ant-design/icons';
import { Alert, App, Button, Col, Form, Input, Row, Steps, Typography } from 'antd';
import { errorMessage } from '../../shared/api/client.ts';
import { groupSecret, type TotpEnrollment, useActivateTotp } from './api.ts';

/**
 * The enrollment step in progress: scan the QR code (or type the secret) in an authenticator app, then confirm
 * with the first code it shows. The secret is shown only here, never again.
 */
export function TotpEnrollmentPanel({
  enrollment,
  onClose,
  onActivated,
}: {
  enrollment: TotpEnrollment;
  onActivated?: () => void;
  /** Cancelled or done: the secret is not shown again either way. */
  onClose: () => void;
}) {
  const activate = useActivateTotp();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ code: string }>();

  return (
    <Row gutter={[32, 16]} data-testid="totp-enrollment">
      <Col xs={24} md={10} style={{ textAlign: 'center' }}>
        <img
          src={enrollment.qrDataUrl}
          alt="动态口令绑定二维码"
          width={220}
          height={220}
          style={{ border: '1px solid #f0f0f0', borderRadius: 8 }}
        />
        <div style={{ marginTop: 12 }}>
          <Typography.Text type="secondary">无法扫码时，在应用中手动输入密钥：</Typography.Text>
          <div>
            <Typography.Text
              code
              copyable={{ text: enrollment.secretForManualEntry }}
              data-testid="totp-secret"
            >
              {groupSecret(enrollment.secretForManualEntry)}
            </Typography.Text>
          </div>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            账号：{enrollment.issuer}:{enrollment.accountName}，基于时间（TOTP），6 位，30 秒
          </Typography.Text>
        </div>
      </Col>
      <Col xs={24} md={14}>
        <Steps
          orientation="vertical"
          size="small"
          current={1}
          items={[
            {
              title: '安装身份验证器应用',
              content: '如 Microsoft Authenticator、Google 身份验证器、FreeOTP 或手机自带的验证码功能。',
            },
            { title: '扫描左侧二维码', content: '应用中将出现“融监”账号，每 30 秒显示一个新的 6 位口令。' },
            { title: '输入应用显示的口令完成绑定', content: '绑定后每次登录都需要输入动态口令。' },
          ]}
        />
        <Form<{ code: string }>
          form={form}
          layout="inline"
          name="totp-activate"
          onFinish={({ code }) =>
            activate.mutate(code, {
              onSuccess: () => {
                void message.success('动态口令已启用，下次登录时需要输入');
                onClose();
                onActivated?.();
              },
              onError: () => form.resetFields(),
            })
          }
        >
          <Form.Item
            name="code"
            rules={[
              { required: true, message: '请输入动态口令' },
              { pattern: /^\d{6}$/, message: '动态口令为 6 位数字' },
            ]}
          >
            <Input
              prefix={<SafetyOutlined />}
              placeholder="6 位动态口令"
              maxLength={6}
              inputMode="numeric"
              autoComplete="one-time-code"
              style={{ width: 200 }}
              aria-label="动态口令"
            />
          </Form.Item>
          <Form.Item>
            <Button type="primary" htmlType="submit" loading={activate.isPending}>
              确认绑定
            </Button>
          </Form.Item>
          <Form.Item>
            <Button onClick={onClose}>取消</Button>
          </Form.Item>
        </Form>
        {activate.isError && (
          <Alert
            type="error"
            showIcon
            title={errorMessage(activate.error)}
            style={{ marginTop: 16 }}
            role="alert"
          />
        )}
      </Col>
    </Row>
  );
}
