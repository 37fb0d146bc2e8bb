import { isValidUscc } from '@rongjian/shared';
import { type Kysely, sql, type Transaction } from 'kysely';
import { entitiesMatching } from '../../fusion/entities/entities.repo.ts';
import { normalizeAddress, normalizeName } from '../../fusion/resolution/resolution.normalize.ts';
import type { SessionUser } from '../../platform/auth/auth.service.ts';
import type { DB } from '../../platform/db/schema.ts';
import type { PiiVault } from '../../platform/pii/pii.vault.ts';

/**
 * Entity linking (综合研判 item 2): who is the respondent of a free text? The text is read for exact signals
 * (统一社会信用代码 with its check character, mobile and fixed-line numbers, licence numbers) and fuzzy ones (shop
 * and company names — spans before 店/超市/公司/药房…, quoted names — and road + house-number addresses).
 * Candidates come from the entity search indexes that already exist (USCC btree, the name bigram GIN of 0017, the
 * name and address trigram GINs of 0002/0009, the person phone blind index); they are then scored here, in
 * TypeScript, where every signal leaves a Chinese reason. A lookup helper: it applies no data scope (callers pass
 * the result through `visibleCandidates`), but never returns an entity merged into another.
 */
export interface EntityCandidate {
  entityId: number;
  name: string;
  uscc: string | null;
  address: string | null;
  /** 0..1 */
  score: number;
  /** Chinese: 统一社会信用代码一致 / 名称相似 0.82 / 电话一致 / 地址相似 */
  reasons: string[];
}

export interface LinkOptions {
  /** How many candidates to return (default 5, at most 50). */
  limit?: number;
  /**
   * The PII vault, for matching phone numbers against the personnel's blind index (entity phones are stored
   * sealed only). Without it phone numbers in the text are ignored.
   */
  vault?: Pick<PiiVault, 'blindIndex'> | undefined;
}

type Executor = Kysely<DB> | Transaction<DB>;

/** Longest text read; anything after it is ignored (a complaint is never that long, a paste might be). */
export const LINK_TEXT_MAX = 20_000;
const MAX_SPANS = 8;
const RETRIEVE = 60;

// ——— reading the text ———

const USCC_RE = /(?<![0-9A-Z])[0-9A-HJ-NP-RTUWXY]{2}\d{6}[0-9A-HJ-NP-RTUWXY]{10}(?![0-9A-Z])/g;
const MOBILE_RE = /(?<!\d)1[3-9]\d[\s-]?\d{4}[\s-]?\d{4}(?!\d)/g;
const LANDLINE_RE = /(?<!\d)0\d{2,3}[-\s]?\d{7,8}(?!\d)/g;
/** 食品经营许可证 JY + 14 digits, drug/device business licences, special-equipment registrations. */
const LICENCE_RE =
  /JY\d{14}|[\p{Script=Han}]{1,2}[A-Z]{1,2}\d{4}\d{7}|容\d{2}[\p{Script=Han}][A-Z]\d{5,}\(\d{2}\)/gu;

/** Words a shop or company name ends with, longest first. */
const NAME_ENDINGS = [
  '股份有限公司',
  '有限责任公司',
  '连锁有限公司',
  '有限公司',
  '专业合作社',
  '电子商务经营部',
  '经营部',
  '门市部',
  '批发部',
  '维修部',
  '修理部',
  '服务部',
  '广告部',
  '工作室',
  '合作社',
  '大药房',
  '药房',
  '药店',
  '超市',
  '商行',
  '商店',
  '公司',
  '餐厅',
  '酒店',
  '饭店',
  '宾馆',
  '菜馆',
  '面馆',
  '照相馆',
  '车行',
  '猪肉铺',
  '铺',
  '店',
  '馆',
  '厂',
];
/**
 * The 行业 words of enterprise names (国民经济行业分类 in everyday words): people name a company by 字号 + 行业 and drop
 * the organisational form (汇隆商贸, 康瑞信息科技). A span made of these words alone (食品, 商贸) names nothing.
 */
const INDUSTRY_WORDS = [
  '食品',
  '贸易',
  '商贸',
  '科技',
  '机械',
  '制造',
  '制品',
  '工程',
  '设备',
  '化工',
  '燃气',
  '纺织',
  '服饰',
  '材料',
  '建材',
  '传媒',
  '医疗器械',
  '检测技术',
  '物流',
  '销售',
  '服务',
  '物业管理',
  '咨询',
  '酒业',
  '农产品',
  '果蔬',
  '种植',
  '养殖',
  '苗木',
  '农机',
];
const ENDINGS = [...NAME_ENDINGS, ...INDUSTRY_WORDS].sort((a, b) => b.length - a.length).join('|');
// Lazy before the first ending, then every ending word that follows (恒瑞 + 食品 + 贸易 + 有限公司).
const ENDING_RE = new RegExp(`[\\p{Script=Han}A-Za-z0-9（）()]{1,24}?(?:${ENDINGS})+`, 'gu');
const ENDING_ONLY = new RegExp(`^(?:${ENDINGS})+$`, 'u');
/** Words that start a clause before a name (在X店买, 到X吃饭, 举报X): the name starts after the last of them. */
const LEAD_CUES =
  /^.*(?:在|从|到|去|向|跟|对|举报|投诉|反映|反应|是|被|这家|那家|一家|叫做|叫|名叫|名为|的)/u;
/** An address written before the name (人民南路88号老王烧烤店): the name starts after the house number. */
const LEADING_ADDRESS =
  /^.*?(?:[\d零〇一二两三四五六七八九十百]+号(?:-\d+)?|(?:路|街|大道)(?:上|边|旁|口)(?:的|那家|这家)?)/u;
/** Words before an address (在人民南路88号, 地址：…, 位于…). */
const ADDRESS_CUES = /^.*(?:位于|地址|住址|在|于|到|从|的|那家|这家)[:：]?/u;
const QUOTED_RE = /[「『“"《【]([^」』”"》】\n]{2,30})[」』”"》】]/gu;
/** Road (or village group) + house number: 人民南路88号, 人民南路八十八号, 电站村3组12号. */
const ADDRESS_RE =
  /([\p{Script=Han}]{1,8}?(?:路|街|大道|巷|弄|村\d{1,2}组|村[一二三四五六七八九十]{1,3}组))\s*(\d{1,4}(?:-\d{1,3})?|[零〇一二两三四五六七八九十百]{1,6})\s*号/gu;
const ROAD_RE = /[\p{Script=Han}]{2,6}?(?:路|大道|街)(?![\p{Script=Han}]{0,1}店)/gu;
const TOWN_RE = /[\p{Script=Han}]{2}(?:镇|街道)/gu;
const ADDRESS_KEY = /[\p{Script=Han}]{2}(?:路|街|大道|巷|弄|村\d{1,2}组)\d{1,4}(?:-\d{1,3})?号$/u;
const ROAD_KEY = /[\p{Script=Han}]{2}(?:路|大道|街)$/u;

/** Leading place names a name carries that say nothing about which shop it is (示范县城厢镇…, 苏州…). */
const PLACE_PREFIX =
  /^(?:[\p{Script=Han}]{2,3}?(?:省))?(?:苏州市?|[\p{Script=Han}]{2}县)?(?:[\p{Script=Han}]{2}(?:镇|街道|乡))?/u;

export interface TextSignals {
  usccs: string[];
  /** A USCC-shaped code whose check character is wrong: its first 17 characters are still worth a look. */
  usccTypos: string[];
  phones: string[];
  licences: string[];
  /** Name cores (place prefix and organisational form removed). */
  names: string[];
  /** Normalised road + number, e.g. 人民南路88号. */
  addresses: string[];
  roads: string[];
  towns: string[];
  /** A name in the text ends in 公司: the respondent is a company, not a shop of the same 字号. */
  company: boolean;
}

const fold = (s: string) => s.normalize('NFKC');

/** The core of a shop or company name: no place prefix, no organisational form (老王烧烤, 恒瑞食品). */
export function nameCore(name: string): string {
  const n = normalizeName(fold(name)).replace(/(?<=.{2})(?:连锁|(?:农民)?(?:专业)?合作社)$/u, '');
  const stripped = n.replace(PLACE_PREFIX, '');
  return [...stripped].length >= 2 ? stripped : n;
}

function uniq<T>(xs: Iterable<T>): T[] {
  return [...new Set(xs)];
}

/** Everything the text says about its respondent, before any database look-up. */
export function readSignals(raw: string): TextSignals {
  const text = fold(raw.slice(0, LINK_TEXT_MAX));
  const upper = text.toUpperCase();
  const usccs: string[] = [];
  const usccTypos: string[] = [];
  for (const m of upper.matchAll(USCC_RE)) {
    if (isValidUscc(m[0])) usccs.push(m[0]);
    else usccTypos.push(m[0]);
  }
  const phones = [...text.matchAll(MOBILE_RE), ...text.matchAll(LANDLINE_RE)].map((m) =>
    m[0].replace(/\D/g, ''),
  );
  const licences = [...text.matchAll(LICENCE_RE)].map((m) => m[0]);

  const names: string[] = [];
  for (const m of text.matchAll(QUOTED_RE)) names.push(m[1]!);
  let company = false;
  for (const m of text.matchAll(ENDING_RE)) {
    let span = m[0].replace(LEAD_CUES, '');
    if (ENDING_ONLY.test(span)) continue;
    if (span.endsWith('公司')) company = true;
    const afterAddress = span.replace(LEADING_ADDRESS, '');
    if (afterAddress !== span && [...afterAddress].length >= 3) span = afterAddress;
    if ([...span].length >= 2) names.push(span);
  }
  const cores = uniq(
    names.map(nameCore).filter((c) => [...c].length >= 2 && !/^\d+$/.test(c) && !GENERIC_CORES.has(c)),
  ).slice(0, MAX_SPANS);

  const place = (s: string) => normalizeAddress(s.replace(ADDRESS_CUES, '')).replace(PLACE_PREFIX, '');
  // Where a road's name starts is unknown (反映一下白云路450号): keep the two characters before 路/街/大道/村…组,
  // enough to tell the county's roads apart and always part of the real name.
  const addresses = uniq(
    [...text.matchAll(ADDRESS_RE)].map((m) => {
      const a = place(`${m[1]}${m[2]}号`);
      return ADDRESS_KEY.exec(a)?.[0] ?? a;
    }),
  )
    .filter((a) => /^[\p{Script=Han}]{2}/u.test(a))
    .slice(0, MAX_SPANS);
  const roads = uniq(
    [...text.matchAll(ROAD_RE)].map((m) => {
      const r = place(m[0]);
      return ROAD_KEY.exec(r)?.[0] ?? r;
    }),
  )
    .filter((r) => [...r].length >= 3)
    .slice(0, MAX_SPANS);
  const towns = uniq([...text.matchAll(TOWN_RE)].map((m) => m[0])).slice(0, MAX_SPANS);
  return {
    usccs: uniq(usccs),
    usccTypos: uniq(usccTypos),
    phones: uniq(phones),
    licences: uniq(licences),
    names: cores,
    addresses,
    roads,
    towns,
    company,
  };
}

/** Spans that end like a name but name nothing: 这家店, 网店, 药店 … */
const GENERIC_CORES = new Set([
  '这家',
  '那家',
  '一家',
  '网店',
  '小店',
  '商店',
  '药店',
  '药房',
  '超市',
  '饭店',
  '酒店',
  '门店',
  '分店',
  '实体',
  '路边',
  '小区门口',
]);

// ——— similarity ———

function bigrams(s: string): string[] {
  const c = [...s.toLowerCase()];
  if (c.length < 2) return c;
  const out: string[] = [];
  for (let i = 0; i < c.length - 1; i++) out.push(c[i]! + c[i + 1]!);
  return out;
}

/** Pairs of characters one apart (老王烧烤 → 老烧, 王烤). */
function skipGrams(s: string): string[] {
  const c = [...s.toLowerCase()];
  const out: string[] = [];
  for (let i = 0; i < c.length - 2; i++) out.push(c[i]! + c[i + 2]!);
  return out;
}

/** Dice coefficient of the character-bigram multisets: 1 for equal names, tolerant to one typo or a missing word. */
export function nameSimilarity(a: string, b: string): number {
  const x = bigrams(a);
  const y = bigrams(b);
  if (x.length === 0 || y.length === 0) return 0;
  const counts = new Map<string, number>();
  for (const g of y) counts.set(g, (counts.get(g) ?? 0) + 1);
  let shared = 0;
  for (const g of x) {
    const n = counts.get(g) ?? 0;
    if (n > 0) {
      shared++;
      counts.set(g, n - 1);
    }
  }
  // Same characters in another order (老王烤烧 for 老王烧烤) still say something: half credit per character.
  const chars = new Map<string, number>();
  for (const ch of b) chars.set(ch, (chars.get(ch) ?? 0) + 1);
  let sameChars = 0;
  for (const ch of a) {
    const n = chars.get(ch) ?? 0;
    if (n > 0) {
      sameChars++;
      chars.set(ch, n - 1);
    }
  }
  const dice = (2 * shared) / (x.length + y.length);
  const charDice = (2 * sameChars) / ([...a].length + [...b].length);
  return Math.max(dice, 0.5 * dice + 0.5 * charDice);
}

// ——— look-up ———

interface Row {
  id: number;
  name: string;
  uscc: string | null;
  address: string;
}

type Hit =
  | { kind: 'uscc' }
  | { kind: 'uscc17' }
  | { kind: 'phone' }
  | { kind: 'licence' }
  | { kind: 'name' }
  | { kind: 'address' };

const clampLimit = (n: number | undefined) => Math.min(50, Math.max(1, Math.floor(n ?? 5)));

/** The generic words of names, whose bigrams find too much on their own (烧烤店 → 烤店, 有限公司 → 公司). */
const GENERIC_BIGRAMS = new Set(
  bigrams(
    '有限公司 股份 责任 专业合作社 经营部 门市部 商行 超市 便利店 饭店 酒店 餐厅 大药房 药店 服务部 维修部 工作室',
  ).filter((g) => !/\s/.test(g)),
);

async function retrieve(db: Executor, s: TextSignals, vault: LinkOptions['vault']) {
  const hits = new Map<number, { row: Row; via: Set<Hit['kind']> }>();
  const add = (rows: readonly Row[], kind: Hit['kind']) => {
    for (const r of rows) {
      const id = Number(r.id);
      const cur = hits.get(id) ?? { row: { ...r, id }, via: new Set<Hit['kind']>() };
      cur.via.add(kind);
      hits.set(id, cur);
    }
  };
  const base = () =>
    db
      .selectFrom('entity as e')
      .select(['e.id', 'e.name', 'e.uscc', 'e.address'])
      .where('e.merged_into', 'is', null);

  if (s.usccs.length > 0) add(await base().where('e.uscc', 'in', s.usccs).execute(), 'uscc');
  for (const typo of s.usccTypos.slice(0, 3)) {
    // A wrong check character (a typing slip in the last place): the first 17 characters on the prefix index.
    add(
      await base()
        .where(sql`e.uscc`, 'like', `${typo.slice(0, 17)}_`)
        .limit(3)
        .execute(),
      'uscc17',
    );
  }
  if (vault && s.phones.length > 0) {
    const idx = s.phones.map((p) => vault.blindIndex('phone', p));
    add(
      await base()
        .where(({ exists, selectFrom }) =>
          exists(
            selectFrom('entity_person as p')
              .select('p.id')
              .whereRef('p.entity_id', '=', 'e.id')
              .where('p.phone_bidx', 'in', idx),
          ),
        )
        .limit(10)
        .execute(),
      'phone',
    );
  }
  if (s.licences.length > 0) {
    add(
      await base()
        .where(({ exists, selectFrom }) =>
          exists(
            selectFrom('entity_licence as l')
              .select('l.id')
              .whereRef('l.entity_id', '=', 'e.id')
              .where('l.licence_no', 'in', s.licences),
          ),
        )
        .limit(10)
        .execute(),
      'licence',
    );
  }
  for (const core of s.names) {
    // Names containing every bigram of the core (bigram GIN of 0017): exact spellings, any place prefix.
    add(
      await base()
        .where(sql<boolean>`entity_name_bigrams(e.name) @> entity_name_bigrams(${core})`)
        .limit(RETRIEVE)
        .execute(),
      'name',
    );
    // A typo or a word left out: names sharing the core's distinctive bigrams, most shared first.
    // Ranked by shared bigrams plus shared characters, so 老汪烧烤 still finds 老王烧烤 among all the 烧烤 shops.
    // Skip-grams too (明崔便利 → 明便): a swapped pair keeps them.
    const distinctive = uniq([...bigrams(core), ...skipGrams(core)]).filter((g) => !GENERIC_BIGRAMS.has(g));
    if (distinctive.length >= 2) {
      const grams = sql`array[${sql.join(distinctive)}]::text[]`;
      const chars = sql`array[${sql.join(uniq([...core]))}]::text[]`;
      add(
        await base()
          .where(sql<boolean>`entity_name_bigrams(e.name) && ${grams}`)
          .orderBy(
            sql`(select count(*) from unnest(entity_name_bigrams(e.name)) g where g = any(${grams}))
              + (select count(distinct ch) from unnest(string_to_array(e.name, null)) ch where ch = any(${chars}))`,
            'desc',
          )
          .orderBy('e.id')
          .limit(RETRIEVE)
          .execute(),
        'name',
      );
    }
  }
  for (const addr of s.addresses) {
    // Trigram GIN on the address (0009); the number makes it nearly unique.
    add(
      await base()
        .where('e.address', 'like', `%${addr.replace(/[\\%_]/g, (c) => `\\${c}`)}%`)
        .limit(RETRIEVE)
        .execute(),
      'address',
    );
  }
  return hits;
}

function addressMatch(entityAddress: string, s: TextSignals): { score: number; reason: string } | null {
  const norm = normalizeAddress(entityAddress);
  for (const a of s.addresses) if (norm.includes(a)) return { score: 1, reason: `地址一致（${a}）` };
  for (const r of s.roads) if (norm.includes(r)) return { score: 0.35, reason: `道路一致（${r}）` };
  return null;
}

/** Combine independent signals: each closes part of the remaining doubt. */
const combine = (parts: number[]) => 1 - parts.reduce((acc, p) => acc * (1 - p), 1);

/**
 * Candidate entities for the respondent of `text`, best first. Scores are 0..1; reasons are Chinese and say which
 * signals matched. An empty list when the text names nothing that can be looked up.
 */
export async function linkEntities(
  db: Executor,
  text: string,
  opts: LinkOptions = {},
): Promise<EntityCandidate[]> {
  const limit = clampLimit(opts.limit);
  const s = readSignals(text);
  if (
    s.usccs.length +
      s.usccTypos.length +
      s.phones.length +
      s.licences.length +
      s.names.length +
      s.addresses.length ===
    0
  ) {
    return [];
  }
  const hits = await retrieve(db, s, opts.vault);
  const out: EntityCandidate[] = [];
  for (const { row, via } of hits.values()) {
    const parts: number[] = [];
    const reasons: string[] = [];
    if (via.has('uscc')) {
      parts.push(0.99);
      reasons.push('统一社会信用代码一致');
    } else if (via.has('uscc17')) {
      parts.push(0.8);
      reasons.push('统一社会信用代码前17位一致（校验位有误）');
    }
    if (via.has('phone')) {
      parts.push(0.9);
      reasons.push('电话一致');
    }
    if (via.has('licence')) {
      parts.push(0.95);
      reasons.push('许可证编号一致');
    }
    const core = nameCore(row.name);
    let best = 0;
    for (const n of s.names) best = Math.max(best, nameSimilarity(n, core));
    if (best >= 0.3) {
      // Squared: a near-equal name counts much more than half a name.
      parts.push(0.9 * best * best);
      reasons.push(`名称相似 ${best.toFixed(2)}`);
    }
    const addr = addressMatch(row.address, s);
    if (addr) {
      parts.push(addr.score === 1 ? 0.7 : 0.15 * (best > 0 ? 1 : 0.5));
      reasons.push(addr.reason);
    }
    if (s.company && best >= 0.3 && row.name.includes('公司')) {
      parts.push(0.15);
      reasons.push('同为公司');
    }
    const town = s.towns.find((t) => row.name.includes(t) || row.address.includes(t));
    if (town && best > 0) {
      parts.push(0.2);
      reasons.push(`所在镇（街道）一致（${town}）`);
    }
    if (parts.length === 0) continue;
    out.push({
      entityId: row.id,
      name: row.name,
      uscc: row.uscc,
      address: row.address === '' ? null : row.address,
      score: Math.round(combine(parts) * 1000) / 1000,
      reasons,
    });
  }
  out.sort((a, b) => b.score - a.score || a.entityId - b.entityId);
  return out.slice(0, limit);
}

/**
 * The candidates `viewer` may see, best first, at most `limit` (the lookup's default when absent): an entity
 * outside their data scope is left out here exactly as the entity search leaves it out (one query for all of them).
 */
export async function visibleCandidates(
  db: Executor,
  viewer: Pick<SessionUser, 'id' | 'scope'>,
  found: readonly EntityCandidate[],
  limit?: number,
): Promise<EntityCandidate[]> {
  if (found.length === 0) return [];
  const rows = await entitiesMatching(db, viewer, {})
    .select('e.id')
    .where(
      'e.id',
      'in',
      found.map((c) => c.entityId),
    )
    .execute();
  const seen = new Set(rows.map((r) => Number(r.id)));
  return found.filter((c) => seen.has(c.entityId)).slice(0, clampLimit(limit));
}
