import fs from 'node:fs';
import path from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, expect } from 'vitest';
import { DEMO_PASSWORD, REPO_ROOT, startServer, type TestServer } from './server.ts';

/**
 * One browser suite: the real server with demo data, Debian's Chromium through playwright-core (never a
 * downloaded browser), fresh contexts per page, screenshots into `screenshots/`.
 */
export const SHOTS = path.join(REPO_ROOT, 'screenshots');
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export interface BrowserSuite {
  readonly server: TestServer;
  newPage(): Promise<Page>;
  /** A full-page screenshot from the top, after antd's motion and toasts settle. */
  shot(page: Page, name: string): Promise<void>;
  /** Fill and submit the login form (no waiting for the outcome). */
  submitLogin(page: Page, username: string, password?: string): Promise<void>;
  /** Log in and wait for the console. */
  login(page: Page, username: string, password?: string): Promise<void>;
  /** Open a side-menu group, then its entry, until the console shows `pathname`. */
  openFromMenu(page: Page, group: RegExp, entry: RegExp, pathname: string): Promise<void>;
}

export function setupBrowserSuite(): BrowserSuite {
  let server: TestServer | undefined;
  let browser: Browser | undefined;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    fs.mkdirSync(SHOTS, { recursive: true });
    server = await startServer();
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  });
  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => {});
    await browser?.close();
    await server?.stop();
  });

  const suite: BrowserSuite = {
    get server() {
      if (!server) throw new Error('server not started');
      return server;
    },
    async newPage() {
      const context = await browser!.newContext({
        viewport: { width: 1440, height: 900 },
        locale: 'zh-CN',
        timezoneId: 'Asia/Shanghai',
      });
      contexts.push(context);
      const page = await context.newPage();
      page.setDefaultTimeout(20_000);
      return page;
    },
    async shot(page, name) {
      await page.evaluate(() => window.scrollTo(0, 0));
      await page
        .locator('.ant-message-notice')
        .waitFor({ state: 'detached', timeout: 5_000 })
        .catch(() => {});
      await page.waitForTimeout(400);
      await page.screenshot({ path: path.join(SHOTS, name), fullPage: true });
    },
    async submitLogin(page, username, password = DEMO_PASSWORD) {
      await page.goto(`${suite.server.url}/login`);
      await page.getByPlaceholder('用户名').fill(username);
      await page.getByPlaceholder('密码').fill(password);
      await page.getByRole('button', { name: /登\s*录/ }).click();
    },
    async login(page, username, password = DEMO_PASSWORD) {
      await suite.submitLogin(page, username, password);
      await page.waitForURL((u) => u.pathname !== '/login');
      await page.locator('[data-testid=current-user]').waitFor();
    },
    async openFromMenu(page, group, entry, pathname) {
      await page.getByRole('menuitem', { name: group }).click();
      const item = page.getByRole('menuitem', { name: entry });
      await item.waitFor({ state: 'visible' });
      // A click that lands while the submenu is still sliding open can be lost on a busy CI machine: click again
      // until the page changes (a leaf item only navigates, so a second click is harmless).
      await expect
        .poll(
          async () => {
            await item.click({ timeout: 5_000 }).catch(() => {});
            return new URL(page.url()).pathname;
          },
          { timeout: 30_000, interval: 1_000 },
        )
        .toBe(pathname);
    },
  };
  return suite;
}
