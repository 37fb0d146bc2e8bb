import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { setupBrowserSuite } from './browser.ts';

/**
 * 综合研判 and 我的待办 in the console: a clue waits in 待研判; the analyst finds it in 我的待办, opens the workbench
 * from there, judges it 监管检查 with a conclusion and a basis; the clue leaves the queue, shows 待调度 with the
 * judgment on its timeline, and the dispatcher finds it in 我的待办.
 */
const suite = setupBrowserSuite();
const { newPage, shot, login } = suite;

const MARK = `E2E${Date.now().toString(36).toUpperCase()}`;
const CONTENT = `城东路一家熟食店出售的卤菜已经过期变质，家人食用后腹泻，要求依法查处。编号${MARK}`;
const CONCLUSION = `被投诉主体涉嫌销售过期变质食品，需现场检查（${MARK}）`;

async function csrf(page: Page): Promise<string> {
  const me = await (await page.request.get(`${suite.server.url}/api/auth/me`)).json();
  return me.user.csrfToken as string;
}

/** The newest item of 我的待办 first, whatever its due date. */
async function newestFirst(page: Page) {
  await page.goto(`${suite.server.url}/inbox`);
  await page.getByTestId('inbox-table').waitFor();
  await page.getByText('按截止时间').click();
  await page.locator('.ant-select-item-option', { hasText: '按创建时间' }).click();
}

describe('综合研判（研判工作台、我的待办）', () => {
  let id = 0;
  let number = '';

  it('研判员在我的待办中看到待研判线索，打开工作台研判为监管检查', async () => {
    const setup = await newPage();
    await login(setup, 'director');
    const token = await csrf(setup);
    const created = await setup.request.post(`${suite.server.url}/api/clues`, {
      headers: { 'x-csrf-token': token },
      data: { kind: 'complaint', channel: 'phone', content: CONTENT, request: '依法查处' },
    });
    expect(created.status(), await created.text()).toBe(201);
    ({ id, number } = (await created.json()) as { id: number; number: string });
    const detail = await (await setup.request.get(`${suite.server.url}/api/clues/${id}`)).json();
    const moved = await setup.request.post(`${suite.server.url}/api/clues/${id}/transitions`, {
      headers: { 'x-csrf-token': token },
      data: { action: 'toAnalysis', version: detail.version },
    });
    expect(moved.status(), await moved.text()).toBe(200);

    const page = await newPage();
    const errors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    await login(page, 'analyst');
    await page.getByTestId('inbox-bell').waitFor();
    await newestFirst(page);
    const row = page.locator('[data-testid=inbox-row]', { hasText: number });
    await row.waitFor();
    expect(await row.textContent()).toContain('待研判线索');
    await shot(page, 'inbox-analyst.png');

    await row.click();
    await page.waitForURL((u) => u.pathname === '/analysis' && u.searchParams.get('clue') === String(id));
    const bench = page.locator(`[data-testid=workbench][data-number="${number}"]`);
    await bench.waitFor();
    await bench.getByText(MARK, { exact: false }).first().waitFor();
    await page.getByTestId('suggestions').waitFor();
    await page.getByTestId('similar-clues').waitFor();
    await page.locator(`[data-testid=queue-item][data-number="${number}"]`).waitFor();
    await page.waitForTimeout(500);
    await shot(page, 'analysis-workbench.png');

    const form = page.getByTestId('judgment-form');
    await form.getByText('监管检查', { exact: true }).click();
    await form.getByLabel('研判结论').fill(CONCLUSION);
    await form.getByLabel('研判依据').fill('投诉内容具体，涉及食品安全，属本局职责');
    await page.getByTestId('judge-submit').click();
    await page.getByText('已研判：监管检查').waitFor();
    await page.locator(`[data-testid=queue-item][data-number="${number}"]`).waitFor({ state: 'detached' });
    await shot(page, 'analysis-judged.png');
    expect(errors).toEqual([]);
  });

  it('线索显示待调度，时间线记下研判；调度员的我的待办出现这条线索', async () => {
    const page = await newPage();
    await login(page, 'analyst');
    await page.goto(`${suite.server.url}/clues/${id}`);
    await page.getByTestId('clue-number').getByText(number).waitFor();
    await page.locator('.ant-card-head').getByText('待调度').waitFor();
    const step = page.locator('[data-testid=timeline-item][data-kind="analysis.judged"]');
    await step.waitFor();
    const text = (await step.textContent()) ?? '';
    expect(text).toContain('研判');
    expect(text).toContain('监管检查');
    expect(text).toContain(CONCLUSION);
    await page.waitForTimeout(400);
    await shot(page, 'analysis-clue-timeline.png');

    const dispatcher = await newPage();
    await login(dispatcher, 'dispatcher');
    await newestFirst(dispatcher);
    const row = dispatcher.locator('[data-testid=inbox-row]', { hasText: number });
    await row.waitFor();
    expect(await row.textContent()).toContain('待调度线索');
    await shot(dispatcher, 'inbox-dispatcher.png');
  });
});
