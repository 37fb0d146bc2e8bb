import type { Page, Request } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { setupBrowserSuite } from './browser.ts';

/**
 * 一张图: offline by default (no request leaves the platform), grids drawn from their polygons, per-grid counts
 * zoomed out, coloured points with a popup leading to the 一户一档 zoomed in, and the 未落格 list.
 */
const suite = setupBrowserSuite();
const { newPage, shot, login } = suite;

interface Feature {
  id: number;
  lon: number;
  lat: number;
  title: string;
}

/** Every request the page makes that does not go to the platform itself. */
function watchExternal(page: Page): string[] {
  const external: string[] = [];
  const own = new URL(suite.server.url).host;
  page.on('request', (r: Request) => {
    const u = new URL(r.url());
    if (u.protocol === 'data:' || u.protocol === 'blob:') return;
    if (u.host !== own) external.push(r.url());
  });
  return external;
}

/** Pixel position of a point on the map, from the viewport the page asked the layer API for (Web Mercator). */
async function pixelOf(page: Page, bbox: number[], lon: number, lat: number) {
  const box = (await page.locator('[data-testid=entity-map] .leaflet-container').boundingBox())!;
  const [west, south, east, north] = bbox as [number, number, number, number];
  const y = (l: number) => Math.log(Math.tan(Math.PI / 4 + (l * Math.PI) / 360));
  return {
    x: box.x + ((lon - west) / (east - west)) * box.width,
    y: box.y + ((y(north) - y(lat)) / (y(north) - y(south))) * box.height,
  };
}

describe('一张图', () => {
  it('局长看到网格与按网格汇总的主体数，放大后点击点位打开一户一档，且不访问任何外部地址', async () => {
    const page = await newPage();
    const external = watchExternal(page);
    await login(page, 'director');
    const layerAnswers: { url: string; body: { mode: string; total: number; features?: Feature[] } }[] = [];
    page.on('response', async (res) => {
      if (!res.url().includes('/api/map/layers/entities')) return;
      layerAnswers.push({ url: res.url(), body: await res.json().catch(() => ({})) });
    });

    await page.getByRole('menuitem', { name: /一张图/ }).click();
    await page.waitForURL((u) => u.pathname === '/map');
    await page.locator('[data-testid=entity-map] canvas').first().waitFor();
    await page.locator('.rj-cell span').first().waitFor();
    await expect(page.getByTestId('map-total').textContent()).resolves.toMatch(/视野内 \d+ 户 · 按网格汇总/);
    await expect(page.getByTestId('map-legend').textContent()).resolves.toContain('D 高风险');
    await page.getByTestId('unlocated-card').getByText('未落格经营主体').waitFor();
    await expect(page.locator('[data-testid=entity-map]').getAttribute('data-tiles')).resolves.toBe(
      'offline',
    );
    await page.waitForTimeout(500);
    await shot(page, 'map-county.png');

    // A click on a count circle zooms in far enough for points.
    const cell = (await page.locator('.rj-cell span').first().boundingBox())!;
    await page.mouse.click(cell.x + cell.width / 2, cell.y + cell.height / 2);
    await page
      .getByTestId('map-total')
      .filter({ hasText: /^视野内 \d+ 户$/ })
      .waitFor();
    const points = layerAnswers.filter((a) => a.body.mode === 'points').at(-1)!;
    expect(points.body.features!.length).toBeGreaterThan(0);
    const bbox = new URL(points.url).searchParams.get('bbox')!.split(',').map(Number);
    // A point well inside the viewport, so the popup fits.
    const [west, south, east, north] = bbox as [number, number, number, number];
    const inner = points.body.features!.find(
      (f) =>
        f.lon > west + (east - west) * 0.2 &&
        f.lon < east - (east - west) * 0.2 &&
        f.lat > south + (north - south) * 0.3 &&
        f.lat < north - (north - south) * 0.2,
    )!;
    expect(inner).toBeDefined();
    const at = await pixelOf(page, bbox, inner.lon, inner.lat);
    await page.mouse.click(at.x, at.y);
    const popup = page.getByTestId('map-popup');
    await popup.waitFor();
    await expect(popup.textContent()).resolves.toContain('统一社会信用代码');
    await page.waitForTimeout(400);
    await shot(page, 'map-points.png');

    const title = (await popup.locator('h4').textContent()) ?? '';
    await popup.getByRole('link', { name: '查看一户一档' }).click();
    await page.waitForURL((u) => /^\/entities\/\d+$/.test(u.pathname));
    await page.getByText(title).first().waitFor();
    await page.getByTestId('entity-location-map').locator('canvas').first().waitFor();
    await page.getByText('源数据坐标').first().waitFor();
    await page.waitForTimeout(400);
    await shot(page, 'map-entity-profile.png');

    expect(external).toEqual([]);
  });

  it('按风险分类筛选后只显示该类点位；执法人员只看到本所网格', async () => {
    const page = await newPage();
    await login(page, 'director');
    await page.goto(`${suite.server.url}/map`);
    await page.locator('.rj-cell span').first().waitFor();
    await page.locator('#map-search_riskClass').click();
    const filtered = page.waitForResponse(
      (r) => r.url().includes('/api/map/layers/entities') && r.url().includes('riskClass=D'),
    );
    await page.locator('.ant-select-item-option', { hasText: 'D 高风险' }).click();
    await page.getByRole('button', { name: /搜\s*索/ }).click();
    const body = (await (await filtered).json()) as {
      mode: string;
      cells?: { byCategory: Record<string, number> }[];
    };
    expect(body.mode).toBe('grids');
    for (const c of body.cells ?? []) expect(Object.keys(c.byCategory)).toEqual(['D']);

    const officer = await newPage();
    await login(officer, 'officer1');
    const grids = await officer.request.get(`${suite.server.url}/api/map/grids`);
    const all = await page.request.get(`${suite.server.url}/api/map/grids`);
    const mine = (await grids.json()).features.length as number;
    expect(mine).toBeGreaterThan(0);
    expect(mine).toBeLessThan((await all.json()).features.length);
  });

  it('局长在一户一档上校正位置：点击地图、填写原因后划入所点网格', async () => {
    const page = await newPage();
    await login(page, 'director');
    const list = await page.request.get(`${suite.server.url}/api/entities?limit=1`);
    const id = (await list.json()).items[0].id as number;
    await page.goto(`${suite.server.url}/entities/${id}`);
    const map = page.getByTestId('entity-location-map');
    await map.locator('canvas').first().waitFor();
    await page.getByRole('button', { name: /校正位置/ }).click();
    await page.getByTestId('relocate-form').waitFor();
    const box = (await map.locator('.leaflet-container').boundingBox())!;
    // The middle of the entity's own grid (the map is fitted to it).
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    await page.getByText(/^新位置：/).waitFor();
    await page.getByLabel('校正原因').fill('现场核实，按门头位置校正');
    await shot(page, 'map-relocate.png');
    const saved = page.waitForResponse(
      (r) => r.url().includes(`/api/gis/entities/${id}/location`) && r.request().method() === 'PUT',
    );
    await page.getByRole('button', { name: '保存位置' }).click();
    expect((await saved).status()).toBe(200);
    await page.getByText('人工校正').first().waitFor();
    const located = page.locator('[data-testid=entity-timeline-item][data-kind="entity.located"]').last();
    await located.waitFor();
    const text = (await located.textContent()) ?? '';
    expect(text).toContain('校正位置');
    expect(text).toContain('原因：现场核实，按门头位置校正');
    expect(text).not.toContain('entity.located');
  });

  it('底图版权说明按纯文本显示，不执行其中的 HTML', async () => {
    const tiles = (attribution: string, url: string) => ({
      url,
      subdomains: '',
      tk: '',
      attribution,
      maxZoom: 18,
      labelUrl: '',
    });
    const admin = await newPage();
    await login(admin, 'admin');
    const token = (await (await admin.request.get(`${suite.server.url}/api/auth/me`)).json()).user
      .csrfToken as string;
    const set = async (value: ReturnType<typeof tiles>) => {
      const res = await admin.request.put(`${suite.server.url}/api/system/settings/gis.tiles`, {
        headers: { 'x-csrf-token': token },
        data: { value },
      });
      expect(res.status(), await res.text()).toBe(200);
    };
    // Tiles from the platform itself (they 404; the grids still draw), so nothing leaves the test machine.
    const attribution = '<img src=x onerror="window.__pwned=1"><b>恶意</b> © 测试底图';
    await set(tiles(attribution, '/tiles-e2e/{z}/{x}/{y}.png'));
    try {
      const page = await newPage();
      await login(page, 'director');
      await page.goto(`${suite.server.url}/map`);
      const control = page.locator('[data-testid=entity-map] .leaflet-control-attribution');
      await control.waitFor();
      await expect.poll(() => control.textContent()).toContain(attribution);
      expect(await control.locator('img, b').count()).toBe(0);
      expect(await page.evaluate(() => (window as { __pwned?: number }).__pwned)).toBeUndefined();
    } finally {
      await set(tiles('', ''));
    }
  });
});
