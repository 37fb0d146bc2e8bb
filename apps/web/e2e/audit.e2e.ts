import { describe, expect, it } from 'vitest';
import { setupBrowserSuite } from './browser.ts';

const suite = setupBrowserSuite();
const { newPage, shot, login, submitLogin } = suite;

describe('安全审计', () => {
  it('登录日志记录失败的登录及原因，审计管理员可按用户名和结果检索', async () => {
    const attacker = await newPage();
    await submitLogin(attacker, 'admin', 'Wrong-Passw0rd!');
    await attacker.getByText('用户名或密码错误').first().waitFor();

    const page = await newPage();
    await login(page, 'auditor');
    await page.goto(`${suite.server.url}/audit/logins`);
    await page.getByLabel('用户名').fill('admin');
    await page.getByLabel('结果').click();
    await page.getByTitle('失败').click();
    await page.getByRole('button', { name: /搜\s*索/ }).click();
    const row = page.locator('.ant-table-row').first();
    await expect.poll(() => row.textContent()).toContain('admin');
    expect(await row.textContent()).toContain('失败');
    await shot(page, 'audit-logins.png');
  });

  it('审计日志：校验审计链显示完整，详情抽屉逐项对比设置修改前后的值', async () => {
    // The security administrator raises the audit retention (a setting change is a recorded security event).
    const sec = await newPage();
    await login(sec, 'secadmin');
    const me = (await (await sec.request.get(`${suite.server.url}/api/auth/me`)).json()) as {
      user: { csrfToken: string };
    };
    const res = await sec.request.put(`${suite.server.url}/api/system/security-settings/audit.retention`, {
      headers: { 'x-csrf-token': me.user.csrfToken },
      data: { value: { days: 365 } },
    });
    expect(res.status(), await res.text()).toBe(200);

    const page = await newPage();
    await login(page, 'auditor');
    await page.goto(`${suite.server.url}/audit/logs`);
    await page.getByRole('button', { name: '校验审计链' }).click();
    await expect
      .poll(() => page.locator('[data-testid=verify-result]').textContent())
      .toMatch(/审计链完整：共 \d+ 条记录/);

    await page.getByLabel('说明含').fill('审计记录保留期限');
    await page.getByRole('button', { name: /搜\s*索/ }).click();
    const row = page.locator('.ant-table-row', { hasText: 'system.setting.update' }).first();
    await row.waitFor();
    await shot(page, 'audit-logs.png');
    await row.getByRole('button', { name: '详情' }).click();
    const drawer = page.locator('.ant-drawer');
    await drawer.getByText('防篡改校验值（SM3）').waitFor();
    const diff = drawer.locator('.ant-table-row', { hasText: 'days' });
    expect(await diff.locator('td').allTextContents()).toEqual(['days', '180', '365']);
    await shot(page, 'audit-log-detail.png');
  });

  it('系统管理员看不到安全审计菜单，直接访问审计日志显示无权访问', async () => {
    const page = await newPage();
    await login(page, 'admin');
    await expect
      .poll(() => page.locator('.ant-layout-sider').first().textContent())
      .not.toContain('安全审计');
    await page.goto(`${suite.server.url}/audit/logs`);
    await page.getByText('无权访问').waitFor();
    const api = await page.request.get(`${suite.server.url}/api/audit/logs`);
    expect(api.status()).toBe(403);
  });
});
