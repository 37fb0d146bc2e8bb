import { InfoCircleOutlined, LockOutlined, SafetyOutlined, UserOutlined } from '@ant-design/icons';
import { Alert, Button, Form, Input } from 'antd';
import { useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { ApiError, errorMessage } from '../../shared/api/client.ts';
import { type LoginInput, restrictedPath, useLogin } from '../../shared/auth/api.ts';
import './login.css';

const FEATURES = ['线索归集 · 综合研判 · 指挥调度', '监管执法全流程闭环留痕', '工作日期限自动预警与督办'];

/** Only same-site paths: `?redirect=https://elsewhere` or `//elsewhere` must not become an open redirect. */
function safeRedirect(value: string | null): string {
  return value?.startsWith('/') && !value.startsWith('//') && !value.startsWith('/login') ? value : '/';
}

/** Sign-in in two steps: password, then — for accounts with TOTP — the 6-digit 动态口令 of the authenticator app. */
export default function LoginPage() {
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const login = useLogin();
  // Set when the server asked for the second factor: the password step is done, the code step is shown.
  const [credentials, setCredentials] = useState<LoginInput | null>(null);

  const submit = (values: LoginInput) => {
    login.mutate(values, {
      onSuccess: ({ user }) =>
        void navigate(restrictedPath(user) ?? safeRedirect(params.get('redirect')), { replace: true }),
      onError: (err) => {
        if (err instanceof ApiError && err.code === 'MFA_REQUIRED') {
          setCredentials({ username: values.username, password: values.password });
          login.reset();
        }
      },
    });
  };

  const error = login.isError && (
    <Alert type="error" showIcon title={errorMessage(login.error)} className="rj-login-error" role="alert" />
  );

  return (
    <div className="rj-login">
      <div className="rj-login-panel">
        <section className="rj-login-intro">
          <div className="rj-login-logo">
            <img src="/favicon.svg" alt="" width={44} height={44} />
            <span>融监</span>
          </div>
          <h1>基层市场监管数字化监管平台</h1>
          <p className="rj-login-std">依据 DB3205/T 1112-2024《基层市场监管 数字化监管平台建设指南》</p>
          <ul>
            {FEATURES.map((f) => (
              <li key={f}>{f}</li>
            ))}
          </ul>
        </section>
        {credentials ? (
          <section className="rj-login-form">
            <h2>动态口令验证</h2>
            <p className="rj-login-mfa-tip">
              账号 <b>{credentials.username}</b>{' '}
              已启用双因素认证。请打开手机上的身份验证器应用，输入“融监”显示的 6 位动态口令。
            </p>
            <Form<{ totp: string }>
              name="totp"
              size="large"
              requiredMark={false}
              onFinish={({ totp }) => submit({ ...credentials, totp })}
            >
              <Form.Item
                name="totp"
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
                  className="rj-login-code"
                  autoFocus
                />
              </Form.Item>
              {error}
              <Form.Item>
                <Button type="primary" htmlType="submit" block loading={login.isPending}>
                  验 证
                </Button>
              </Form.Item>
            </Form>
            <Button
              type="link"
              className="rj-login-back"
              onClick={() => {
                setCredentials(null);
                login.reset();
              }}
            >
              返回，使用其他账号登录
            </Button>
          </section>
        ) : (
          <section className="rj-login-form">
            <h2>账号登录</h2>
            <Form<LoginInput>
              name="login"
              size="large"
              onFinish={submit}
              autoComplete="on"
              requiredMark={false}
            >
              <Form.Item
                name="username"
                rules={[{ required: true, whitespace: true, message: '请输入用户名' }]}
              >
                <Input prefix={<UserOutlined />} placeholder="用户名" autoComplete="username" autoFocus />
              </Form.Item>
              <Form.Item name="password" rules={[{ required: true, message: '请输入密码' }]}>
                <Input.Password
                  prefix={<LockOutlined />}
                  placeholder="密码"
                  autoComplete="current-password"
                />
              </Form.Item>
              {error}
              <Form.Item>
                <Button type="primary" htmlType="submit" block loading={login.isPending}>
                  登 录
                </Button>
              </Form.Item>
            </Form>
            <div className="rj-login-hint">
              <InfoCircleOutlined /> 演示账号见启动日志
            </div>
          </section>
        )}
      </div>
      <footer className="rj-login-footer">融监 Rongjian · 县级市场监督管理局业务平台</footer>
    </div>
  );
}
