import { Alert, App, Form, Input, Modal, Radio, Space, Typography } from 'antd';
import { errorMessage } from '../../../shared/api/client.ts';
import { type User, useResetPassword } from './api.ts';

/** Shows a one-time password once: it is not stored anywhere the page could show it again. */
export function OneTimePasswordModal({
  value,
  onClose,
}: {
  value: { username: string; displayName: string; password: string } | null;
  onClose: () => void;
}) {
  return (
    <Modal
      title="一次性密码"
      open={value !== null}
      onCancel={onClose}
      onOk={onClose}
      okText="我已记下"
      cancelButtonProps={{ style: { display: 'none' } }}
      mask={{ closable: false }}
      destroyOnHidden
    >
      {value && (
        <Space orientation="vertical" style={{ width: '100%' }}>
          <Alert
            type="warning"
            showIcon
            title="密码只显示这一次"
            description="请通过安全的方式交给本人；对方首次登录时必须修改密码。关闭后无法再次查看，只能重新重置。"
          />
          <Typography.Paragraph style={{ marginBottom: 0 }}>
            {value.displayName}（{value.username}）的密码：
          </Typography.Paragraph>
          <Typography.Text
            code
            copyable={{ text: value.password, tooltips: ['复制', '已复制'] }}
            style={{ fontSize: 20 }}
            data-testid="one-time-password"
          >
            {value.password}
          </Typography.Text>
        </Space>
      )}
    </Modal>
  );
}

/** Confirms a password reset, then hands the new one-time password to `onDone`. */
export function ResetPasswordModal({
  user,
  onClose,
  onDone,
}: {
  user: User | null;
  onClose: () => void;
  onDone: (password: string) => void;
}) {
  const reset = useResetPassword();
  const { message } = App.useApp();
  return (
    <Modal
      title="重置密码"
      open={user !== null}
      onCancel={onClose}
      okText="重置"
      okButtonProps={{ danger: true }}
      confirmLoading={reset.isPending}
      onOk={() =>
        user &&
        reset.mutate(user.id, {
          onSuccess: ({ password }) => onDone(password),
          onError: (e) => void message.error(errorMessage(e)),
        })
      }
      destroyOnHidden
    >
      {user && (
        <Typography.Paragraph>
          为 <b>{user.displayName}</b>（{user.username}
          ）生成新的一次性密码？原密码立即失效，该用户的所有登录会话将被结束， 下次登录须修改密码。
        </Typography.Paragraph>
      )}
    </Modal>
  );
}

/** The create form's initial password: generated (shown once after saving) or typed by the administrator. */
export function InitialPasswordFields() {
  const form = Form.useFormInstance();
  const mode = Form.useWatch('passwordMode', form);
  return (
    <>
      <Form.Item name="passwordMode" label="初始密码">
        <Radio.Group
          options={[
            { value: 'generate', label: '自动生成一次性强密码' },
            { value: 'given', label: '指定初始密码' },
          ]}
        />
      </Form.Item>
      {mode === 'given' && (
        <Form.Item
          name="password"
          label="指定的初始密码"
          extra="须符合密码策略（长度、字符类别）；用户首次登录必须修改。"
          rules={[
            { required: true, message: '请输入初始密码' },
            { min: 8, message: '至少 8 位' },
            { max: 128, message: '最多 128 位' },
          ]}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
      )}
    </>
  );
}
