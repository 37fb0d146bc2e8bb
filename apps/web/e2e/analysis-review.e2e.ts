import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { setupBrowserSuite } from './browser.ts';

/**
 * 综合研判 › 研判复盘: an analyst judges a clue; 生成报告 (default: last month) runs as a job and the list shows it
 * done; a report over today opens in the drawer with the per-field figures, the confusion heat table, calibration,
 * outcomes, detectors and the model card saying too few corrections to train.
 */
const suite = setupBrowserSuite();
const { newPage, shot, login } = suite;

async function csrf(page: Page): Promise<string> {
  const me = await (await page.request.get(`${suite.server.url}/api/auth/me`)).json();
  return me.user.csrfToken as string;
}

const chinaDay = (ms: number) => new Date(ms + 8 * 3_600_000).toISOString().slice(0, 10);

describe('研判复盘', () => {
  it('研判员生成复盘报告，查看建议与研判的对比、模式发现成效和模型改进结论', async () => {
    const setup = await newPage();
    await login(setup, 'director');
    const token = await csrf(setup);
    const created = await setup.request.post(`${suite.server.url}/api/clues`, {
      headers: { 'x-csrf-token': token },
      data: {
        kind: 'inquiry',
        channel: 'phone',
        content: '咨询超市购买的牛奶临近保质期能否退货，复盘测试。',
      },
    });
    expect(created.status(), await created.text()).toBe(201);
    const { id } = (await created.json()) as { id: number };
    let detail = await (await setup.request.get(`${suite.server.url}/api/clues/${id}`)).json();
    if (detail.status !== 'analysing') {
      const moved = await setup.request.post(`${suite.server.url}/api/clues/${id}/transitions`, {
        headers: { 'x-csrf-token': token },
        data: { action: 'toAnalysis', version: detail.version },
      });
      expect(moved.status(), await moved.text()).toBe(200);
      detail = await moved.json();
    }
    const page = await newPage();
    const errors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    await login(page, 'analyst');
    const analystToken = await csrf(page);
    const judged = await page.request.post(`${suite.server.url}/api/analysis/judgments`, {
      headers: { 'x-csrf-token': analystToken },
      data: {
        clues: [{ id, version: detail.version }],
        disposal: 'direct',
        conclusion: '属消费咨询，可直接答复',
        basis: '不涉及违法行为',
        answer: '临近保质期的商品在保质期内可正常销售，退货按商家约定。',
      },
    });
    expect(judged.status(), await judged.text()).toBe(201);
    await page.goto(`${suite.server.url}/analysis/review`);
    await page.getByText('还没有复盘报告').waitFor();
    await page.getByRole('button', { name: '生成报告' }).click();
    await page.locator('.ant-modal').getByText('复盘期间', { exact: true }).waitFor();
    await page.waitForTimeout(300);
    await shot(page, 'analysis-review-create.png');
    await page.locator('.ant-modal .ant-btn-primary').click(); // antd spaces two-character labels: 生 成
    await page.getByText('未启用').first().waitFor({ timeout: 60_000 });
    expect(await page.locator('.ant-table-row').count()).toBe(1);

    // A report over today (the judgment above) through the API, the way the dialog sends it.
    const today = chinaDay(Date.now());
    const report = await page.request.post(`${suite.server.url}/api/analysis/review`, {
      headers: { 'x-csrf-token': analystToken },
      data: { from: today, to: today },
    });
    expect(report.status(), await report.text()).toBe(202);
    await page.reload();
    const row = page.locator('.ant-table-row', { hasText: `${today} 至 ${today}` });
    await row.waitFor();
    await row.getByText('未启用').waitFor({ timeout: 60_000 });
    await shot(page, 'analysis-review-list.png');

    await row.getByRole('button', { name: '查看' }).click();
    const drawer = page.locator('.ant-drawer');
    await drawer.getByText('建议与研判结论').waitFor();
    await drawer.getByLabel('混淆矩阵').first().waitFor();
    const text = (await drawer.textContent()) ?? '';
    expect(text).toContain('置信度校准');
    expect(text).toContain('模式发现成效');
    expect(text).toContain('重复投诉举报');
    expect(text).toContain('更正样本不足，未训练新模型');
    await page.waitForTimeout(500);
    await shot(page, 'analysis-review-detail.png');
    expect(errors).toEqual([]);
  });
});
