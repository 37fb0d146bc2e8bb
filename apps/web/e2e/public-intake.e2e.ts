import { describe, expect, it } from 'vitest';
import { setupBrowserSuite } from './browser.ts';
import { solveChallengeSvg } from './challenge-solver.ts';

/**
 * 公众入口: a citizen files a complaint through the public form (no login), gets a number and query code, adds a
 * photo, then follows the progress on the query page. The system administrator sees the Open311 clients, where
 * demo mode registered `demo`.
 */
const suite = setupBrowserSuite();
const { newPage, shot, login } = suite;

const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000a49444154789c6300010000050001',
  'hex',
);

async function answerOf(page: import('playwright-core').Page): Promise<string> {
  const src = await page.getByTestId('challenge-image').getAttribute('src');
  const svg = decodeURIComponent(src!.replace(/^data:image\/svg\+xml;charset=utf-8,/, ''));
  return solveChallengeSvg(svg);
}

describe('public intake', () => {
  let number = '';
  let code = '';

  it('a citizen submits a complaint on a phone-sized screen and gets a number and query code', async () => {
    const page = await newPage();
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${suite.server.url}/public/clues/new`);
    await page.getByTestId('challenge-image').waitFor();
    await shot(page, 'public-intake-form.png');

    await page
      .getByLabel('事情经过')
      .fill('在城东超市买到过期牛奶，<b>生产日期</b>已过 3 个月 😠，要求退货赔偿。');
    await page.getByLabel('您的诉求').fill('退货并赔偿');
    await page.getByLabel('被投诉对象').fill('城东超市');
    await page.getByLabel('事发地点').fill('人民路 8 号');
    await page.getByLabel('您的姓名').fill('王小明');
    await page.getByLabel('联系电话').fill('13912345678');
    // A wrong answer first: refused, and a new picture comes.
    const firstImage = await page.getByTestId('challenge-image').getAttribute('src');
    await page.getByLabel('验证码答案').fill('999');
    await page.getByRole('button', { name: /提\s*交/ }).click();
    await expect.poll(() => page.getByText('验证码错误或已过期').first().isVisible()).toBe(true);
    await expect.poll(() => page.getByTestId('challenge-image').getAttribute('src')).not.toBe(firstImage);
    await shot(page, 'public-intake-wrong-challenge.png');
    await page.getByLabel('验证码答案').fill(await answerOf(page));
    await page.getByRole('button', { name: /提\s*交/ }).click();
    await page.getByText('提交成功').waitFor();
    number = (await page.getByTestId('created-number').textContent())!.trim();
    code = (await page.getByTestId('created-code').textContent())!.trim();
    expect(number).toMatch(/^XS\d{14}$/);
    expect(code).toMatch(/^[A-Z2-9]{8}$/);

    await page
      .locator('input[type=file]')
      .setInputFiles({ name: '现场照片.png', mimeType: 'image/png', buffer: PNG });
    await page.getByText('已上传：现场照片.png').waitFor();
    await shot(page, 'public-intake-submitted.png');
  });

  it('the citizen follows the progress with the number and query code; nothing personal is shown', async () => {
    const page = await newPage();
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${suite.server.url}/public/clues/query?number=${number}`);
    await page.getByLabel('查询码').fill('WRONG234');
    await page.getByRole('button', { name: /查\s*询/ }).click();
    await page.getByText('不存在或无权访问').waitFor();
    await page.getByLabel('查询码').fill(code.toLowerCase());
    await page.getByRole('button', { name: /查\s*询/ }).click();
    const progress = page.getByTestId('progress');
    await progress.waitFor();
    await expect.poll(() => progress.textContent()).toContain('已收到，待登记');
    const text = (await progress.textContent()) ?? '';
    expect(text).toContain('已收到');
    for (const secret of ['王小明', '13912345678', '过期牛奶']) expect(text).not.toContain(secret);
    await shot(page, 'public-intake-progress.png');
  });

  it('the system administrator sees the Open311 clients; the demo client works', async () => {
    const services = (await (await fetch(`${suite.server.url}/open311/v2/services.json`)).json()) as {
      service_code: string;
    }[];
    const res = await fetch(`${suite.server.url}/open311/v2/requests.json`, {
      method: 'POST',
      body: new URLSearchParams({
        api_key: 'demo-open311-key',
        service_code: services[0]!.service_code,
        address_string: '人民路 9 号',
        description: '路边摊贩售卖无标签散装食品。',
      }),
    });
    expect(res.status).toBe(201);
    const page = await newPage();
    await login(page, 'admin');
    await page.goto(`${suite.server.url}/system/open311`);
    await page.getByRole('cell', { name: 'demo', exact: true }).waitFor();
    await page.getByRole('button', { name: '登记接入方' }).click();
    await page.getByLabel('接入方名称').fill('市民随手拍 App');
    await page.getByRole('button', { name: '登记并生成 api_key' }).click();
    const key = page.getByTestId('open311-api-key');
    await key.waitFor();
    expect(await key.inputValue()).toMatch(/^o311_/);
    await shot(page, 'open311-clients-key.png');
    await page.getByRole('button', { name: '我已妥善保存' }).click();
    await page.getByRole('cell', { name: '市民随手拍 App', exact: true }).waitFor();
    await shot(page, 'open311-clients.png');
  });
});
