import { describe, expect, it } from 'vitest';
import { setupBrowserSuite } from './browser.ts';

/** 一户一档: search the county's entities and open one profile, within the user's data scope. */
const suite = setupBrowserSuite();
const { newPage, shot, login } = suite;

describe('经营主体（一户一档）', () => {
  it('局长检索经营主体并打开一户一档', async () => {
    const page = await newPage();
    await login(page, 'director');
    await page.getByRole('menuitem', { name: /经营主体/ }).click();
    await page.waitForURL((u) => u.pathname === '/entities');
    await page.locator('.ant-table-row').first().waitFor();
    // The demo county's 2,000 entities are past the count cap: the pager says “more than 1,000”.
    await page
      .getByText(/共\s*1,000\+\s*户/)
      .first()
      .waitFor();
    await shot(page, 'entities.png');

    // A two-character fragment: every row holds it, and the count below the cap is exact.
    await page.getByPlaceholder('名称片段，如 烧烤').fill('烧烤');
    await page.getByRole('button', { name: /搜\s*索/ }).click();
    await page
      .getByText(/共\s*\d{1,3}\s*户/)
      .first()
      .waitFor();
    const names = await page.locator('.ant-table-row a').allTextContents();
    expect(names.length).toBeGreaterThan(0);
    expect(names.every((n) => n.includes('烧烤'))).toBe(true);
    await shot(page, 'entities-search.png');

    const first = page.locator('.ant-table-row a').first();
    const name = (await first.textContent())?.trim() ?? '';
    await first.click();
    await page.waitForURL((u) => /^\/entities\/\d+$/.test(u.pathname));
    await page.getByText(name).first().waitFor();
    await page.getByText('统一社会信用代码').first().waitFor();
    await page.locator('canvas').first().waitFor();
    await page.getByText('流转记录').first().waitFor();
    await expect(page.locator('.ant-breadcrumb').textContent()).resolves.toMatch(/经营主体.*详情/s);
    await page.waitForTimeout(600);
    await shot(page, 'entity-profile.png');
  });

  it('执法人员只能检索本所的经营主体', async () => {
    const page = await newPage();
    await login(page, 'officer1');
    const mine = await page.request.get(`${suite.server.url}/api/auth/me`);
    const departmentId = (await mine.json()).user.departmentId as number;
    const res = await page.request.get(`${suite.server.url}/api/entities?limit=200`);
    expect(res.status()).toBe(200);
    const body = (await res.json()) as { items: { stationId: number | null }[]; total: number };
    expect(body.total).toBeGreaterThan(0);
    expect(body.total).toBeLessThan(2000);
    expect(new Set(body.items.map((e) => e.stationId))).toEqual(new Set([departmentId]));
  });
});
