import { authenticator } from 'otplib';
import { describe, expect, it } from 'vitest';
import { setupBrowserSuite } from './browser.ts';

const suite = setupBrowserSuite();
const { newPage, shot, login, submitLogin } = suite;

/** The code an authenticator app shows, `stepsAhead` 30-second steps from now (each code works only once). */
const codeFor = (secret: string, stepsAhead = 0) =>
  authenticator.clone({ epoch: Date.now() + stepsAhead * 30_000 }).generate(secret);

describe('登录安全', () => {
  it('在个人中心绑定动态口令后，登录须输入动态口令', async () => {
    const page = await newPage();
    await login(page, 'officer2');
    await page.getByRole('button', { name: /个人中心/ }).click();
    await page.waitForURL((u) => u.pathname === '/profile');
    await page.locator('[data-testid=profile-info]').getByText('officer2').waitFor();
    await page.getByRole('button', { name: /开始绑定/ }).click();
    const panel = page.locator('[data-testid=totp-enrollment]');
    await panel.getByRole('img', { name: '动态口令绑定二维码' }).waitFor();
    const secret = ((await panel.locator('[data-testid=totp-secret]').textContent()) ?? '').replace(
      /\s/g,
      '',
    );
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    await shot(page, 'profile.png');

    // A wrong code is refused with a Chinese message; the right one enables TOTP.
    await panel.getByLabel('动态口令').fill(codeFor(secret) === '000000' ? '111111' : '000000');
    await panel.getByRole('button', { name: /确认绑定/ }).click();
    await panel.getByRole('alert').filter({ hasText: '动态口令不正确' }).waitFor();
    await panel.getByLabel('动态口令').fill(codeFor(secret));
    await panel.getByRole('button', { name: /确认绑定/ }).click();
    await page.getByRole('button', { name: /停用动态口令/ }).waitFor();
    const me = (await (await page.request.get(`${suite.server.url}/api/auth/me`)).json()) as {
      user: { mfaEnabled: boolean };
    };
    expect(me.user.mfaEnabled).toBe(true);

    await page.getByRole('button', { name: /退出登录/ }).click();
    await page.waitForURL((u) => u.pathname === '/login');

    await submitLogin(page, 'officer2');
    await page.getByText('动态口令验证').waitFor();
    await page.getByText('已启用双因素认证').waitFor();
    expect(new URL(page.url()).pathname).toBe('/login');
    await page.getByPlaceholder('6 位动态口令').fill(codeFor(secret, 1));
    await shot(page, 'mfa-login.png');
    await page.getByRole('button', { name: /验\s*证/ }).click();
    await page.waitForURL((u) => u.pathname === '/');
    await expect(page.locator('[data-testid=current-user]').textContent()).resolves.toContain('王芳');
  });

  it('安全管理员在“在线用户”中强制下线他人，对方下一次操作即回到登录页', async () => {
    const victim = await newPage();
    await login(victim, 'officer1');

    const admin = await newPage();
    await login(admin, 'secadmin');
    await admin.getByRole('menuitem', { name: /安全管理/ }).click();
    await admin.getByRole('menuitem', { name: /在线用户/ }).click();
    await admin.waitForURL((u) => u.pathname === '/security/sessions');
    const row = admin.locator('[data-testid=sessions-table] tr', { hasText: '（officer1）' });
    await row.waitFor();
    await admin.locator('[data-testid=sessions-table] tr', { hasText: '当前会话' }).waitFor();
    await shot(admin, 'sessions.png');

    await row.getByRole('button', { name: /强制下线/ }).click();
    await admin
      .locator('.ant-popconfirm')
      .getByRole('button', { name: /强制下线/ })
      .click();
    await admin.getByText('已强制下线 李明（officer1）').waitFor();
    await row.waitFor({ state: 'detached' });

    // The victim's next request is refused and the console sends them to the login page.
    await victim.getByRole('menuitem', { name: /系统管理/ }).click();
    await victim.getByRole('menuitem', { name: /工作日历/ }).click();
    await victim.waitForURL((u) => u.pathname === '/login');
    expect(new URL(victim.url()).searchParams.get('redirect')).toBe('/system/calendar');
    const me = await victim.request.get(`${suite.server.url}/api/auth/me`);
    expect(me.status()).toBe(401);
  });

  it('管理员重置密码后，用户登录即被带到“修改密码”，改好后进入首页', async () => {
    const admin = await newPage();
    await login(admin, 'admin');
    const me = (await (await admin.request.get(`${suite.server.url}/api/auth/me`)).json()) as {
      user: { csrfToken: string };
    };
    const list = (await (
      await admin.request.get(`${suite.server.url}/api/system/users?keyword=analyst`)
    ).json()) as {
      items: { id: number; username: string }[];
    };
    const target = list.items.find((u) => u.username === 'analyst')!;
    const reset = await admin.request.post(
      `${suite.server.url}/api/system/users/${target.id}/reset-password`,
      {
        headers: { 'x-csrf-token': me.user.csrfToken },
      },
    );
    expect(reset.status(), await reset.text()).toBe(200);
    const { password } = (await reset.json()) as { password: string };

    const page = await newPage();
    await submitLogin(page, 'analyst', password);
    await page.waitForURL((u) => u.pathname === '/change-password');
    await page.getByText('请先修改初始密码').waitFor();
    // Nothing else is reachable until the password is changed.
    await page.goto(`${suite.server.url}/`);
    await page.waitForURL((u) => u.pathname === '/change-password');

    await page.getByLabel('当前密码').fill(password);
    await page.getByLabel('新密码', { exact: true }).fill('abc');
    await page.locator('.rj-pw-todo', { hasText: '长度至少 8 位' }).waitFor();
    await page.getByLabel('新密码', { exact: true }).fill('Zhao-Xiaowen#2024');
    await page.locator('.rj-pw-ok', { hasText: '长度至少 8 位' }).waitFor();
    await page.getByLabel('确认新密码').fill('Zhao-Xiaowen#2024');
    await shot(page, 'change-password.png');
    await page.getByRole('button', { name: /确认修改/ }).click();
    await page.waitForURL((u) => u.pathname === '/');
    await expect(page.locator('[data-testid=current-user]').textContent()).resolves.toContain('赵晓雯');
  });
});
