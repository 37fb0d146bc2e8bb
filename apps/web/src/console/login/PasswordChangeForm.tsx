import { CheckCircleFilled, CloseCircleOutlined, LockOutlined } from '@ant-design/icons';
import type { PasswordRulesView } from '@rongjian/shared/api';
import {
  CHARACTER_CLASSES,
  characterClassCount,
  MAX_PASSWORD_LENGTH,
} from '@rongjian/shared/password-policy';
import { Alert, Button, Form, Input, Skeleton } from 'antd';
import { ApiError, errorMessage } from '../../shared/api/client.ts';
import { type ChangePasswordInput, useChangePassword, usePasswordRules } from '../../shared/auth/api.ts';
import type { SessionUser } from '../../shared/auth/types.ts';
import './password.css';

interface Values extends ChangePasswordInput {
  confirm: string;
}

/** Fields the server's validation details may point at. */
const FIELDS = new Set<string>(['currentPassword', 'newPassword']);
const onFields = (err: unknown) => err instanceof ApiError && !!err.details?.some((d) => FIELDS.has(d.path));

/** One line of the live checklist: what the rule asks, and whether the typed password meets it. */
function Check({ ok, children }: { ok: boolean; children: string }) {
  return (
    <li className={ok ? 'rj-pw-ok' : 'rj-pw-todo'}>
      {ok ? <CheckCircleFilled /> : <CloseCircleOutlined />} {children}
    </li>
  );
}

function Checklist({
  rules,
  password,
  username,
}: {
  rules: PasswordRulesView;
  password: string;
  username: string;
}) {
  const length = [...password].length;
  const classes = characterClassCount(password);
  const lower = password.toLowerCase();
  return (
    <ul className="rj-pw-checklist" aria-label="密码要求">
      <Check
        ok={length >= rules.minLength && length <= MAX_PASSWORD_LENGTH}
      >{`长度至少 ${rules.minLength} 位`}</Check>
      <Check ok={classes >= rules.minClasses}>
        {`至少包含 ${rules.minClasses} 类字符（已包含 ${classes} 类：${
          CHARACTER_CLASSES.filter((c) => c.re.test(password))
            .map((c) => c.label)
            .join('、') || '无'
        }）`}
      </Check>
      <Check ok={password.length > 0 && !/\s/.test(password)}>不含空格</Check>
      <Check ok={password.length > 0 && !(username.length >= 3 && lower.includes(username.toLowerCase()))}>
        不含用户名
      </Check>
    </ul>
  );
}

/**
 * Change one's own password: current password, new password with the policy's live checklist, confirmation.
 * Server refusals (history, policy) land on the fields they concern.
 */
export function PasswordChangeForm({
  user,
  onDone,
  submitText = '确认修改',
}: {
  user: SessionUser;
  onDone: (user: SessionUser) => void;
  submitText?: string;
}) {
  const [form] = Form.useForm<Values>();
  const rules = usePasswordRules();
  const change = useChangePassword();
  const password = Form.useWatch('newPassword', form) ?? '';

  const onFinish = ({ currentPassword, newPassword }: Values) => {
    change.mutate(
      { currentPassword, newPassword },
      {
        onSuccess: ({ user: fresh }) => {
          form.resetFields();
          onDone(fresh);
        },
        onError: (err) => {
          if (!(err instanceof ApiError) || !onFields(err)) return;
          const byField = new Map<string, string[]>();
          for (const d of err.details ?? []) byField.set(d.path, [...(byField.get(d.path) ?? []), d.message]);
          form.setFields(
            [...byField]
              .filter(([name]) => FIELDS.has(name))
              .map(([name, errors]) => ({ name: name as keyof Values, errors })),
          );
        },
      },
    );
  };

  if (!rules.data) return <Skeleton active paragraph={{ rows: 4 }} />;
  const r = rules.data;
  return (
    <Form<Values>
      form={form}
      layout="vertical"
      requiredMark={false}
      onFinish={onFinish}
      name="change-password"
    >
      <Form.Item
        name="currentPassword"
        label="当前密码"
        rules={[{ required: true, message: '请输入当前密码' }]}
      >
        <Input.Password prefix={<LockOutlined />} autoComplete="current-password" placeholder="当前密码" />
      </Form.Item>
      <Form.Item
        name="newPassword"
        label="新密码"
        rules={[
          { required: true, message: '请输入新密码' },
          { min: r.minLength, message: `密码长度不能少于 ${r.minLength} 位` },
          {
            validator: (_, v: string | undefined) =>
              !v || characterClassCount(v) >= r.minClasses
                ? Promise.resolve()
                : Promise.reject(
                    new Error(`须包含大写字母、小写字母、数字、特殊符号中的至少 ${r.minClasses} 类`),
                  ),
          },
        ]}
        extra={<Checklist rules={r} password={password} username={user.username} />}
      >
        <Input.Password prefix={<LockOutlined />} autoComplete="new-password" placeholder="新密码" />
      </Form.Item>
      <Form.Item
        name="confirm"
        label="确认新密码"
        dependencies={['newPassword']}
        rules={[
          { required: true, message: '请再次输入新密码' },
          ({ getFieldValue }) => ({
            validator: (_, v: string | undefined) =>
              !v || v === getFieldValue('newPassword')
                ? Promise.resolve()
                : Promise.reject(new Error('两次输入的新密码不一致')),
          }),
        ]}
      >
        <Input.Password prefix={<LockOutlined />} autoComplete="new-password" placeholder="再次输入新密码" />
      </Form.Item>
      <div className="rj-pw-policy">
        {r.historyCount > 0 && <div>· 不能与最近 {r.historyCount} 次使用过的密码相同</div>}
        {r.expiryDays > 0 && <div>· 密码有效期 {r.expiryDays} 天，到期后须修改</div>}
        <div>· 修改成功后，您在其他设备上的登录会话将被注销</div>
      </div>
      {change.isError && !onFields(change.error) && (
        <Alert
          type="error"
          showIcon
          title={errorMessage(change.error)}
          style={{ marginBottom: 16 }}
          role="alert"
        />
      )}
      <Button type="primary" htmlType="submit" loading={change.isPending} block>
        {submitText}
      </Button>
    </Form>
  );
}
