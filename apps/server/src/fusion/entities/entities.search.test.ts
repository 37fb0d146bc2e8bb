import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EntitiesTestBed, startEntitiesTestBed } from '../../../test/entities-support.ts';
import { csv, row, uscc } from '../../../test/exchange-fixtures.ts';
import { json } from '../../platform/db/json.ts';
import { runImport } from '../../support/exchange/exchange.import.ts';

/**
 * Name search at scale (migration 0017): two-character fragments through the bigram index find exactly the names
 * that contain them; names equal to the fragment come first; counts stop at 1,000.
 */
let bed: EntitiesTestBed;
let director: Awaited<ReturnType<EntitiesTestBed['as']>>;
type Item = { id: number; name: string };
type Page = { items: Item[]; total: number; totalCapped: boolean; nextAfter: number | null };

// Names with fragments at the start and the end, Latin letters and digits, LIKE metacharacters, an astral-plane
// character (one code point, two UTF-16 units) and, inserted last, a name that is just the fragment.
const SPECIAL = [
  'KFC肯德基A1店',
  '示范县kfc炸鸡店',
  '50%折扣店',
  '示范县百分之50折扣店',
  'a_b百货',
  'axb百货',
  '𠮷野家牛肉饭',
  '烧烤大王',
  '示范县大排档烧烤',
  '烧烤',
];

beforeAll(async () => {
  bed = await startEntitiesTestBed();
  director = await bed.as('director');
  await bed.t.ctx.db
    .insertInto('entity')
    .values(
      SPECIAL.map((name) => ({
        name,
        type: 'individual' as const,
        address: '示范县测试路 9 号',
        region_code: '320500',
        station_id: bed.stationA,
        business_lines: json<string[]>([]),
      })),
    )
    .execute();
});
afterAll(async () => {
  await bed?.close();
});

async function search(query: Record<string, string | number>): Promise<Page> {
  const qs = new URLSearchParams(Object.entries(query).map(([k, v]): [string, string] => [k, String(v)]));
  const res = await director('GET', `/api/entities?${qs}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as Page;
}

/** Every page of a search, following the cursor. */
async function searchAll(query: Record<string, string | number>, limit = 7): Promise<Item[]> {
  const out: Item[] = [];
  let after: number | null = null;
  do {
    const page = await search({ ...query, limit, ...(after === null ? {} : { after }) });
    out.push(...page.items);
    after = page.nextAfter;
  } while (after !== null);
  return out;
}

/** What the register holds: every searchable (not merged-away) entity, read directly. */
async function register(): Promise<Item[]> {
  const rows = await bed.t.ctx.db
    .selectFrom('entity')
    .select(['id', 'name'])
    .where('merged_into', 'is', null)
    .orderBy('id')
    .execute();
  return rows.map((r) => ({ id: Number(r.id), name: r.name }));
}

/** Expected order: the name equal to the fragment first, then every other match by id. */
function expected(all: Item[], fragment: string): Item[] {
  const f = fragment.toLowerCase();
  const matches = all.filter((e) => e.name.toLowerCase().includes(f));
  const exact = matches.filter((e) => e.name.toLowerCase() === f);
  return [...exact, ...matches.filter((e) => e.name.toLowerCase() !== f)];
}

describe('two-character name search', () => {
  it('finds exactly the entities whose name contains the fragment, wherever it stands', async () => {
    const all = await register();
    const fragments = [
      '烧烤',
      '老王',
      'KF',
      'kf',
      '1店',
      'A1',
      'a1',
      '50',
      '%折',
      '_b',
      'x',
      '𠮷野',
      '家牛',
      '公司',
    ];
    for (const q of fragments) {
      const want = expected(all, q);
      const got = await searchAll({ q }, 50);
      expect(
        got.map((e) => e.name),
        q,
      ).toEqual(want.map((e) => e.name));
      expect((await search({ q, limit: 1 })).total, q).toBe(want.length);
    }
    // Start and end of a name, Latin + digit mixes and an astral character are all found.
    expect((await searchAll({ q: 'KF' })).map((e) => e.name)).toEqual(['KFC肯德基A1店', '示范县kfc炸鸡店']);
    expect((await searchAll({ q: '1店' })).map((e) => e.name)).toContain('KFC肯德基A1店');
    expect((await searchAll({ q: '𠮷野' })).map((e) => e.name)).toEqual(['𠮷野家牛肉饭']);
  });

  it('matches % and _ only as themselves', async () => {
    expect((await searchAll({ q: '%折' })).map((e) => e.name)).toEqual(['50%折扣店']);
    expect((await searchAll({ q: '_b' })).map((e) => e.name)).toEqual(['a_b百货']);
    expect((await searchAll({ q: '%%' })).map((e) => e.name)).toEqual([]);
    expect((await searchAll({ q: '__' })).map((e) => e.name)).toEqual([]);
  });

  it('answers a NUL or half a character in any filter with a 400, not a 500', async () => {
    for (const url of [
      '/api/entities?q=%00',
      '/api/entities?address=%E5%8D%97%00',
      '/api/entities?uscc=%00',
      '/api/entities/export?q=%00',
    ]) {
      const res = await director('GET', url);
      expect(res.statusCode, url).toBe(400);
      expect(res.json(), url).toMatchObject({
        code: 'INVALID_CHARACTER',
        message: expect.stringMatching(/^请求中含有/),
      });
    }
    // Out-of-range numbers are explained in Chinese, not zod's half-English “期望 number >0”.
    for (const [url, said] of [
      ['/api/entities?limit=0', '应不小于 1'],
      ['/api/entities?limit=501', '应不大于 500'],
      ['/api/entities?limit=1.5', '应为整数'],
      ['/api/entities/0', '应大于 0'],
    ]) {
      const res = await director('GET', url!);
      expect(res.statusCode, url).toBe(400);
      expect(res.json().message, url).toContain(said);
      expect(res.json().message, url).not.toMatch(/number|int\b/);
    }
    // A body too: the manual field edit with a NUL in its reason changes nothing.
    const before = await bed.t.ctx.db
      .selectFrom('entity')
      .select('name')
      .where('id', '=', bed.ids.bbqA)
      .executeTakeFirstOrThrow();
    const edit = await director('PUT', `/api/fusion/entities/${bed.ids.bbqA}/fields`, {
      field: 'name',
      value: '老王烧烤店（新）',
      reason: '核实\u0000更名',
    });
    expect(edit.statusCode, edit.body).toBe(400);
    expect(edit.json().code).toBe('INVALID_CHARACTER');
    const half = await director('PUT', `/api/fusion/entities/${bed.ids.bbqA}/fields`, {
      field: 'name',
      value: '老王烧烤店\ud800',
      reason: '核实更名',
    });
    expect(half.json()).toMatchObject({
      code: 'INVALID_CHARACTER',
      message: expect.stringContaining('残缺'),
    });
    expect(
      await bed.t.ctx.db
        .selectFrom('entity')
        .select('name')
        .where('id', '=', bed.ids.bbqA)
        .executeTakeFirstOrThrow(),
    ).toEqual(before);
  });

  it('offers the names most like a fragment no name contains, when the search page asks', async () => {
    const run = await runImport(bed.t.ctx, {
      source: 'demo-registration',
      fileName: 'similar.csv',
      data: Buffer.from(
        csv([row(9101, '示范县城厢镇晓红快餐（个体）'), row(9102, '示范县城厢镇晓明五金店')]),
      ),
      actor: { id: null, name: '测试' },
    });
    expect(run).toMatchObject({ status: 'succeeded', inserted: 2 });
    const names = (p: Page) => p.items.map((e) => e.name);
    // Half-width brackets, a space inside, the place name in front: no name contains these as typed.
    for (const q of ['晓红快餐(个体)', '晓红 快餐', '城厢晓红快餐']) {
      expect(await search({ q, similar: 1 }), q).toMatchObject({ similar: true, nextAfter: null });
      expect(names(await search({ q, similar: 1 }))[0], q).toBe('示范县城厢镇晓红快餐（个体）');
      // Without asking, the search stays exact.
      expect(await search({ q }), q).toMatchObject({ items: [], total: 0, similar: false });
    }
    // A fragment some name contains is answered as always; one like nothing stays empty.
    expect(await search({ q: '晓红快餐', similar: 1 })).toMatchObject({ similar: false, total: 1 });
    expect(await search({ q: '量子计算研究院', similar: 1 })).toMatchObject({ items: [], similar: false });
    // Within the caller's scope: the imported shops have no 所 yet, so an officer is offered nothing.
    const officer = await bed.as('officer1');
    const res = await officer(
      'GET',
      `/api/entities?${new URLSearchParams({ q: '城厢晓红快餐', similar: '1' })}`,
    );
    expect(res.json()).toMatchObject({ items: [], similar: false });
  });

  it('follows a rename that arrives through an import', async () => {
    const importCsv = (name: string) =>
      runImport(bed.t.ctx, {
        source: 'demo-registration',
        fileName: 'rename.csv',
        data: Buffer.from(csv([row(9301, name)])),
        actor: { id: null, name: '测试' },
      });
    const first = await importCsv('示范县鹊桥婚纱摄影有限公司');
    expect(first).toMatchObject({ status: 'succeeded', accepted: 1 });
    expect((await searchAll({ q: '鹊桥' })).map((e) => e.name)).toEqual(['示范县鹊桥婚纱摄影有限公司']);

    const second = await importCsv('示范县鸿雁婚庆服务有限公司');
    expect(second).toMatchObject({ status: 'succeeded', accepted: 1 });
    expect(await searchAll({ q: '鹊桥' })).toEqual([]);
    expect((await searchAll({ q: '鸿雁' })).map((e) => e.name)).toEqual(['示范县鸿雁婚庆服务有限公司']);
    const renamed = await bed.t.ctx.db
      .selectFrom('entity')
      .select('name')
      .where('uscc', '=', uscc(9301))
      .executeTakeFirstOrThrow();
    expect(renamed.name).toBe('示范县鸿雁婚庆服务有限公司');
  });
});

describe('relevance order and keyset paging', () => {
  it('puts the name equal to the fragment first, then the rest by id, across pages without gaps', async () => {
    const want = expected(await register(), '烧烤');
    expect(want[0]!.name).toBe('烧烤');
    // The exact name was inserted last, so by id alone it would come last.
    expect(want[0]!.id).toBeGreaterThan(want[want.length - 1]!.id);
    for (const limit of [1, 2, 3, 500]) {
      const got = await searchAll({ q: '烧烤' }, limit);
      expect(
        got.map((e) => ({ id: e.id, name: e.name })),
        `limit ${limit}`,
      ).toEqual(want);
    }
    // Case does not matter for the exact tier either.
    const kfc = await search({ q: 'kfc肯德基a1店' });
    expect(kfc.items.map((e) => e.name)).toEqual(['KFC肯德基A1店']);
  });

  it('keeps id order when there is no name fragment', async () => {
    const ids = (await searchAll({ address: '测试路' }, 4)).map((e) => e.id);
    expect(ids.length).toBeGreaterThan(SPECIAL.length);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
  });

  it('answers a cursor the caller cannot see like any other cursor, revealing nothing', async () => {
    const officer2 = await bed.as('officer2'); // station B: the SPECIAL names are in station A
    const hidden = (await search({ q: '烧烤' })).items[0]!;
    expect(hidden.name).toBe('烧烤');
    const res = await officer2('GET', `/api/entities?q=${encodeURIComponent('烧烤')}&after=${hidden.id}`);
    expect(res.statusCode).toBe(200);
    const items = (res.json() as Page).items;
    expect(items.every((e) => e.name.includes('烧烤') && e.id > hidden.id)).toBe(true);
    expect(items.map((e) => e.name)).not.toContain('烧烤');
  });
});

describe('capped count', () => {
  it('counts up to 1,000 and says so beyond, while an officer sees only their own', async () => {
    await sql`insert into entity (name, type, address, region_code)
      select '批量登记商户' || g, 'individual', '示范县批量路 ' || g || ' 号', '320500'
      from generate_series(1, 1500) g`.execute(bed.t.ctx.db);
    // A few far beyond the rest, as when names of one kind were all registered lately: paging must reach them.
    await sql`insert into entity (id, name, type, address, region_code)
      select 90000 + g, '批量登记远端商户' || g, 'individual', '示范县批量路', '320500'
      from generate_series(1, 25) g`.execute(bed.t.ctx.db);
    const many = await search({ q: '批量', limit: 20 });
    expect(many).toMatchObject({ total: 1000, totalCapped: true });
    expect(many.items).toHaveLength(20);
    // Past the cap the pages still follow each other in id order, all the way to the far ones.
    const all = await searchAll({ q: '批量' }, 300);
    expect(all.map((e) => e.id)).toEqual(expected(await register(), '批量').map((e) => e.id));
    expect(all).toHaveLength(1525);
    // Longer fragments and the address read the same way.
    const longer = await searchAll({ q: '批量登记' }, 400);
    expect(longer.map((e) => e.id)).toEqual(all.map((e) => e.id));
    const byAddress = await searchAll({ address: '批量路' }, 400);
    expect(byAddress.map((e) => e.id)).toEqual(all.map((e) => e.id));
    await sql`update entity set business_lines = '["食品"]' where name like '批量登记商户%'`.execute(
      bed.t.ctx.db,
    );
    const food = await searchAll({ businessLine: '食品', address: '批量路' }, 400);
    expect(food.map((e) => e.id)).toEqual(all.filter((e) => !e.name.includes('远端')).map((e) => e.id));

    // 1, 10–19, 100–199 and 1000–1500: 612 matches, counted exactly, the equal name first (远端 names differ).
    const some = await search({ q: '批量登记商户1', limit: 20 });
    expect(some).toMatchObject({ total: 612, totalCapped: false });
    expect(some.items[0]!.name).toBe('批量登记商户1');
    expect((await searchAll({ q: '批量登记商户1' }, 200)).map((e) => e.name)).toEqual(
      expected(await register(), '批量登记商户1').map((e) => e.name),
    );

    // None of them is in a 所, so an officer's count is an exact zero.
    const officer1 = await bed.as('officer1');
    const scoped = (await officer1('GET', `/api/entities?q=${encodeURIComponent('批量')}`)).json() as Page;
    expect(scoped).toMatchObject({ total: 0, totalCapped: false, items: [] });
  });

  it('exports the matches in the order the search shows them', async () => {
    const res = await director('GET', `/api/entities/export?q=${encodeURIComponent('批量登记商户14')}`);
    expect(res.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const ws = wb.getWorksheet('经营主体')!;
    const names = Array.from({ length: ws.rowCount - 1 }, (_, i) => ws.getRow(i + 2).getCell(2).text);
    expect(names).toEqual((await searchAll({ q: '批量登记商户14' })).map((e) => e.name));
    // 14, 140–149 and 1400–1499.
    expect(names[0]).toBe('批量登记商户14');
    expect(names).toHaveLength(111);
  });
});
