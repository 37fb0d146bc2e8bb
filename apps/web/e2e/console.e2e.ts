import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { setupBrowserSuite } from './browser.ts';

const suite = setupBrowserSuite();
const { newPage, shot, login } = suite;

interface Overview {
  entities: {
    total: number;
    byStation: { stationId: number; stationName: string; count: number }[];
  };
}

async function overviewOf(page: Page): Promise<Overview> {
  const res = await page.request.get(`${suite.server.url}/api/overview`);
  expect(res.status(), await res.text()).toBe(200);
  return (await res.json()) as Overview;
}

async function stationRows(page: Page): Promise<string[]> {
  const rows = page.locator('[data-testid=by-station] .rj-barlist-label');
  await rows.first().waitFor();
  return rows.allInnerTexts();
}

describe('PC 控制台', () => {
  it('未登录访问首页跳转到登录页；密码错误时显示中文错误并停留在登录页', async () => {
    const page = await newPage();
    await page.goto(`${suite.server.url}/`);
    await page.waitForURL((u) => u.pathname === '/login');
    await expect(page.title()).resolves.toBe('融监');
    await page.getByText('基层市场监管数字化监管平台').first().waitFor();
    await page.getByText('DB3205/T 1112-2024', { exact: false }).first().waitFor();
    await page.getByText('演示账号见启动日志').waitFor();
    await shot(page, 'login.png');

    // Client-side validation, in Chinese.
    await page.getByRole('button', { name: /登\s*录/ }).click();
    await page.getByText('请输入用户名').waitFor();
    await page.getByText('请输入密码').waitFor();

    await page.getByPlaceholder('用户名').fill('director');
    await page.getByPlaceholder('密码').fill('not-the-password-1A');
    await page.getByRole('button', { name: /登\s*录/ }).click();
    await expect(
      page.getByRole('alert').filter({ hasText: '用户名或密码错误' }).textContent(),
    ).resolves.toContain('用户名或密码错误');
    expect(new URL(page.url()).pathname).toBe('/login');
  });

  it('局长登录后首页显示全县经营主体总数（与 /api/overview 一致）和各所分布', async () => {
    const page = await newPage();
    await login(page, 'director');
    expect(new URL(page.url()).pathname).toBe('/');
    const header = page.locator('[data-testid=current-user]');
    await expect(header.textContent()).resolves.toMatch(/周建国[\s\S]*局长/);

    const overview = await overviewOf(page);
    expect(overview.entities.total).toBeGreaterThan(0);
    const totalCard = page.locator('.rj-stat-card', { hasText: '经营主体总数' });
    await expect(totalCard.locator('.ant-statistic-content-value').textContent()).resolves.toBe(
      overview.entities.total.toLocaleString('en-US'),
    );

    const names = await stationRows(page);
    expect(names.length).toBe(overview.entities.byStation.length);
    expect(names.length).toBeGreaterThan(1);
    expect([...names].sort()).toEqual(overview.entities.byStation.map((s) => s.stationName).sort());
    await page.getByText('按信用风险分类').waitFor();
    await shot(page, 'home.png');
  });

  it('执法人员 officer1 只看到本所的数据', async () => {
    const page = await newPage();
    await login(page, 'officer1');
    const me = (await (await page.request.get(`${suite.server.url}/api/auth/me`)).json()) as {
      user: { departmentName: string };
    };
    const overview = await overviewOf(page);
    expect(overview.entities.byStation.length).toBe(1);
    const names = await stationRows(page);
    expect(names).toEqual([overview.entities.byStation[0]!.stationName]);
    expect(names[0]).toBe(me.user.departmentName);
    const totalCard = page.locator('.rj-stat-card', { hasText: '经营主体总数' });
    await expect(totalCard.locator('.ant-statistic-content-value').textContent()).resolves.toBe(
      overview.entities.total.toLocaleString('en-US'),
    );
  });

  it('审计管理员没有县域概览权限：首页显示欢迎卡片，菜单不含系统管理', async () => {
    const page = await newPage();
    await login(page, 'auditor');
    await page.locator('[data-testid=welcome-card]').waitFor();
    await expect(page.locator('[data-testid=welcome-card]').textContent()).resolves.toContain('审计管理员');
    await expect(page.locator('.rj-stat-card').count()).resolves.toBe(0);
    await page.getByRole('menuitem', { name: /接口文档/ }).waitFor();
    await expect(page.getByRole('menuitem', { name: /系统管理/ }).count()).resolves.toBe(0);
    await page.goto(`${suite.server.url}/system/calendar`);
    await page.getByText('无权访问').waitFor();
  });

  it('访问不存在的地址显示 404 页面，可返回首页', async () => {
    const page = await newPage();
    await login(page, 'director');
    await page.goto(`${suite.server.url}/no-such-page/here`);
    await page.getByText('抱歉，您访问的页面不存在').waitFor();
    await page.locator('.ant-breadcrumb').getByText('页面不存在').waitFor();
    await shot(page, 'not-found.png');
    await page.getByRole('button', { name: '返回首页' }).click();
    await page.waitForURL((u) => u.pathname === '/');
  });

  it('菜单“接口文档”在新标签页打开 Swagger UI，列出 /api/health', async () => {
    const page = await newPage();
    await login(page, 'director');
    const [docs] = await Promise.all([
      page.context().waitForEvent('page'),
      page.getByRole('menuitem', { name: /接口文档/ }).click(),
    ]);
    await docs.waitForLoadState();
    expect(new URL(docs.url()).pathname).toMatch(/^\/api\/docs/);
    await docs.locator('.swagger-ui').first().waitFor();
    await docs
      .locator('.opblock-summary-path', { hasText: /^\/api\/health$/ })
      .first()
      .waitFor();
    await docs.setViewportSize({ width: 1440, height: 900 });
    await shot(docs, 'api-docs.png');
  });

  it('系统管理员打开工作日历：2027 年缺数据提示、新增单日调整、期限计算', async () => {
    const page = await newPage();
    await login(page, 'admin');
    await suite.openFromMenu(page, /系统管理/, /工作日历/, '/system/calendar');
    await page.locator('[data-testid=coverage]').waitFor();

    await page.goto(`${suite.server.url}/system/calendar?year=2027`);
    const warning = page.locator('.ant-alert-warning', { hasText: '2027 年的法定节假日安排尚未收录' });
    await warning.waitFor();
    await warning.getByRole('button', { name: /录入 2027 年安排/ }).waitFor();
    await expect(page.locator('[data-testid=coverage]').textContent()).resolves.toContain('未收录');

    await page.getByRole('button', { name: /新增调整/ }).click();
    const modal = page.locator('.ant-modal', { hasText: '新增单日调整' });
    await modal.waitFor();
    await modal.getByPlaceholder('选择日期').click();
    await modal.getByPlaceholder('选择日期').fill('2027-03-06');
    await modal.getByPlaceholder('选择日期').press('Enter');
    await modal.getByLabel('工作日（上班）').check();
    await modal.getByPlaceholder('如：防汛值班，全局上班').fill('春季安全生产检查，全局上班');
    await modal.getByRole('button', { name: /保\s*存/ }).click();
    await modal.waitFor({ state: 'hidden' });
    const row = page.locator('[data-testid=override-list] tr', { hasText: '2027-03-06' });
    await row.waitFor();
    await expect(row.textContent()).resolves.toContain('春季安全生产检查');
    const api = await page.request.get(`${suite.server.url}/api/system/calendar?year=2027`);
    const year = (await api.json()) as { overrides: { day: string; kind: string }[] };
    expect(year.overrides).toContainEqual(expect.objectContaining({ day: '2027-03-06', kind: 'workday' }));

    // The calendar shows March with the adjusted Saturday marked 班.
    await page.getByRole('button', { name: '下个月' }).click();
    await page.getByRole('button', { name: '下个月' }).click();
    await page.getByText('2027年3月').waitFor();

    const calc = page.locator('[data-testid=deadline-calculator]');
    await calc.getByPlaceholder('起算日期').click();
    await calc.getByPlaceholder('起算日期').fill('2027-03-01');
    await calc.getByPlaceholder('起算日期').press('Enter');
    await calc.getByRole('spinbutton').fill('7');
    await calc.getByRole('button', { name: /计\s*算/ }).click();
    const result = calc.locator('[data-testid=deadline-result]');
    await result.waitFor();
    const computed = await page.request.get(
      `${suite.server.url}/api/system/calendar/compute?start=2027-03-01&add=7`,
    );
    const expected = (await computed.json()) as { result: string; warnings: string[] };
    await expect(result.textContent()).resolves.toBe(expected.result);
    expect(expected.warnings.length).toBeGreaterThan(0);
    await calc.locator('.ant-alert-warning', { hasText: '2027 年' }).first().waitFor();
    await shot(page, 'calendar.png');
  });

  it('退出登录后回到登录页，会话失效', async () => {
    const page = await newPage();
    await login(page, 'director');
    await page.getByRole('button', { name: /退出登录/ }).click();
    await page.waitForURL((u) => u.pathname === '/login');
    const me = await page.request.get(`${suite.server.url}/api/auth/me`);
    expect(me.status()).toBe(401);
    await page.goto(`${suite.server.url}/system/calendar`);
    await page.waitForURL((u) => u.pathname === '/login');
    expect(new URL(page.url()).searchParams.get('redirect')).toBe('/system/calendar');
  });
});
