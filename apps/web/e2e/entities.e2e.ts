import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { setupBrowserSuite } from './browser.ts';

/** 一户一档: search the county's entities and open one profile, within the user's data scope. */
const suite = setupBrowserSuite();
const { newPage, shot, login } = suite;

async function csrf(page: Page): Promise<string> {
  return (await (await page.request.get(`${suite.server.url}/api/auth/me`)).json()).user.csrfToken as string;
}

/** The 系统管理员 sets the 许可证到期预警 tiers. */
async function setExpiryTiers(days: number[]) {
  const admin = await newPage();
  await login(admin, 'admin');
  const res = await admin.request.put(`${suite.server.url}/api/system/settings/fusion.licenceExpiryWarning`, {
    headers: { 'x-csrf-token': await csrf(admin) },
    data: { value: { days } },
  });
  expect(res.status(), await res.text()).toBe(200);
  await admin.close();
}

async function ids(page: Page, query: string): Promise<number[]> {
  const res = await page.request.get(`${suite.server.url}/api/entities?${query}&limit=200`);
  expect(res.status(), await res.text()).toBe(200);
  return ((await res.json()).items as { id: number }[]).map((e) => e.id);
}

/** The open dropdown of one select of the search form (another one may still be fading out). */
const dropdown = (page: Page, id: string) =>
  page.locator('.ant-select-dropdown:visible', { has: page.locator(`#${id}_list`) });

/** The options of one select of the search form, as its open dropdown lists them. */
async function options(page: Page, id: string): Promise<string[]> {
  await page.locator(`#${id}`).click();
  const list = dropdown(page, id).locator('.ant-select-item-option');
  await list.first().waitFor();
  return list.allTextContents();
}

async function pick(page: Page, id: string, text: string | RegExp) {
  await page.locator(`#${id}`).click();
  await dropdown(page, id).locator('.ant-select-item-option', { hasText: text }).first().click();
}

const searchAnswer = (page: Page, ...params: string[]) =>
  page.waitForResponse(
    (r) => new URL(r.url()).pathname === '/api/entities' && params.every((p) => r.url().includes(p)),
  );

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

  it('许可证到期预警按设置的档次显示与筛选', async () => {
    await setExpiryTiers([7, 14, 21]);
    try {
      const page = await newPage();
      await login(page, 'director');
      // An entity whose nearest licence expires in 8–14 days: the second tier.
      const first = new Set(await ids(page, 'licenceStatus=within30'));
      const id = (await ids(page, 'licenceStatus=within60')).find((x) => !first.has(x));
      expect(id, '示范数据中应有 8–14 天内到期的许可证').toBeDefined();

      await page.goto(`${suite.server.url}/entities`);
      await page.locator('.ant-table-row').first().waitFor();
      expect(await options(page, 'entity-search_licenceStatus')).toEqual([
        '已过期',
        '7 天内到期',
        '14 天内到期',
        '21 天内到期',
      ]);
      await page.keyboard.press('Escape');
      await pick(page, 'entity-search_licenceStatus', '14 天内到期');
      const answer = searchAnswer(page, 'licenceStatus=within60');
      await page.getByRole('button', { name: /搜\s*索/ }).click();
      expect((await answer).status()).toBe(200);
      await page.locator('.ant-table-row').first().waitFor();

      await page.goto(`${suite.server.url}/entities/${id}`);
      const card = page.locator('.ant-card', { hasText: '许可类别' });
      await card.getByText('14 天内到期').first().waitFor();
      const tags = await card.locator('.ant-tag').allTextContents();
      expect(tags.filter((t) => /天内到期/.test(t)).every((t) => /^(7|14|21) 天内到期$/.test(t))).toBe(true);
      expect(tags.join()).not.toMatch(/(30|60|90) 天内到期/);
      await shot(page, 'entity-licence-tiers.png');
    } finally {
      await setExpiryTiers([30, 60, 90]);
    }
  });

  it('按所属所与网格检索并导出；执法人员只能选择本所', async () => {
    const page = await newPage();
    await login(page, 'director');
    await page.goto(`${suite.server.url}/entities`);
    await page.locator('.ant-table-row').first().waitFor();
    const stations = await options(page, 'entity-search_stationId');
    expect(stations.length).toBeGreaterThan(1);
    const station = stations[1]!;
    await dropdown(page, 'entity-search_stationId')
      .locator('.ant-select-item-option', { hasText: station })
      .click();
    const grids = await options(page, 'entity-search_gridId');
    expect(grids.length).toBeGreaterThan(0);
    const grid = grids[0]!;
    await dropdown(page, 'entity-search_gridId')
      .locator('.ant-select-item-option', { hasText: grid })
      .first()
      .click();
    const answer = searchAnswer(page, 'stationId=', 'gridId=');
    await page.getByRole('button', { name: /搜\s*索/ }).click();
    expect((await answer).status()).toBe(200);
    await expect
      .poll(async () => {
        const rows = await page.locator('.ant-table-row').all();
        const cells = await Promise.all(
          rows.map(async (r) => [
            await r.locator('td').nth(4).textContent(),
            await r.locator('td').nth(5).textContent(),
          ]),
        );
        return cells.length > 0 && cells.every(([s, g]) => s === station && g === grid);
      })
      .toBe(true);
    await shot(page, 'entities-by-grid.png');

    const exported = page.waitForResponse((r) => r.url().includes('/api/entities/export'));
    await page.getByRole('button', { name: /导\s*出/ }).click();
    const res = await exported;
    expect(res.status()).toBe(200);
    const query = new URL(res.url()).searchParams;
    expect(query.get('stationId')).not.toBeNull();
    expect(query.get('gridId')).not.toBeNull();

    // 执法人员: the choices are those of the data scope — the own 所 only.
    const officer = await newPage();
    await login(officer, 'officer1');
    await officer.goto(`${suite.server.url}/entities`);
    await officer.locator('.ant-table-row').first().waitFor();
    expect(await options(officer, 'entity-search_stationId')).toHaveLength(1);
  });

  it('名称无完全包含时给出名称相近的主体', async () => {
    const page = await newPage();
    await login(page, 'director');
    // A shop's name typed with a space inside it: no name contains that, the shop itself is the most like it.
    const items = (
      await (await page.request.get(`${suite.server.url}/api/entities?q=便利店&limit=20`)).json()
    ).items as { name: string }[];
    const name = items.map((e) => e.name).find((n) => /^[\u4e00-\u9fff]{6,}$/.test(n));
    expect(name).toBeDefined();
    const cut = Math.floor(name!.length / 2);
    const typed = `${name!.slice(0, cut)} ${name!.slice(cut)}`;
    await page.goto(`${suite.server.url}/entities`);
    await page.locator('.ant-table-row').first().waitFor();
    await page.getByPlaceholder('名称片段，如 烧烤').fill(typed);
    const answer = searchAnswer(page, 'similar=1');
    await page.getByRole('button', { name: /搜\s*索/ }).click();
    expect((await answer).status()).toBe(200);
    await expect(page.getByTestId('entity-search-similar').textContent()).resolves.toContain('名称相近');
    await expect.poll(async () => (await page.locator('.ant-table-row a').allTextContents())[0]).toBe(name);
    await shot(page, 'entities-similar.png');
  });

  it('信用代码前缀不区分大小写', async () => {
    const page = await newPage();
    await login(page, 'director');
    const all = (await (await page.request.get(`${suite.server.url}/api/entities?limit=200`)).json())
      .items as {
      uscc: string | null;
    }[];
    const code = all.map((e) => e.uscc).find((u) => u && /^\d{8}[A-Z]{2}/.test(u));
    expect(code).toBeDefined();
    const prefix = code!.slice(0, 10);
    await page.goto(`${suite.server.url}/entities`);
    await page.locator('.ant-table-row').first().waitFor();
    const input = page.getByPlaceholder('代码前几位');
    await input.fill(prefix.toLowerCase());
    await expect(input.inputValue()).resolves.toBe(prefix);
    const answer = searchAnswer(page, `uscc=${prefix}`);
    await page.getByRole('button', { name: /搜\s*索/ }).click();
    expect((await answer).status()).toBe(200);
    await expect
      .poll(async () => {
        const codes = await page.locator('.ant-table-row td:nth-child(2)').allTextContents();
        return codes.length > 0 && codes.every((c) => c.startsWith(prefix));
      })
      .toBe(true);
  });

  it('流转记录以中文显示事件与原因，不显示事件代码', async () => {
    const page = await newPage();
    await login(page, 'director');
    const id = (await ids(page, 'q=烧烤'))[0]!;
    const profile = await (await page.request.get(`${suite.server.url}/api/entities/${id}`)).json();
    const res = await page.request.put(`${suite.server.url}/api/fusion/entities/${id}/fields`, {
      headers: { 'x-csrf-token': await csrf(page) },
      data: { field: 'address', value: `${profile.address}（东门）`, reason: '现场核实门头位置' },
    });
    expect(res.status(), await res.text()).toBe(200);

    await page.goto(`${suite.server.url}/entities/${id}`);
    const item = page.locator('[data-testid=entity-timeline-item][data-kind="entity.field.corrected"]');
    await item.waitFor();
    const text = (await item.textContent()) ?? '';
    expect(text).toContain('人工维护字段');
    expect(text).toContain(`住所（经营场所）：${profile.address} → ${profile.address}（东门）`);
    expect(text).toContain('原因：现场核实门头位置');
    const timeline = page.locator('.ant-card', { hasText: '流转记录' }).last();
    expect(await timeline.textContent()).not.toMatch(/\b(entity|clue)\.[a-z_.]+/);
    await item.scrollIntoViewIfNeeded();
    await page.waitForTimeout(400);
    await shot(page, 'entity-profile-timeline.png');
  });
});
