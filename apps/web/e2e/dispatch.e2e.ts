import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { setupBrowserSuite } from './browser.ts';

/**
 * 指挥调度 in the console: a clue waits in 待调度; the dispatcher opens the 待调度 queue on the 调度台, dispatches it
 * with the suggested department and officers; an officer of that 所 signs the order, starts, records the result and
 * closes it; the clue shows 待反馈 with the result on its timeline.
 */
const suite = setupBrowserSuite();
const { newPage, shot, login } = suite;

const MARK = `E2E${Date.now().toString(36).toUpperCase()}`;
const SUMMARY = `现场检查发现该店销售超过保质期的卤菜，已责令下架并立案调查（${MARK}）`;

async function me(page: Page): Promise<{ csrfToken: string; departmentId: number }> {
  const res = await page.request.get(`${suite.server.url}/api/auth/me`);
  return ((await res.json()) as { user: { csrfToken: string; departmentId: number } }).user;
}

describe('指挥调度（调度台、调度单）', () => {
  it('调度员派单，执法人员签收并登记结果办结，线索转为待反馈', async () => {
    // officer1 works in the first 所: the clue is that 所's, so the routing sends it there.
    const officerPage = await newPage();
    await login(officerPage, 'officer1');
    const { departmentId } = await me(officerPage);

    const setup = await newPage();
    await login(setup, 'director');
    const { csrfToken } = await me(setup);
    const created = await setup.request.post(`${suite.server.url}/api/clues`, {
      headers: { 'x-csrf-token': csrfToken },
      data: {
        kind: 'complaint',
        channel: 'phone',
        content: `城东路一家熟食店出售过期卤菜，要求依法查处。编号${MARK}`,
        request: '依法查处',
        departmentId,
        respondent: { name: `示范熟食店${MARK}`, address: '示范县城东路 8 号' },
        complainant: { name: '张三', phone: '13800000000' },
      },
    });
    expect(created.status(), await created.text()).toBe(201);
    const { id, number } = (await created.json()) as { id: number; number: string };
    const detail = await (await setup.request.get(`${suite.server.url}/api/clues/${id}`)).json();
    const moved = await setup.request.post(`${suite.server.url}/api/clues/${id}/transitions`, {
      headers: { 'x-csrf-token': csrfToken },
      data: { action: 'toDispatch', version: detail.version },
    });
    expect(moved.status(), await moved.text()).toBe(200);

    // The dispatcher: 调度台 › 待调度 › 派单 with the suggestion.
    const page = await newPage();
    const errors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    await login(page, 'dispatcher');
    await page.goto(`${suite.server.url}/dispatch?tab=queue`);
    const row = page.locator('tr', { hasText: number });
    await row.waitFor();
    await row.getByRole('button', { name: /派\s*单/ }).click();
    const dialog = page.locator('.ant-modal', { hasText: `派单 · ${number}` });
    await dialog.getByText('办理时限').waitFor();
    await dialog.locator('.ant-checkbox-wrapper-checked').nth(1).waitFor();
    await dialog.getByLabel('调度要求').fill('请重点核查进货查验记录和保质期标识');
    await page.waitForTimeout(300);
    await shot(page, 'dispatch-dialog.png');
    await dialog.getByRole('button', { name: /派\s*单/ }).click();
    await page.waitForURL((u) => /^\/dispatch\/orders\/\d+$/.test(u.pathname));
    const orderUrl = new URL(page.url()).pathname;
    await page.getByTestId('order-deadline').getByText('监管检查').waitFor({ timeout: 40_000 });
    await page.getByText('待签收').first().waitFor();

    const order = await (await page.request.get(`${suite.server.url}/api${orderUrl}`)).json();
    expect(order.officers).toHaveLength(2);

    // The board lists the order with its department's counts and the map.
    await page.goto(`${suite.server.url}/dispatch`);
    await page.getByTestId('dispatch-map').waitFor();
    await page.locator('tr', { hasText: order.number }).waitFor();
    await page.getByTestId(`dept-count-${departmentId}`).waitFor();
    await page.waitForTimeout(800);
    await shot(page, 'dispatch-board.png');

    // The officer: 签收 → 开始办理 → 登记结果并办结.
    await officerPage.goto(`${suite.server.url}${orderUrl}`);
    await officerPage.getByRole('button', { name: /签\s*收/ }).click();
    await officerPage.getByRole('button', { name: '开始办理' }).click();
    await officerPage.getByRole('button', { name: '登记结果并办结' }).click();
    const form = officerPage.locator('.ant-modal', { hasText: '登记办理结果并办结' });
    await form.getByLabel('办理结果').click();
    await officerPage.locator('.ant-select-item-option[title="发现违法行为"]').click();
    await form.getByLabel('办理情况').fill(SUMMARY);
    await form.getByRole('button', { name: /确\s*定|OK/ }).click();
    await officerPage.getByTestId('order-result').getByText(MARK, { exact: false }).waitFor();
    await officerPage.getByText('已办结').first().waitFor();
    await shot(officerPage, 'dispatch-order.png');

    // The clue: 待反馈, with the result on its timeline.
    await officerPage.goto(`${suite.server.url}/clues/${id}`);
    await officerPage.getByText('待反馈').first().waitFor();
    const item = officerPage.locator('[data-testid=timeline-item][data-kind="clue.recordResult"]');
    await item.waitFor();
    expect(await item.textContent()).toContain(MARK);
    await officerPage.locator('[data-testid=timeline-item][data-kind="dispatch.order.completed"]').waitFor();
    expect(errors.filter((e) => !/favicon/.test(e))).toEqual([]);
  });
});
