import { describe, expect, it } from 'vitest';
import { setupBrowserSuite } from './browser.ts';

/** 系统管理 › 数据交换: the system administrator uploads a registration export and reads what was wrong with it. */
const suite = setupBrowserSuite();
const { newPage, shot, login } = suite;

const CSV = [
  '统一社会信用代码,企业名称,主体类型,住所,成立日期,登记状态,经营范围',
  '91320500MA00000010,示范县交换测试超市,有限责任公司,示范县人民路 1 号,2019-05-06,存续,食品销售',
  '91320500MA00000020,示范县交换测试饭店,个体工商户,示范县人民路 2 号,2019-05-06,存续,餐饮服务',
  '91320500MA00000010,示范县交换测试超市（重复）,有限责任公司,示范县人民路 3 号,2019-05-06,存续,食品销售',
].join('\r\n');

describe('数据交换', () => {
  it('上传登记注册文件，查看批次的字段质量与错误行', async () => {
    const page = await newPage();
    await login(page, 'admin');
    await page.getByRole('menuitem', { name: /系统管理/ }).click();
    await page.getByRole('menuitem', { name: /数据交换/ }).click();
    await page.waitForURL((u) => u.pathname === '/system/exchange');
    const source = page.locator('.ant-table-row', { hasText: 'demo-registration' });
    await source.waitFor();
    await source.getByRole('button', { name: '导入文件' }).click();
    await page.locator('.ant-modal input[type=file]').setInputFiles({
      name: '登记注册.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(CSV),
    });
    await page.getByRole('button', { name: '开始导入' }).click();
    await page.getByText('导入完成').waitFor();
    await page.getByRole('button', { name: '查看批次详情' }).click();
    const drawer = page.locator('.ant-drawer');
    await drawer.getByText('数据质量（按字段）').waitFor();
    const text = (await drawer.textContent()) ?? '';
    expect(text).toContain('文件内统一社会信用代码重复：与第 2 行相同');
    expect(text).toContain('统一社会信用代码无效：校验位错误');
    await shot(page, 'exchange.png');
  });
});
