import { describe, expect, it } from 'vitest';
import { setupBrowserSuite } from './browser.ts';

/** 系统管理 pages as the system administrator sees them, and what a role without the permission gets. */
const suite = setupBrowserSuite();
const { newPage, shot, login, openFromMenu } = suite;

describe('系统管理', () => {
  it('用户管理列出工作人员，手机号只显示掩码', async () => {
    const page = await newPage();
    await login(page, 'admin');
    await openFromMenu(page, /系统管理/, /用户管理/, '/system/users');
    await page.locator('.ant-table-row').first().waitFor();
    const masked = page.getByText(/^1\d{2}\*{4}\d{4}$/).first();
    await masked.waitFor();
    // No full mobile number anywhere on the page.
    expect((await page.locator('body').textContent()) ?? '').not.toMatch(/(?<![\d*])1\d{10}(?!\d)/);
    await shot(page, 'users.png');
  });

  it('角色管理列出三员分立的内置角色，网格管理在地图上画出网格', async () => {
    const page = await newPage();
    await login(page, 'admin');
    await page.goto(`${suite.server.url}/system/roles`);
    for (const name of ['系统管理员', '安全管理员', '审计管理员']) {
      await page.locator('.ant-table-row', { hasText: name }).first().waitFor();
    }
    await shot(page, 'roles.png');

    await page.goto(`${suite.server.url}/system/grids`);
    await page.locator('canvas').first().waitFor();
    await page.locator('.ant-table-row').first().waitFor();
    await page.waitForTimeout(800); // the map's first render animation
    await shot(page, 'grids.png');
  });

  it('字典与参数设置可浏览', async () => {
    const page = await newPage();
    await login(page, 'admin');
    await page.goto(`${suite.server.url}/system/dicts`);
    await page.getByText('业务条线').first().waitFor();
    await shot(page, 'dicts.png');
    await page.goto(`${suite.server.url}/system/settings`);
    await page
      .getByText(/投诉举报|期限/)
      .first()
      .waitFor();
    await shot(page, 'settings.png');
  });

  it('没有用户管理权限的执法人员看不到该菜单，直接调用接口得到 403', async () => {
    const page = await newPage();
    await login(page, 'officer1');
    await expect(page.getByRole('menuitem', { name: /用户管理/ }).count()).resolves.toBe(0);
    const res = await page.request.get(`${suite.server.url}/api/system/users`);
    expect(res.status()).toBe(403);
    expect((await res.json()).code).toBe('FORBIDDEN');
    await page.goto(`${suite.server.url}/system/users`);
    await page
      .getByText(/无权访问/)
      .first()
      .waitFor();
  });
});
