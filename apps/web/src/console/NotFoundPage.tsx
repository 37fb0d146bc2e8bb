import { Button, Result } from 'antd';
import { useLocation, useNavigate } from 'react-router';

export function NotFoundPage() {
  const { pathname } = useLocation();
  const navigate = useNavigate();
  return (
    <Result
      status="404"
      title="404"
      subTitle={
        <>
          抱歉，您访问的页面不存在：<code>{pathname}</code>
          <br />
          请检查地址是否正确，或从左侧菜单进入需要的功能。
        </>
      }
      extra={
        <Button type="primary" onClick={() => void navigate('/')}>
          返回首页
        </Button>
      }
    />
  );
}
