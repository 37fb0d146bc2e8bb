import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { setupBrowserSuite } from './browser.ts';

/**
 * 线索归集 in the console: the director takes a phone complaint through the intake form (the respondent picked from
 * the register while typing, a similar earlier clue shown before saving), finds it in the list with a filter,
 * saves that filter and applies it again, opens the clue, routes it to 调度 and reads the step on its timeline;
 * the earlier clue and the new one wait as a pair in the 并案 queue.
 */
const suite = setupBrowserSuite();
const { newPage, shot, login } = suite;

// A marker that no demo clue contains, so the filter finds exactly ours.
const MARK = `E2E${Date.now().toString(36).toUpperCase()}`;
const CONTENT = `在该店购买的烧烤套餐有异味，食用后腹泻，要求退款并依法查处。编号${MARK}`;

async function csrf(page: Page): Promise<string> {
  const me = await (await page.request.get(`${suite.server.url}/api/auth/me`)).json();
  return me.user.csrfToken as string;
}

/** Open an entry of the 线索归集 group in the side menu. */
async function openMenu(page: Page, entry: RegExp) {
  const item = page.getByRole('menuitem', { name: entry });
  if (!(await item.isVisible())) await page.getByRole('menuitem', { name: /线索归集/ }).click();
  await item.click();
}

async function someEntity(page: Page): Promise<{ id: number; name: string }> {
  const res = await page.request.get(
    `${suite.server.url}/api/entities?q=${encodeURIComponent('烧烤')}&limit=5`,
  );
  const items = (await res.json()).items as { id: number; name: string }[];
  expect(items.length).toBeGreaterThan(0);
  return items[0]!;
}

describe('线索归集（登记、列表、详情、并案）', () => {
  let entity: { id: number; name: string };
  let number = '';
  let earlierNumber = '';

  it('局长通过来电登记投诉：选择经营主体建议，保存前看到相似线索', async () => {
    const page = await newPage();
    const errors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    await login(page, 'director');
    entity = await someEntity(page);

    // An earlier call about the same shop, entered a moment ago by a colleague.
    const earlier = await page.request.post(`${suite.server.url}/api/clues`, {
      headers: { 'x-csrf-token': await csrf(page) },
      data: { kind: 'complaint', channel: 'phone', entityId: entity.id, content: CONTENT },
    });
    expect(earlier.status(), await earlier.text()).toBe(201);
    earlierNumber = (await earlier.json()).number as string;

    await openMenu(page, /登记线索/);
    await page.waitForURL((u) => u.pathname === '/clues/new');
    await page.getByText('来电', { exact: true }).click();
    await page.locator('#clue-intake_complainant_name').fill('张先生');
    await page.locator('#clue-intake_complainant_phone').fill('1380013800');
    // The form says what is wrong with the phone before anything is sent.
    await page.locator('#clue-intake_complainant_idCard').click();
    await page.getByText('电话号码格式不正确').first().waitFor();
    await page.locator('#clue-intake_complainant_phone').fill('13800138000');

    const box = page.locator('#clue-intake_respondentName');
    await box.click();
    await box.pressSequentially(entity.name.slice(0, 4), { delay: 60 });
    const option = page.locator('.ant-select-item-option', { hasText: entity.name }).first();
    await option.waitFor();
    await option.click();
    await page.getByText(`已关联经营主体 #${entity.id}`).waitFor();
    await expect.poll(() => box.inputValue()).toBe(entity.name);

    await page.locator('#clue-intake_content').fill(CONTENT);
    await page.locator('#clue-intake_request').fill('退款');
    const dup = page.getByTestId('duplicate-card');
    await dup.getByText(earlierNumber).waitFor({ timeout: 30_000 });
    await shot(page, 'clue-intake.png');

    await page.getByRole('button', { name: /保\s*存/ }).click();
    const created = page.getByTestId('created-number');
    await created.waitFor();
    number = ((await created.textContent()) ?? '').trim();
    expect(number).toMatch(/^XS\d{14}$/);
    await shot(page, 'clue-intake-done.png');
    expect(errors).toEqual([]);
  });

  it('在列表中按条件筛选到该线索，保存筛选并重新套用', async () => {
    const page = await newPage();
    await login(page, 'director');
    await openMenu(page, /线索管理/);
    await page.waitForURL((u) => u.pathname === '/clues');
    await page.locator('.ant-table-row').first().waitFor();
    await shot(page, 'clue-list.png');

    await page.locator('#clue-search_q').fill(MARK);
    await page.locator('#clue-search_channel').click();
    await page.locator('.ant-select-item-option', { hasText: /^来电$/ }).click();
    await page.getByRole('button', { name: /搜\s*索/ }).click();
    await page.locator('.ant-table-row', { hasText: number }).waitFor();
    await expect.poll(() => page.locator('.ant-table-row').count()).toBe(2);
    await page
      .getByTestId('clue-total')
      .getByText(/共\s*2\s*条/)
      .waitFor();

    await page.getByRole('button', { name: '保存当前筛选' }).click();
    const dialog = page.locator('.ant-modal', { hasText: '保存当前筛选' });
    await dialog.getByLabel('筛选名称').fill('E2E 来电投诉');
    await dialog.getByRole('button', { name: /保\s*存/ }).click();
    await dialog.waitFor({ state: 'hidden' });

    // Back to everything, then the saved filter brings the two clues back.
    await page.getByRole('button', { name: /重\s*置/ }).click();
    await expect.poll(() => page.locator('.ant-table-row').count()).toBeGreaterThan(2);
    await page.getByTestId('saved-views').click();
    await page.locator('.ant-select-item-option', { hasText: 'E2E 来电投诉' }).click();
    await expect.poll(() => page.locator('.ant-table-row').count()).toBe(2);
    await expect.poll(() => page.locator('#clue-search_q').inputValue()).toBe(MARK);
    await shot(page, 'clue-list-filtered.png');

    await page.locator('.ant-table-row', { hasText: number }).getByRole('link', { name: number }).click();
    await page.waitForURL((u) => /^\/clues\/\d+$/.test(u.pathname));
  });

  it('打开详情，转调度，时间线记下这一步', async () => {
    const page = await newPage();
    await login(page, 'director');
    const list = await page.request.get(`${suite.server.url}/api/clues?q=${number}`);
    const id = (await list.json()).items[0].id as number;
    await page.goto(`${suite.server.url}/clues/${id}`);
    await page.getByTestId('clue-number').getByText(number).waitFor();
    await page.getByTestId('clue-content').getByText(MARK, { exact: false }).waitFor();
    await page.getByText('收到线索').first().waitFor();
    // The complainant is masked; the respondent links to its 一户一档.
    await page.getByText('138****8000').waitFor();
    await page.getByRole('link', { name: entity.name }).first().waitFor();
    await page.getByTestId('clue-map').waitFor();
    await expect(page.locator('.ant-breadcrumb').textContent()).resolves.toMatch(/线索管理.*详情/s);
    await page.waitForTimeout(600);
    await shot(page, 'clue-detail.png');

    await page.getByTestId('clue-actions').getByRole('button', { name: '转调度' }).click();
    const modal = page.locator('.ant-modal', { hasText: `转调度 · ${number}` });
    await modal.locator('textarea').last().fill('涉及食品安全，转调度派员核查');
    await modal.getByRole('button', { name: '转调度' }).click();
    await modal.waitFor({ state: 'hidden' });
    await page.locator('.ant-card-head').getByText('待调度').waitFor();
    const step = page.locator('[data-testid=timeline-item][data-kind="clue.toDispatch"]');
    await step.waitFor();
    expect((await step.textContent()) ?? '').toContain('涉及食品安全，转调度派员核查');
    await page.waitForTimeout(400);
    await shot(page, 'clue-detail-dispatched.png');
  });

  it('分拣确认转研判，再以收到当日施行的法定理由不予受理', async () => {
    const page = await newPage();
    await login(page, 'director');
    const list = await page.request.get(`${suite.server.url}/api/clues?q=${earlierNumber}`);
    const id = (await list.json()).items[0].id as number;
    await page.goto(`${suite.server.url}/clues/${id}`);
    await page.getByTestId('clue-number').getByText(earlierNumber).waitFor();

    await page.getByTestId('clue-actions').getByRole('button', { name: '分拣确认' }).click();
    const sorting = page.locator('.ant-modal', { hasText: `分拣确认 · ${earlierNumber}` });
    await sorting.getByLabel('业务条线').click();
    await sorting.getByLabel('业务条线').pressSequentially('食品');
    await page.locator('.ant-select-item-option', { hasText: /^食品$/ }).click();
    await sorting.getByText('转研判', { exact: true }).click();
    await sorting.getByRole('button', { name: '确认分拣' }).click();
    await sorting.waitFor({ state: 'hidden' });
    await page.locator('.ant-card-head').getByText('待研判').waitFor();
    await page.locator('[data-testid=timeline-item][data-kind="clue.sorted"]').waitFor();

    await page.getByTestId('clue-actions').getByRole('button', { name: '不予受理' }).click();
    const reject = page.locator('.ant-modal', { hasText: `不予受理 · ${earlierNumber}` });
    await reject.getByLabel('不予受理理由').click();
    const ground = page.locator('.ant-select-item-option').first();
    await ground.waitFor();
    await ground.click();
    await page.waitForTimeout(300);
    await shot(page, 'clue-reject-modal.png');
    await reject.getByRole('button', { name: '不予受理' }).click();
    await reject.waitFor({ state: 'hidden' });
    await page.locator('.ant-card-head').getByText('不予受理').waitFor();
    const step = page.locator('[data-testid=timeline-item][data-kind="clue.reject"]');
    await step.waitFor();
    expect((await step.textContent()) ?? '').toContain('不予受理理由：');
  });

  it('并案队列并排显示疑似重复的两条线索', async () => {
    const page = await newPage();
    await login(page, 'director');
    // Two open calls about the same shop (the earlier pair of this suite was refused a step ago).
    const text = `该店售卖的熟食已经变质发臭，店主拒绝退换。编号${MARK}Q`;
    const post = () =>
      csrf(page).then((token) =>
        page.request.post(`${suite.server.url}/api/clues`, {
          headers: { 'x-csrf-token': token },
          data: { kind: 'complaint', channel: 'phone', entityId: entity.id, content: text },
        }),
      );
    expect((await post()).status()).toBe(201);
    const second = await post();
    expect(second.status()).toBe(201);
    const secondNumber = (await second.json()).number as string;
    await openMenu(page, /线索并案/);
    await page.waitForURL((u) => u.pathname === '/clues/merges');
    const pair = page.locator('[data-testid^=merge-pair-]', { hasText: secondNumber }).first();
    await pair.waitFor();
    expect(await pair.locator('[data-testid=merge-side]').count()).toBe(2);
    await shot(page, 'clue-merge-queue.png');
  });
});
