import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeExchangeServer } from '../../server/src/support/exchange/exchange.fake-server.ts';
import { setupBrowserSuite } from './browser.ts';

/**
 * 系统管理 › 数据交换: the system administrator uploads exchange exports of two datasets, reads what was wrong with
 * them, looks at a source's 数据质量, configures the 接口 source and syncs it now.
 */
const suite = setupBrowserSuite();
const { newPage, shot, login } = suite;

const CSV = [
  '统一社会信用代码,企业名称,主体类型,住所,成立日期,登记状态,经营范围',
  '91320500MA00000010,示范县交换测试超市,有限责任公司,示范县人民路 1 号,2019-05-06,存续,食品销售',
  '91320500MA00000020,示范县交换测试饭店,个体工商户,示范县人民路 2 号,2019-05-06,存续,餐饮服务',
  '91320500MA00000010,示范县交换测试超市（重复）,有限责任公司,示范县人民路 3 号,2019-05-06,存续,食品销售',
].join('\r\n');

const LICENCE_CSV = [
  '统一社会信用代码,经营者名称,许可类别,许可证编号,发证日期,有效期至,许可状态,发证机关,更新时间',
  '91320500MA00000010,,食品经营许可证,JY13205000099001,2023-01-01,2028-12-31,有效,示范县市场监督管理局,2025-06-01 10:00:00',
  ',示范县不存在的店,食品经营许可证,JY13205000099002,2023-01-01,2028-12-31,有效,示范县市场监督管理局,2025-06-01',
  '91320500MA00000010,,药品经营许可证,苏EB0500E0099,2023-13-01,2028-12-31,有效,=HYPERLINK("http://x"),2025-06-01',
].join('\r\n');

let fake: Awaited<ReturnType<typeof startFakeExchangeServer>>;
beforeAll(async () => {
  fake = await startFakeExchangeServer({
    records: [1, 2, 3].map((n) => ({
      统一社会信用代码: '',
      企业名称: `示范县接口同步店${n}`,
      住所: `示范县接口路 ${n} 号`,
      注册号: ['320500600000019', '320500600000027', '320500600000035'][n - 1],
      更新时间: '2025-06-01 09:00:00',
    })),
  });
});
afterAll(async () => {
  await fake?.close();
});

async function openExchange(page: Awaited<ReturnType<typeof newPage>>) {
  await login(page, 'admin');
  await suite.openFromMenu(page, /系统管理/, /数据交换/, '/system/exchange');
}

async function upload(page: Awaited<ReturnType<typeof newPage>>, source: string, name: string, text: string) {
  const row = page.locator('.ant-table-row', { hasText: source });
  await row.waitFor();
  await row.getByRole('button', { name: '导入文件' }).click();
  await page.locator('.ant-modal input[type=file]').setInputFiles({
    name,
    mimeType: 'text/csv',
    buffer: Buffer.from(text),
  });
  await page.getByRole('button', { name: '开始导入' }).click();
  await page.getByText('导入完成').waitFor();
  await page.getByRole('button', { name: '查看批次详情' }).click();
}

describe('数据交换', () => {
  it('上传登记注册文件，查看批次的字段质量与错误行', async () => {
    const page = await newPage();
    await openExchange(page);
    await upload(page, 'demo-registration', '登记注册.csv', CSV);
    const drawer = page.locator('.ant-drawer');
    await drawer.getByText('数据质量（按字段）').waitFor();
    const text = (await drawer.textContent()) ?? '';
    expect(text).toContain('文件内统一社会信用代码重复：与第 2 行相同');
    expect(text).toContain('统一社会信用代码无效：校验位错误');
    await shot(page, 'exchange.png');
  });

  it('上传许可文件：找不到主体、日期错误逐行说明；数据源的数据质量页显示字段与趋势', async () => {
    const page = await newPage();
    await openExchange(page);
    await upload(page, 'demo-licence', '许可.csv', LICENCE_CSV);
    const drawer = page.locator('.ant-drawer');
    await drawer.getByText('数据质量（按字段）').waitFor();
    const text = (await drawer.textContent()) ?? '';
    expect(text).toContain('未找到对应的经营主体（名称“示范县不存在的店”）');
    expect(text).toContain('发证日期“2023-13-01”不是有效日期（应为 YYYY-MM-DD）');
    await drawer
      .getByRole('button', { name: 'Close' })
      .or(drawer.locator('.ant-drawer-close'))
      .first()
      .click();

    await page
      .locator('.ant-table-row', { hasText: 'demo-licence' })
      .getByRole('button', { name: '数据质量' })
      .click();
    const quality = page.locator('.ant-drawer', { hasText: '数据质量 — ' });
    await quality.getByText('各字段完整率与有效率（最近一批）').waitFor();
    expect(await quality.locator('canvas').count()).toBeGreaterThanOrEqual(2);
    // The newest 更新时间 received is from 2025: well past the 陈旧 threshold.
    await expect.poll(() => quality.getByTestId('freshness-tag').textContent()).toBe('陈旧');
    await page.waitForTimeout(800); // chart animation
    await shot(page, 'exchange-quality.png');
  });

  it('配置接口数据源并立即同步，同步批次出现在导入批次中', async () => {
    const page = await newPage();
    await openExchange(page);
    const row = page.locator('.ant-table-row', { hasText: 'demo-exchange-api' });
    await row.getByRole('button', { name: '接口配置' }).click();
    const modal = page.locator('.ant-modal', { hasText: '接口配置' });
    await modal.getByLabel('接口地址').fill(fake.url);
    await modal.getByLabel('每页条数').fill('2');
    await modal.getByRole('switch').click();
    await modal.getByLabel('访问令牌').fill('demo-token');
    await shot(page, 'exchange-http-config.png');
    await modal.getByRole('button', { name: /保\s*存/ }).click();
    await page.getByText('接口配置已保存').waitFor();
    await row.getByText('启用').waitFor();

    await row.getByRole('button', { name: '立即同步' }).click();
    await page.getByText('已排入同步任务').waitFor();
    const run = page.locator('.ant-table-row', { hasText: `接口同步：${fake.url}` }).first();
    await run.waitFor({ timeout: 60_000 });
    await run.getByText('成功').waitFor({ timeout: 60_000 });
    expect(fake.fake.requests.map((r) => r.page)).toEqual([1, 2]);
    expect((await run.textContent()) ?? '').toContain('3');
    await shot(page, 'exchange-sync.png');
  });
});
