import { InfoCircleOutlined, LockOutlined, UserOutlined } from '@ant-design/icons';
import { Alert, Button, Form, Input } from 'antd';
import { useNavigate, useSearchParams } from 'react-router';
import { errorMessage } from '../../shared/api/client.ts';
import { type LoginInput, useLogin } from '../../shared/auth/api.ts';
import './login.css';

const FEATURES = ['线索归集 · 综合研判 · 指挥调度', '监管执法全流程闭环留痕', '工作日期限自动预警与督办'];

/** Only same-site paths: `?redirect=https://elsewhere` or `//elsewhere` must not become an open redirect. */
function safeRedirect(value: string | null): string {
  return value?.startsWith('/') && !value.startsWith('//') && !value.startsWith('/login') ? value : '/';
}

export default function LoginPage() {
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const login = useLogin();

  const onFinish = (values: LoginInput) => {
    login.mutate(values, {
      onSuccess: () => void navigate(safeRedirect(params.get('redirect')), { replace: true }),
    });
  };

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
        <section className="rj-login-form">
          <h2>账号登录</h2>
          <Form<LoginInput>
            name="login"
            size="large"
            onFinish={onFinish}
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
              <Input.Password prefix={<LockOutlined />} placeholder="密码" autoComplete="current-password" />
            </Form.Item>
            {login.isError && (
              <Alert
                type="error"
                showIcon
                title={errorMessage(login.error)}
                className="rj-login-error"
                role="alert"
              />
            )}
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
      </div>
      <footer className="rj-login-footer">融监 Rongjian · 县级市场监督管理局业务平台</footer>
    </div>
  );
}
