import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CATEGORIES_12315, type Category12315, DISPOSALS as DISPOSAL_NAMES } from '@rongjian/shared';
import { createRng, type Rng, weightedPicker } from '../../../platform/demo/random.ts';
import { COMMON_VOCAB, computedSlot } from './corpus.common.ts';
import { CONSUMER, DRUG, FOOD } from './corpus.fragments.consumer.ts';
import { CREDIT, ENFORCEMENT, REGISTRATION } from './corpus.fragments.entity.ts';
import { ADVERTISING, IP, ONLINE, PRICE } from './corpus.fragments.market.ts';
import {
  CERTIFICATION,
  METROLOGY,
  PRODUCT_QUALITY,
  SPECIAL_EQUIPMENT,
  STANDARDISATION,
} from './corpus.fragments.product.ts';
import { ASIDES, applyNoise, applyRegister, type Core, pickRegister } from './corpus.noise.ts';
import type { CorpusRow, LineFragments, Scenario } from './corpus.types.ts';

export type { CorpusRow } from './corpus.types.ts';

/** The seed the committed corpus was generated with. */
export const CORPUS_SEED = 20261129;

/** Share of each business line held out for evaluation (never trained on). */
export const TEST_SHARE = 0.2;
/** Share of each line held out as whole facts templates, i.e. wordings absent from the training split. */
export const UNSEEN_SHARE = 0.12;

/** Where the committed corpus lives (apps/server/data/analysis/triage-corpus.jsonl). */
export const TRIAGE_CORPUS_PATH = resolve(
  dirname(fileURLToPath(import.meta.url)),
  '../../../../data/analysis/triage-corpus.jsonl',
);

/** docs/analysis-corpus.md: its distribution section is rewritten with the corpus. */
export const CORPUS_DOC_PATH = resolve(
  dirname(fileURLToPath(import.meta.url)),
  '../../../../../../docs/analysis-corpus.md',
);
const DOC_START = '<!-- corpus:distribution -->';
const DOC_END = '<!-- /corpus:distribution -->';

/** In the order of BUSINESS_LINES. */
export const CORPUS_LINES: readonly LineFragments[] = [
  REGISTRATION,
  CREDIT,
  FOOD,
  DRUG,
  SPECIAL_EQUIPMENT,
  PRODUCT_QUALITY,
  PRICE,
  ADVERTISING,
  ONLINE,
  METROLOGY,
  STANDARDISATION,
  CERTIFICATION,
  IP,
  CONSUMER,
  ENFORCEMENT,
];

const MAX_DEPTH = 6;

/**
 * Slots naming who and where: a second fact of the same text keeps them (the same shop, the same goods) while what
 * happened is drawn again, so a long letter lists different problems of one respondent rather than one problem thrice.
 */
const IDENTITY_SLOTS = new Set([
  'shop',
  'restaurant',
  'pharmacy',
  'beauty',
  'clinic',
  'hospital',
  'store',
  'platform',
  'company',
  'product',
  'maker',
  'seller',
  'station',
  'stall',
  'den',
  'lab',
  'factory',
  'advertiser',
  'applianceShop',
  'carShop',
  'serviceShop',
  'homeLift',
  'publicLift',
  'boilerPlace',
  'gasShop',
  'goldShop',
  'opticShop',
  'estate',
  'town',
  'addr',
  'me',
]);

/**
 * Expands `{slot}` placeholders; a listed slot drawn once keeps its value for the whole text (one shop per complaint).
 * Computed slots (numbers, dates) are drawn each time.
 */
class Expander {
  private readonly memo = new Map<string, string>();
  constructor(
    private readonly rng: Rng,
    private readonly line: LineFragments,
    private readonly scenario: Scenario,
    private readonly category: Category12315,
    /** Who and where, shared with the forks of this text. */
    private readonly identity = new Map<string, string>(),
  ) {}

  /** An expander for another fact of the same text: same respondent and place, fresh details. */
  fork(): Expander {
    return new Expander(this.rng, this.line, this.scenario, this.category, this.identity);
  }

  expand(template: string, depth = 0): string {
    if (depth > MAX_DEPTH) throw new Error(`corpus: slots nest too deep in "${template}"`);
    return template.replace(/\{([a-zA-Z0-9]+)\}/g, (_m, name: string) => this.slotValue(name, depth));
  }

  private slotValue(name: string, depth: number): string {
    const computed = computedSlot(name, this.rng);
    if (computed !== undefined) return computed;
    const memo = IDENTITY_SLOTS.has(name) ? this.identity : this.memo;
    const known = memo.get(name);
    if (known !== undefined) return known;
    const value = this.draw(name, depth);
    memo.set(name, value);
    return value;
  }

  private draw(name: string, depth: number): string {
    const list =
      this.scenario.vars?.[name] ??
      (name === 'product' ? this.line.products?.[this.category] : undefined) ??
      this.line.vocab[`${name}@${this.category}`] ??
      this.line.vocab[name] ??
      COMMON_VOCAB[name];
    if (!list || list.length === 0) {
      throw new Error(
        `corpus: no values for {${name}} in ${this.line.line} / ${this.scenario.note} / ${this.category}`,
      );
    }
    return this.expand(this.rng.pick(list), depth + 1);
  }
}

/** A generated row before the split, with the facts template it came from. */
interface Draft extends Omit<CorpusRow, 'id' | 'split'> {
  scenario: string;
  template: string;
}

function composeText(
  rng: Rng,
  line: LineFragments,
  scenario: Scenario,
  category: Category12315,
): { text: string; template: string } {
  const x = new Expander(rng, line, scenario, category);
  const factPool = scenario.byCategory?.[category] ?? scenario.facts;
  const factTemplate = rng.pick(factPool);
  const others = factPool.filter((f) => f !== factTemplate);
  const second = others.length > 0 && rng.chance(0.7) ? rng.pick(others) : null;
  const third =
    second && others.length > 1 && rng.chance(0.5) ? rng.pick(others.filter((f) => f !== second)) : null;
  const core: Core = {
    kind: scenario.kind,
    facts: x.expand(factTemplate),
    moreFacts: [second, third].filter((f): f is string => f !== null).map((f) => x.fork().expand(f)),
    demand: scenario.demands && scenario.demands.length > 0 ? x.expand(rng.pick(scenario.demands)) : '',
    short:
      scenario.short && scenario.short.length > 0 && !scenario.byCategory?.[category]
        ? x.expand(rng.pick(scenario.short))
        : null,
  };
  const disputes = scenario.kind === 'complaint' || scenario.kind === 'report';
  if (disputes && rng.chance(0.25)) core.facts = `${core.facts}${rng.pick(['。', '，'])}${rng.pick(ASIDES)}`;
  const register = pickRegister(rng, core);
  return { text: applyNoise(rng, x.expand(applyRegister(rng, register, core))), template: factTemplate };
}

/** Texts that differ only in spacing or punctuation count as the same text. */
function dedupeKey(text: string): string {
  return text.replace(/[\s，。,.!！?？:：；;、【】（）()～😡🙏😭👎]/gu, '');
}

function pickCategory(rng: Rng, scenario: Scenario): Category12315 {
  return typeof scenario.category === 'string' ? scenario.category : rng.pick(scenario.category);
}

/**
 * The labelled triage corpus: for every business line its `count` texts, drawn from the line's scenarios by weight,
 * then a held-out split of TEST_SHARE per line (partly whole templates, see splitLine). Deterministic: the
 * same seed gives the same rows, byte for byte.
 */
export function generateTriageCorpus(seed = CORPUS_SEED): CorpusRow[] {
  const seen = new Set<string>();
  const perLine: Omit<CorpusRow, 'id'>[][] = [];
  for (const line of CORPUS_LINES) {
    const rng = createRng(seed, `corpus:${line.line}`);
    const pick = weightedPicker(
      line.scenarios,
      line.scenarios.map((s) => s.weight),
    );
    const rows: Draft[] = [];
    let attempts = 0;
    while (rows.length < line.count) {
      attempts++;
      if (attempts > line.count * 40)
        throw new Error(`corpus: ${line.line} cannot reach ${line.count} distinct texts`);
      const scenario = pick(rng);
      const category = pickCategory(rng, scenario);
      const { text, template } = composeText(rng, line, scenario, category);
      const key = dedupeKey(text);
      if (seen.has(key)) continue;
      seen.add(key);
      rows.push({
        text,
        kind: scenario.kind,
        line: line.line,
        category,
        disposal: scenario.disposal,
        scenario: scenario.note,
        template,
      });
    }
    perLine.push(splitLine(seed, line.line, rows));
  }
  // Interleave the lines in a seeded order so the file does not read line by line.
  const all = perLine.flat();
  const order = createRng(seed, 'corpus:order');
  const keyed = all.map((row, i) => ({ row, key: order.next(), i }));
  keyed.sort((a, b) => a.key - b.key || a.i - b.i);
  return keyed.map(({ row }, i) => ({ id: `T${String(i + 1).padStart(5, '0')}`, ...row }));
}

/**
 * The held-out rows of one line, TEST_SHARE of them. First whole facts templates are held out (UNSEEN_SHARE of the
 * line; at most a third of a scenario's templates, and only of scenarios with three or more), so the test set holds
 * wordings the model never saw in training — otherwise every test text would have a sibling from the same template in
 * the training set and the figures would flatter the model. The rest is filled evenly over kinds and disposals.
 */
function splitLine(seed: number, lineName: string, rows: readonly Draft[]): Omit<CorpusRow, 'id'>[] {
  const rng = createRng(seed, `corpus:split:${lineName}`);
  const target = Math.round(rows.length * TEST_SHARE);
  const unseenBudget = Math.round(rows.length * UNSEEN_SHARE);
  const groups = new Map<string, number[]>();
  const templatesOf = new Map<string, Set<string>>();
  rows.forEach((r, i) => {
    const key = `${r.scenario}\u0000${r.template}`;
    groups.set(key, [...(groups.get(key) ?? []), i]);
    templatesOf.set(r.scenario, (templatesOf.get(r.scenario) ?? new Set()).add(r.template));
  });
  const test = new Set<number>();
  const held = new Map<string, number>();
  const shuffled = [...groups.values()]
    .map((members, i) => ({ members, i, draw: rng.next() }))
    .sort((a, b) => a.draw - b.draw || a.i - b.i);
  for (const { members } of shuffled) {
    const scenario = rows[members[0]!]!.scenario;
    const total = templatesOf.get(scenario)!.size;
    const already = held.get(scenario) ?? 0;
    if (total < 3 || already + 1 > Math.floor(total / 3)) continue;
    if (test.size + members.length > unseenBudget) continue;
    for (const i of members) test.add(i);
    held.set(scenario, already + 1);
  }
  const remaining = rows
    .map((row, i) => ({ row, i, draw: rng.next() }))
    .filter((o) => !test.has(o.i))
    .sort(
      (a, b) =>
        a.row.kind.localeCompare(b.row.kind) ||
        a.row.disposal.localeCompare(b.row.disposal) ||
        a.draw - b.draw,
    );
  // Every kind of the line is in the test split at least once.
  for (const o of remaining) {
    if (![...test].some((i) => rows[i]!.kind === o.row.kind)) test.add(o.i);
  }
  const rest = remaining.filter((o) => !test.has(o.i));
  const need = target - test.size;
  const u = rng.next();
  for (let k = 0; k < need; k++) test.add(rest[Math.floor(((k + u) * rest.length) / need)]!.i);
  return rows.map(({ scenario: _s, template: _t, ...row }, i) => ({
    ...row,
    split: test.has(i) ? 'test' : 'train',
  }));
}

/** One JSON object per line, keys in a fixed order, a final newline. */
export function serializeTriageCorpus(rows: readonly CorpusRow[]): string {
  return rows
    .map((r) =>
      JSON.stringify({
        id: r.id,
        text: r.text,
        kind: r.kind,
        line: r.line,
        category: r.category,
        disposal: r.disposal,
        split: r.split,
      }),
    )
    .join('\n')
    .concat('\n');
}

/**
 * Regenerates the corpus file (used by `npx rongjian model corpus`); returns what was written. Writing the committed
 * file also rewrites the distribution tables of docs/analysis-corpus.md (between its markers), so both stay in step.
 */
export function writeTriageCorpus(
  path = TRIAGE_CORPUS_PATH,
  seed = CORPUS_SEED,
): { path: string; rows: number; test: number; docUpdated: boolean } {
  const rows = generateTriageCorpus(seed);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, serializeTriageCorpus(rows), 'utf8');
  let docUpdated = false;
  if (resolve(path) === TRIAGE_CORPUS_PATH && seed === CORPUS_SEED && existsSync(CORPUS_DOC_PATH)) {
    const doc = readFileSync(CORPUS_DOC_PATH, 'utf8');
    const start = doc.indexOf(DOC_START);
    const end = doc.indexOf(DOC_END);
    if (start >= 0 && end > start) {
      const next = `${doc.slice(0, start + DOC_START.length)}\n\n${describeTriageCorpus(rows)}\n\n${doc.slice(end)}`;
      if (next !== doc) writeFileSync(CORPUS_DOC_PATH, next, 'utf8');
      docUpdated = true;
    }
  }
  return { path, rows: rows.length, test: rows.filter((r) => r.split === 'test').length, docUpdated };
}

const KIND_ORDER = ['complaint', 'report', 'inquiry', 'suggestion', 'other'] as const;
const KIND_NAMES: Record<(typeof KIND_ORDER)[number], string> = {
  complaint: '投诉',
  report: '举报',
  inquiry: '咨询',
  suggestion: '建议',
  other: '其他',
};

/**
 * The label distribution as Markdown tables (what docs/analysis-corpus.md shows; the corpus test checks the doc holds
 * exactly these tables, so the numbers in the doc are always the generated ones).
 */
export function describeTriageCorpus(rows: readonly CorpusRow[]): string {
  const count = (pred: (r: CorpusRow) => boolean) => rows.filter(pred).length;
  const out: string[] = [];
  const lengths = rows.map((r) => [...r.text].length).sort((a, b) => a - b);
  const q = (p: number) => lengths[Math.min(lengths.length - 1, Math.floor(p * lengths.length))]!;
  out.push(
    `Rows: ${rows.length} (train ${count((r) => r.split === 'train')}, test ${count((r) => r.split === 'test')}). ` +
      `Text length in characters: min ${lengths[0]}, median ${q(0.5)}, 90th percentile ${q(0.9)}, max ${lengths[lengths.length - 1]}.`,
    '',
  );
  const disposals = Object.keys(DISPOSAL_NAMES) as (keyof typeof DISPOSAL_NAMES)[];
  out.push(
    `| Business line | Rows | Test | ${KIND_ORDER.map((k) => KIND_NAMES[k]).join(' | ')} | ${disposals.map((d) => DISPOSAL_NAMES[d]).join(' | ')} |`,
    `|---|---:|---:|${KIND_ORDER.map(() => '---:').join('|')}|${disposals.map(() => '---:').join('|')}|`,
  );
  for (const line of CORPUS_LINES) {
    const of = rows.filter((r) => r.line === line.line);
    const c = (pred: (r: CorpusRow) => boolean) => of.filter(pred).length;
    out.push(
      `| ${line.line} | ${of.length} | ${c((r) => r.split === 'test')} | ${KIND_ORDER.map((k) => c((r) => r.kind === k)).join(' | ')} | ${disposals.map((d) => c((r) => r.disposal === d)).join(' | ')} |`,
    );
  }
  out.push(
    `| **All** | ${rows.length} | ${count((r) => r.split === 'test')} | ${KIND_ORDER.map((k) => count((r) => r.kind === k)).join(' | ')} | ${disposals.map((d) => count((r) => r.disposal === d)).join(' | ')} |`,
    '',
    '| 12315 category | Code | Rows |',
    '|---|---|---:|',
  );
  for (const [code, label] of Object.entries(CATEGORIES_12315)) {
    out.push(`| ${label} | \`${code}\` | ${count((r) => r.category === code)} |`);
  }
  out.push(
    '',
    `| Kind \\ disposal | ${disposals.map((d) => DISPOSAL_NAMES[d]).join(' | ')} |`,
    `|---|${disposals.map(() => '---:').join('|')}|`,
  );
  for (const k of KIND_ORDER) {
    out.push(
      `| ${KIND_NAMES[k]} | ${disposals.map((d) => count((r) => r.kind === k && r.disposal === d)).join(' | ')} |`,
    );
  }
  return out.join('\n');
}
