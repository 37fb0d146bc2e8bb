import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { SHOTS, setupBrowserSuite } from './browser.ts';

/**
 * 时限看板: clues registered through the API start their legal limits (receipt dates in the past put them into
 * 预警 and 逾期); the board lists them by tab, an officer asks for an extension and the director approves it.
 */
const suite = setupBrowserSuite();
const { newPage, shot, login } = suite;

function chinaDay(offsetDays = 0): string {
  return new Date(Date.now() + 8 * 3_600_000 + offsetDays * 86_400_000).toISOString().slice(0, 10);
}

async function me(page: Page): Promise<{ csrfToken: string; departmentId: number }> {
  const res = await page.request.get(`${suite.server.url}/api/auth/me`);
  return ((await res.json()) as { user: { csrfToken: string; departmentId: number } }).user;
}

async function registerClue(
  page: Page,
  body: { kind: 'complaint' | 'report'; content: string; receivedOn?: string; departmentId: number },
): Promise<string> {
  const { csrfToken } = await me(page);
  const res = await page.request.post(`${suite.server.url}/api/clues`, {
    headers: { 'x-csrf-token': csrfToken },
    data: {
      kind: body.kind,
      channel: 'phone',
      content: body.content,
      // Past receipt days at 09:30 China time; without one the clue is received now.
      ...(body.receivedOn ? { receivedAt: `${body.receivedOn}T09:30:00+08:00` } : {}),
      departmentId: body.departmentId,
      respondent: { name: '示范县某某超市', address: '示范县城东路 1 号' },
      ...(body.kind === 'complaint' ? { complainant: { name: '张三', phone: '13800000000' } } : {}),
    },
  });
  expect(res.status(), await res.text()).toBe(201);
  return ((await res.json()) as { number: string }).number;
}

describe('时限看板', () => {
  it('预警、逾期、进行中三个页签；承办人申请延期，局长审批后到期日顺延', async () => {
    const officer = await newPage();
    await login(officer, 'officer1');
    const { departmentId } = await me(officer);
    const today = chinaDay();

    // A receipt day 5 working days ago: the 7-working-day 受理 limit is in 预警 (warning from the 5th day).
    let warnDay = '';
    for (let back = 5; back < 20 && !warnDay; back++) {
      const day = chinaDay(-back);
      const res = await officer.request.get(
        `${suite.server.url}/api/system/calendar/compute?start=${day}&end=${today}`,
      );
      if (((await res.json()) as { result: number }).result === 5) warnDay = day;
    }
    expect(warnDay).not.toBe('');
    const warning = await registerClue(officer, {
      kind: 'complaint',
      content: '购买的牛奶已过保质期，要求退款并赔偿。',
      receivedOn: warnDay,
      departmentId,
    });
    const overdue = await registerClue(officer, {
      kind: 'complaint',
      content: '健身房停业后拒不退还预付卡余额。',
      receivedOn: chinaDay(-40),
      departmentId,
    });
    const running = await registerClue(officer, {
      kind: 'report',
      content: '举报某超市销售无中文标签的进口食品。',
      departmentId,
    });

    const director = await newPage();
    await login(director, 'director');
    await director.goto(`${suite.server.url}/clues/deadlines`);
    const table = director.locator('[data-testid=deadline-table]');
    const row = (number: string) => table.locator('tr').filter({ hasText: number });
    await row(warning).waitFor();
    await expect(row(warning).textContent()).resolves.toMatch(/投诉受理决定.*预警/);
    await expect(table.getByText(overdue).count()).resolves.toBe(0);
    await shot(director, 'deadlines-warning.png');

    await director.getByRole('tab', { name: '逾期' }).click();
    await row(overdue).waitFor();
    await expect(row(overdue).textContent()).resolves.toMatch(/超期 \d+ 个工作日.*逾期/);
    await shot(director, 'deadlines-overdue.png');

    // The officer asks for more time on the 举报核查 limit (15 + up to 15 working days).
    await officer.goto(`${suite.server.url}/clues/deadlines`);
    await officer.getByRole('tab', { name: '进行中' }).click();
    const officerRow = officer.locator('[data-testid=deadline-table] tr').filter({ hasText: running });
    await officerRow.getByText('举报核查').waitFor();
    const dueBefore = (await officerRow.locator('td').nth(4).textContent()) ?? '';
    await officerRow.getByRole('button', { name: '申请延期' }).click();
    const ask = officer.locator('.ant-modal').filter({ hasText: '申请延期' });
    await ask.locator('input.ant-input-number-input').fill('10');
    await ask.getByPlaceholder(/案情复杂/).fill('涉及进口食品检验，需要等待检验报告');
    await ask.getByRole('button', { name: '提交申请' }).click();
    await officer.getByText('延期申请已提交，待他人审批').waitFor();
    await officerRow.getByText('延期待批').waitFor();
    // The requester cannot approve his own request: no 审批 button for him.
    await expect(officerRow.getByRole('button', { name: /审\s*批/ }).count()).resolves.toBe(0);

    // The director sees the whole county, earliest due first: page on until the new clue's row appears.
    await director.getByRole('tab', { name: '进行中' }).click();
    await table.locator('tbody tr').filter({ hasText: /XS\d+/ }).first().waitFor();
    for (let i = 0; i < 40 && (await row(running).count()) === 0; i++) {
      await director.getByRole('button', { name: '加载更多' }).click();
      await director.waitForTimeout(300);
    }
    await row(running).getByText('延期待批').waitFor();
    await row(running).scrollIntoViewIfNeeded();
    await director.screenshot({ path: path.join(SHOTS, 'deadlines-running.png') });
    await row(running)
      .getByRole('button', { name: /审\s*批/ })
      .click();
    const decide = director.locator('.ant-modal').filter({ hasText: '审批延期申请' });
    await decide.getByText('涉及进口食品检验，需要等待检验报告').waitFor();
    await director.waitForTimeout(300);
    await director.screenshot({ path: path.join(SHOTS, 'deadlines-approve.png') });
    await decide.getByPlaceholder('审批意见（可选）').fill('同意延期');
    await decide.getByRole('button', { name: /批\s*准/ }).click();
    await director.getByText(/已批准，新的到期日 \d{4}-\d{2}-\d{2}/).waitFor();
    await row(running).getByText('（已延长 10）').waitFor();
    const dueAfter = (await row(running).locator('td').nth(4).textContent()) ?? '';
    expect(dueAfter > dueBefore).toBe(true);
  }, 300_000);
});
