import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildGrids, COUNTY, TOWNS } from '../../platform/demo/county.ts';
import { planDossier } from '../../platform/demo/dossier.ts';
import { type EntityPlan, generateEntities, planStatuses } from '../../platform/demo/entities.ts';
import { createRng, type Rng } from '../../platform/demo/random.ts';
import { type LinkOptions, linkEntities } from './analysis.linking.ts';

/**
 * The labelled set of entity linking: texts written the way complainants name a shop, each with the USCC of the
 * entity it means. Generated deterministically from the demo county (seed 42, the same entities `rongjian seed`
 * writes first), so it links against any demo database seeded with that seed and at least `POOL` entities.
 *
 * Mentions vary the way real ones do: the registered name, the name without county and town, the owner alias
 * or 字号 with the trade, a one-character typo (a homophone, a dropped or swapped character), with or without the
 * address (digits or Chinese numerals, road only), the USCC in some (a few with a wrong check character), the
 * owner's phone in some, and in about half nothing exact at all.
 */
export interface LinkingItem {
  text: string;
  uscc: string;
}

export const LINKING_SET_SPEC = {
  seed: 42,
  /** Entities are drawn from the first POOL planned ones (the test seeds exactly these). */
  pool: 3000,
  size: 320,
  /** Only for the dossier plan (phones do not depend on it). */
  today: '2026-01-01',
} as const;

export const LINKING_SET_PATH = path.join(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../../data/analysis/linking-set.jsonl',
);

/** Characters people type instead (same sound or same look). */
const SLIPS: Record<string, string> = {
  王: '汪',
  汪: '王',
  老: '劳',
  记: '纪',
  烧: '稍',
  面: '麵',
  馆: '舘',
  恒: '衡',
  瑞: '睿',
  鑫: '新',
  达: '达',
  华: '化',
  源: '元',
  盛: '胜',
  隆: '龙',
  泰: '太',
  嘉: '佳',
  禾: '和',
  康: '慷',
  利: '力',
  丰: '风',
  信: '心',
  鼎: '顶',
  诚: '成',
  润: '闰',
  博: '搏',
  明: '名',
  远: '元',
  海: '每',
  兴: '星',
  旺: '望',
  聚: '巨',
  昌: '长',
  雅: '亚',
  悦: '月',
  汇: '会',
  融: '容',
  晨: '辰',
  凯: '恺',
  佳: '家',
  顺: '舜',
  益: '亿',
  荣: '蓉',
  福: '富',
  惠: '慧',
  民: '明',
  绿: '录',
  万: '萬',
  李: '里',
  张: '章',
  陈: '程',
  周: '舟',
  沈: '审',
  陆: '路',
  顾: '故',
  钱: '前',
  朱: '珠',
  徐: '许',
  吴: '武',
  杨: '羊',
  黄: '皇',
  刘: '流',
  店: '点',
  超: '潮',
};

const FORMS = /(?:股份有限公司|有限责任公司|连锁有限公司|有限公司|专业合作社)$/u;

/** How people shorten a registered name: 示范县城厢镇老王烧烤店 → 城厢镇老王烧烤店, 老王烧烤店; 苏州恒瑞食品有限公司 → 恒瑞食品. */
function shortNames(e: EntityPlan): string[] {
  const town = TOWNS[e.townIndex]!;
  const out: string[] = [];
  if (e.type === 'individual') {
    const noCounty = e.name.replace(COUNTY.name, '');
    out.push(noCounty, noCounty.replace(town.name, ''));
  } else if (e.type === 'enterprise') {
    const core = e.name.replace(/^(?:苏州市?|示范县)/u, '').replace(FORMS, '');
    out.push(core, `${core}公司`, `${core.slice(0, 2)}公司`);
  } else {
    const core = e.name.replace(COUNTY.name, '').replace(town.name, '').replace(FORMS, '');
    out.push(`${core}合作社`, `${town.short}${core}合作社`);
  }
  return out.filter((s) => [...s].length >= 3);
}

function typo(rng: Rng, s: string): string {
  const chars = [...s];
  const slips = chars.map((c, i) => (SLIPS[c] && SLIPS[c] !== c ? i : -1)).filter((i) => i >= 0);
  const r = rng.next();
  if (r < 0.6 && slips.length > 0) {
    const i = rng.pick(slips);
    chars[i] = SLIPS[chars[i]!]!;
  } else if (r < 0.8 && chars.length >= 5) {
    chars.splice(rng.int(1, chars.length - 2), 1);
  } else if (chars.length >= 4) {
    const i = rng.int(0, chars.length - 2);
    [chars[i], chars[i + 1]] = [chars[i + 1]!, chars[i]!];
  }
  return chars.join('');
}

const NUMERALS = '零一二三四五六七八九';
function chineseNumber(n: number): string {
  if (n < 10) return NUMERALS[n]!;
  if (n < 20) return `十${n % 10 === 0 ? '' : NUMERALS[n % 10]}`;
  if (n < 100) return `${NUMERALS[Math.floor(n / 10)]}十${n % 10 === 0 ? '' : NUMERALS[n % 10]}`;
  const h = Math.floor(n / 100);
  const rest = n % 100;
  if (rest === 0) return `${NUMERALS[h]}百`;
  return `${NUMERALS[h]}百${rest < 10 ? `零${NUMERALS[rest]}` : chineseNumber(rest).replace(/^十/, '一十')}`;
}

/** The address as someone would write it: full, without the county, road + number, in Chinese numerals, road only. */
function addressMention(rng: Rng, e: EntityPlan): string {
  const noCounty = e.address.replace(COUNTY.name, '');
  const m = /^(.*?(?:路|街|大道))(\d+)号/u.exec(noCounty);
  const r = rng.next();
  if (!m) return r < 0.5 ? noCounty : e.address;
  const [, road, no] = m as unknown as [string, string, string];
  const roadOnly = road.replace(TOWNS[e.townIndex]!.name, '');
  if (r < 0.25) return e.address;
  if (r < 0.55) return `${roadOnly}${no}号`;
  if (r < 0.7) return `${roadOnly}${chineseNumber(Number(no))}号`;
  if (r < 0.85) return noCounty;
  return `${roadOnly}上`;
}

const GOODS = [
  '酸奶',
  '熟食',
  '月饼',
  '面包',
  '白酒',
  '感冒药',
  '电动车',
  '热水器',
  '羽绒服',
  '蛋糕',
  '大米',
  '手机',
];
const WITH_ADDRESS = [
  '{date}在{addr}的{name}买了{good}，回家发现过期了，要求退款。',
  '举报{addr}那家{name}，后厨卫生太差，老鼠到处跑。',
  '{name}（地址：{addr}）卖的{good}没有标签，怀疑三无产品。',
  '我在{addr}{name}办了会员卡，现在老板跑路了钱不退',
  '反映一下{addr}的{name}缺斤短两，称{good}少了二两多。',
  '投诉{name}，在{addr}，标价和结账价不一样，多收了钱',
];
const NAME_ONLY = [
  '{date}在{name}买的{good}有质量问题，商家不给退换。',
  '举报{name}无证经营，已经开了好几年了',
  '{name}的{good}吃了拉肚子，要求赔偿医药费！！',
  '上周去{name}吃饭吃出头发，老板态度很差',
  '{name}搞活动先涨价再打折，这不是价格欺诈吗',
  '强烈投诉{name}，卖假货，{good}一看就是仿的。',
  '你好，我想反映{name}预付卡不退的问题，麻烦尽快处理',
];

function fillTemplate(t: string, parts: Record<string, string>): string {
  return t.replace(/\{(\w+)\}/g, (_m, k: string) => parts[k] ?? '');
}

/** The set, in order; the same every time. */
export function generateLinkingSet(spec = LINKING_SET_SPEC): LinkingItem[] {
  const grids = buildGrids(createRng(spec.seed, 'grids'));
  // As planCountyEntities (platform/demo/seed.ts) plans them, without loading the whole seed (and the server with it).
  const entities = planStatuses(
    createRng(spec.seed, 'status'),
    generateEntities(createRng(spec.seed, 'entities'), grids, spec.pool),
  );
  const dossier = planDossier(createRng(spec.seed, 'dossier'), entities, spec.today);
  const phoneOf = new Map<number, string>();
  for (const p of dossier.persons) if (!phoneOf.has(p.entityIndex)) phoneOf.set(p.entityIndex, p.phone);
  const rng = createRng(spec.seed, 'linking-set');
  const used = new Set<number>();
  const out: LinkingItem[] = [];
  while (out.length < spec.size) {
    const i = rng.int(0, entities.length - 1);
    if (used.has(i)) continue;
    const e = entities[i]!;
    if (e.status !== '存续') continue;
    used.add(i);

    const shorts = shortNames(e);
    const r = rng.next();
    let name = r < 0.2 ? e.name : shorts.length > 0 ? rng.pick(shorts) : e.name;
    if (rng.chance(0.15)) name = typo(rng, name);
    const date = `${rng.int(1, 12)}月${rng.int(1, 28)}日`;
    const parts = { name, date, good: rng.pick(GOODS), addr: '' };
    let text: string;
    if (rng.chance(0.45)) {
      parts.addr = addressMention(rng, e);
      text = fillTemplate(rng.pick(WITH_ADDRESS), parts);
    } else {
      text = fillTemplate(rng.pick(NAME_ONLY), parts);
    }
    const extra = rng.next();
    if (extra < 0.23 && !/[。！？!，]$/u.test(text)) text += '。';
    if (extra < 0.1) {
      text += `对方统一社会信用代码${e.uscc}。`;
    } else if (extra < 0.13) {
      // A slip in the last character: the check character no longer fits.
      const wrong = e.uscc.slice(0, 17) + (e.uscc[17] === '1' ? '2' : '1');
      text += `营业执照上的代码是${wrong}`;
    } else if (extra < 0.23 && phoneOf.has(i)) {
      text += `老板电话${phoneOf.get(i)}，一直不接。`;
    }
    out.push({ text, uscc: e.uscc });
  }
  return out;
}

export function encodeLinkingSet(items: readonly LinkingItem[]): string {
  return `${items.map((x) => JSON.stringify(x)).join('\n')}\n`;
}

/** Read a set file (`{"text","uscc"}` per line); blank lines are skipped, a broken line is an error with its number. */
export function readLinkingSet(file: string): LinkingItem[] {
  const out: LinkingItem[] = [];
  readFileSync(file, 'utf8')
    .split('\n')
    .forEach((line, i) => {
      if (line.trim() === '') return;
      let v: unknown;
      try {
        v = JSON.parse(line);
      } catch {
        throw new Error(`第 ${i + 1} 行不是合法的 JSON`);
      }
      const o = v as Partial<LinkingItem>;
      if (typeof o.text !== 'string' || typeof o.uscc !== 'string') {
        throw new Error(`第 ${i + 1} 行应为 {"text": "…", "uscc": "…"}`);
      }
      out.push({ text: o.text, uscc: o.uscc });
    });
  return out;
}

export interface LinkingEvaluation {
  /** Items in the set. */
  total: number;
  /** Items whose entity is in the database (the others are skipped). */
  evaluated: number;
  top1: number;
  top3: number;
  /** Share of evaluated items: 0..1. */
  top1Accuracy: number;
  top3Accuracy: number;
  /** Items linked wrongly at top 1 (for a reader improving the linker). */
  misses: { text: string; expected: string; got: string | null }[];
}

/** Link every item against the database and count how often the right entity is first, or among the first three. */
export async function evaluateLinking(
  db: Parameters<typeof linkEntities>[0],
  items: readonly LinkingItem[],
  opts: { vault?: LinkOptions['vault'] } = {},
): Promise<LinkingEvaluation> {
  const ids = new Map<string, number>();
  const usccs = [...new Set(items.map((x) => x.uscc))];
  for (let i = 0; i < usccs.length; i += 1000) {
    const rows = await db
      .selectFrom('entity')
      .select(['id', 'uscc'])
      .where('uscc', 'in', usccs.slice(i, i + 1000))
      .where('merged_into', 'is', null)
      .execute();
    for (const r of rows) ids.set(r.uscc!.trim(), Number(r.id));
  }
  let evaluated = 0;
  let top1 = 0;
  let top3 = 0;
  const misses: LinkingEvaluation['misses'] = [];
  for (const item of items) {
    const expected = ids.get(item.uscc);
    if (expected === undefined) continue;
    evaluated++;
    const got = await linkEntities(db, item.text, { limit: 3, vault: opts.vault });
    if (got[0]?.entityId === expected) top1++;
    else misses.push({ text: item.text, expected: item.uscc, got: got[0]?.name ?? null });
    if (got.some((c) => c.entityId === expected)) top3++;
  }
  return {
    total: items.length,
    evaluated,
    top1,
    top3,
    top1Accuracy: evaluated === 0 ? 0 : top1 / evaluated,
    top3Accuracy: evaluated === 0 ? 0 : top3 / evaluated,
    misses,
  };
}
