import { describe, expect, it } from 'vitest';
import path from 'node:path';
import { SHOTS, setupBrowserSuite } from './browser.ts';

/** 信用风险分类: the explanation on the 一户一档 and the distribution page, on the demo county. */
const suite = setupBrowserSuite();
const { newPage, shot, login } = suite;

interface Page {
  items: { id: number; name: string; riskClass: string | null }[];
}

describe('信用风险分类', () => {
  it('一户一档显示分类、分值和每项指标的计分原因；局长可重新计算', async () => {
    const page = await newPage();
    await login(page, 'director');
    // A class-D entity of the demo county: it has the most to explain.
    const res = await page.request.get(`${suite.server.url}/api/entities?riskClass=D&limit=5`);
    expect(res.status()).toBe(200);
    const d = ((await res.json()) as Page).items[0];
    expect(d, '演示数据中应有 D 类主体').toBeDefined();
    const risk = await page.request.get(`${suite.server.url}/api/entities/${d!.id}/risk`);
    const explained = (await risk.json()) as {
      risk: { score: number; contributions: { label: string; points: number; detail: string }[] };
    };
    const top = explained.risk.contributions[0]!;

    await page.goto(`${suite.server.url}/entities/${d!.id}`);
    const card = page.locator('[data-testid=entity-risk-card]');
    await card.waitFor();
    await card.getByText('D 高风险').waitFor();
    await card.getByText('计分依据').waitFor();
    await card.getByText(top.detail).waitFor();
    await card.getByText(`+${top.points} 分`).first().waitFor();
    await expect(card.locator('.ant-statistic-content-value').textContent()).resolves.toBe(
      String(explained.risk.score),
    );
    await expect(card.getByText(/系统默认模型 · 评定日期/).textContent()).resolves.toMatch(
      /\d{4}-\d{2}-\d{2}/,
    );
    await card.scrollIntoViewIfNeeded();
    await page.waitForTimeout(400);
    await card.screenshot({ path: path.join(SHOTS, 'entity-risk-card.png') });
    await shot(page, 'entity-risk-profile.png');

    await card.getByRole('button', { name: /重新计算/ }).click();
    await page.getByText(/已重新计算：D 类（高风险）/).waitFor();
  });

  it('系统管理员在参数设置中修改模型：分界不递增时表单提示中文错误，正确的新版本按生效日期排期', async () => {
    const page = await newPage();
    await login(page, 'admin');
    await page.goto(`${suite.server.url}/system/settings`);
    const card = page.locator('[data-testid="setting-fusion.riskModel"]');
    await card.getByText('列入经营异常名录：分值').waitFor();
    await card.getByRole('button', { name: /修改/ }).click();
    const modal = page.locator('.ant-modal').filter({ hasText: '修改：信用风险分类模型' });
    await modal.getByText('行政处罚：大额罚没标准').waitFor();

    // Bounds 10, 30, 60 → 30, 60, 5: not increasing.
    const bounds = modal.locator('.ant-form-item').filter({ hasText: '分类分界（分）' });
    await bounds.locator('.ant-select-selection-item-remove').first().click();
    await bounds.locator('input').fill('5');
    await bounds.locator('input').press('Enter');
    await modal.locator('.ant-modal-title').click();
    await modal.getByRole('button', { name: /保\s*存/ }).click();
    await bounds.getByText('三个分界应由低到高递增').waitFor();
    await page.waitForTimeout(300);
    await page.screenshot({ path: path.join(SHOTS, 'risk-model-settings.png') });

    // A valid change from a later date is scheduled, not applied.
    for (let i = 0; i < 3; i++) await bounds.locator('.ant-select-selection-item-remove').first().click();
    for (const v of ['15', '35', '60']) {
      await bounds.locator('input').fill(v);
      await bounds.locator('input').press('Enter');
    }
    const effective = modal.locator('.ant-picker input');
    await effective.click();
    await effective.fill('2099-01-01');
    await effective.press('Enter');
    await modal.getByRole('button', { name: /保\s*存/ }).click();
    await page.getByText('已保存“信用风险分类模型”，自 2099-01-01 起生效').waitFor();
    await card.getByText(/自 2099-01-01 起将改为：分类分界（分）：15、35、60/).waitFor();
    const overview = await page.request.get(`${suite.server.url}/api/system/settings`);
    expect(overview.status()).toBe(200);
  });

  it('风险分类页显示各类数量、各所分布和指标命中情况，执法人员只看到本所', async () => {
    const page = await newPage();
    await login(page, 'director');
    await page.getByRole('menuitem', { name: /风险分类/ }).click();
    await page.waitForURL((u) => u.pathname === '/risk');
    await page.locator('[data-testid=risk-count-D]').waitFor();
    const overview = (await (await page.request.get(`${suite.server.url}/api/risk/overview`)).json()) as {
      total: { A: number; B: number; C: number; D: number; none: number };
      byStation: unknown[];
    };
    expect(overview.total.A + overview.total.B + overview.total.C + overview.total.D).toBe(2000);
    await expect(
      page.locator('[data-testid=risk-count-D] .ant-statistic-content-value').textContent(),
    ).resolves.toBe(overview.total.D.toLocaleString('zh-CN'));
    await page.getByText('各所分布').waitFor();
    await page.getByText('列入严重违法失信名单').first().waitFor();
    await page.locator('.rj-risk-stack').first().waitFor();
    expect(await page.locator('.rj-risk-stack').count()).toBe(overview.byStation.length);

    await page.getByRole('button', { name: /全部重新计算/ }).click();
    await page.getByText(/已提交重新计算|已有重新计算任务/).waitFor();
    await page.locator('[data-testid=risk-last-run]').waitFor();
    await shot(page, 'risk-overview.png');

    const officer = await newPage();
    await login(officer, 'officer1');
    await officer.goto(`${suite.server.url}/risk`);
    await officer.locator('.rj-risk-stack').first().waitFor();
    expect(await officer.locator('.rj-risk-stack').count()).toBe(1);
    await expect(officer.getByRole('button', { name: /全部重新计算/ }).count()).resolves.toBe(0);
  });
});
