import fs from 'node:fs';
import path from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, REPO_ROOT, startServer, type TestServer } from './server.ts';

const SHOTS = path.join(REPO_ROOT, 'screenshots');

let server: TestServer;
let browser: Browser;
const contexts: BrowserContext[] = [];

async function newPage(): Promise<Page> {
  const context = await browser.newContext({
    viewport: { width: 1440, height: 900 },
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
  });
  contexts.push(context);
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  return page;
}

async function shot(page: Page, name: string): Promise<void> {
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.waitForTimeout(400);
  await page.screenshot({ path: path.join(SHOTS, name), fullPage: true });
}

async function submitLogin(page: Page, username: string, password = DEMO_PASSWORD): Promise<void> {
  await page.goto(`${server.url}/login`);
  await page.getByPlaceholder('用户名').fill(username);
  await page.getByPlaceholder('密码').fill(password);
  await page.getByRole('button', { name: /登\s*录/ }).click();
}

async function login(page: Page, username: string): Promise<void> {
  await submitLogin(page, username);
  await page.waitForURL((u) => u.pathname !== '/login');
  await page.locator('[data-testid=current-user]').waitFor();
}

beforeAll(async () => {
  fs.mkdirSync(SHOTS, { recursive: true });
  server = await startServer();
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
});

afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => {});
  await browser?.close();
  await server?.stop();
});

describe('安全审计', () => {
  it('登录日志记录失败的登录及原因，审计管理员可按用户名和结果检索', async () => {
    const attacker = await newPage();
    await submitLogin(attacker, 'admin', 'Wrong-Passw0rd!');
    await attacker.getByText('用户名或密码错误').first().waitFor();

    const page = await newPage();
    await login(page, 'auditor');
    await page.goto(`${server.url}/audit/logins`);
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
    const me = (await (await sec.request.get(`${server.url}/api/auth/me`)).json()) as {
      user: { csrfToken: string };
    };
    const res = await sec.request.put(`${server.url}/api/system/security-settings/audit.retention`, {
      headers: { 'x-csrf-token': me.user.csrfToken },
      data: { value: { days: 365 } },
    });
    expect(res.status(), await res.text()).toBe(200);

    const page = await newPage();
    await login(page, 'auditor');
    await page.goto(`${server.url}/audit/logs`);
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
    await page.goto(`${server.url}/audit/logs`);
    await page.getByText('无权访问').waitFor();
    const api = await page.request.get(`${server.url}/api/audit/logs`);
    expect(api.status()).toBe(403);
  });
});
