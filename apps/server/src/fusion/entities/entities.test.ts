import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EntitiesTestBed, startEntitiesTestBed } from '../../../test/entities-support.ts';

let bed: EntitiesTestBed;
let director: Awaited<ReturnType<EntitiesTestBed['as']>>;
type Item = {
  id: number;
  name: string;
  uscc: string | null;
  gridId: number;
  type: string;
  riskClass: string;
};

beforeAll(async () => {
  bed = await startEntitiesTestBed();
  director = await bed.as('director');
});
afterAll(async () => {
  await bed?.close();
});

const search = async (query: string) => {
  const res = await director('GET', `/api/entities?${query}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as { items: Item[]; total: number; nextAfter: number | null };
};

describe('entity search', () => {
  it('finds entities by a two-character Chinese name fragment', async () => {
    const page = await search(`q=${encodeURIComponent('烧烤')}&limit=500`);
    const names = page.items.map((e) => e.name);
    expect(names).toEqual(expect.arrayContaining(['老王烧烤店', '城西老王烧烤摊']));
    expect(names.every((n) => n.includes('烧烤'))).toBe(true);
    expect(page.total).toBe(page.items.length);
  });

  it('finds an entity by the prefix of its 统一社会信用代码', async () => {
    const page = await search('uscc=92320500MA1TEX');
    expect(page.items.map((e) => e.name)).toEqual(['老王烧烤店']);
    expect(page.items[0]!.uscc).toMatch(/^92320500MA1TEXT01/);
    // Typed in lower case, as it often is: codes are upper-case, so this is the same prefix.
    expect((await search('uscc=92320500ma1tex')).items.map((e) => e.name)).toEqual(['老王烧烤店']);
  });

  it('filters by grid, type, risk class, business line and address together', async () => {
    const page = await search(
      `gridId=${bed.gridA}&type=individual&riskClass=D&businessLine=${encodeURIComponent('食品')}&address=${encodeURIComponent('测试路')}`,
    );
    expect(page.items.map((e) => e.id)).toEqual([bed.ids.bbqA]);
    const grid = await search(`gridId=${bed.gridB}&limit=500`);
    expect(grid.items.length).toBeGreaterThan(0);
    expect(grid.items.every((e) => e.gridId === bed.gridB)).toBe(true);
    const risky = await search('riskClass=A&type=enterprise&limit=500');
    expect(risky.items.every((e) => e.riskClass === 'A' && e.type === 'enterprise')).toBe(true);
  });

  it('pages by keyset without overlap or gaps, with the total of all matches', async () => {
    const seen: number[] = [];
    let after: number | null = null;
    let total = 0;
    do {
      const page = await search(`limit=50${after === null ? '' : `&after=${after}`}`);
      total = page.total;
      seen.push(...page.items.map((e) => e.id));
      after = page.nextAfter;
    } while (after !== null);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
    expect(seen.length).toBe(total);
    expect(total).toBe(303);
  });

  it('answers SQL metacharacters and oversized input in every filter without a server error', async () => {
    const nasty = ["'; drop table entity; --", '%', '_', '\\', '"', "' or '1'='1", '烧烤%'];
    for (const key of ['q', 'uscc', 'address', 'businessLine', 'gridId', 'stationId', 'type', 'riskClass']) {
      for (const v of [...nasty, 'x'.repeat(10_000)]) {
        const res = await director('GET', `/api/entities?${key}=${encodeURIComponent(v)}`);
        expect([200, 400], `${key}=${v.slice(0, 20)}`).toContain(res.statusCode);
        // Metacharacters match only themselves: the one name with a quote in it, nothing else.
        const items = res.statusCode === 200 ? (res.json().items as Item[]) : [];
        expect(items.every((e) => key === 'q' && e.name.includes(v))).toBe(true);
      }
    }
    expect((await search('limit=1')).total).toBe(303);
  });
});

describe('entity export', () => {
  it('downloads the matches as xlsx with formulas neutralised, and audits the export', async () => {
    const res = await director('GET', `/api/entities/export?address=${encodeURIComponent('测试路')}`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const ws = wb.getWorksheet('经营主体')!;
    expect(ws.getRow(1).getCell(2).text).toBe('名称');
    const names = [2, 3, 4].map((r) => ws.getRow(r).getCell(2));
    expect(names.map((c) => c.text).sort()).toEqual(['\'=HYPERLINK("x")', '城西老王烧烤摊', '老王烧烤店']);
    expect(names.every((c) => c.formula === undefined)).toBe(true);
    expect(ws.rowCount).toBe(4);

    const audit = await bed.t.ctx.db
      .selectFrom('audit_log')
      .select(['actor_name', 'action', 'detail', 'result'])
      .where('action', '=', 'entity.export')
      .execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor_name: '周建国', result: 'success' });
    expect(audit[0]!.detail).toContain('导出经营主体 3 条');
    expect(audit[0]!.detail).toContain('测试路');
  });

  it('refuses the export to an officer without the export permission', async () => {
    const officer = await bed.as('officer1');
    expect((await officer('GET', '/api/entities/export')).statusCode).toBe(403);
  });
});
