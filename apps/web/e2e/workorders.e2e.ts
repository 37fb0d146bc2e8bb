import { describe, expect, it } from 'vitest';
import { setupBrowserSuite } from './browser.ts';

/**
 * 线索归集 › 工单对接: the director imports a small 12315 export (one good order, one without 工单编号, one with a bad
 * phone number), reads the result row by row, sees the run in 导入批次 and the mapping in 对接配置.
 */
const suite = setupBrowserSuite();
const { newPage, shot, login } = suite;

const CSV = [
  '工单编号,诉求类型,诉求内容,投诉人,联系电话,被投诉单位,被投诉地址,登记时间,问题分类',
  'E2E2026110100001,投诉,在示范县城东超市购买的酸奶已过保质期，要求退款。,王五,13812345678,示范县城东超市,示范县人民路 1 号,2026-11-01 09:30:00,食品安全',
  ',投诉,缺少工单编号的一行，应被拒绝并说明原因。,赵六,13900000000,某店,,2026-11-02 11:00,',
  'E2E2026110100003,举报,某药店无证销售处方药，存在安全隐患。,钱七,1234,示范县康宁药店,,2026-11-03 08:00,药品',
].join('\r\n');

describe('工单对接', () => {
  it('导入 12315 工单文件：逐行说明问题，批次列表与对接配置可见', async () => {
    const page = await newPage();
    await login(page, 'director');
    await page.waitForURL((u) => !u.pathname.startsWith('/login'), { waitUntil: 'commit' });
    await page.goto(`${suite.server.url}/clues/workorders`);
    await page.getByText('工单对接（12315 / 12345）').waitFor();
    await page.locator('input[type=file]').setInputFiles({
      name: '12315工单.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(CSV),
    });
    await page.getByRole('button', { name: '开始导入' }).click();
    await page
      .getByText('导入完成')
      .waitFor()
      .catch(async (err) => {
        await shot(page, 'workorders-failed.png');
        throw err;
      });
    const text = (await page.locator('.ant-card').textContent()) ?? '';
    expect(text).toContain('读入 3 行：新建线索 2，已存在 0，拒绝 1');
    expect(text).toContain('缺少工单编号');
    expect(text).toContain('联系电话格式不正确，已忽略该号码');
    await shot(page, 'workorders-import.png');

    await page.getByRole('tab', { name: '导入批次' }).click();
    await page.locator('.ant-table-row', { hasText: '12315工单.csv' }).waitFor();
    await page.getByRole('tab', { name: '对接配置' }).click();
    await page.locator('.ant-table-row', { hasText: '全国12315平台' }).waitFor();
    await page.getByRole('button', { name: '配置' }).first().click();
    await page.locator('.ant-modal').getByText('字段映射（本平台字段 → 对方导出文件的列名）').waitFor();
    expect(await page.locator('.ant-modal input[id="fieldMapping_orderNo"]').inputValue()).toBe('工单编号');
    await shot(page, 'workorders-config.png');
  });
});
