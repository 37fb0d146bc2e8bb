import {
  type ClueKind,
  type SortRuleMatch,
  type SortRuleSuggest,
  type SortRoute,
  sortRuleMatchSchema,
  sortRuleSuggestSchema,
} from '@rongjian/shared/api';
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../platform/db/schema.ts';

type Executor = Kysely<DB> | Transaction<DB>;

/** What a classifier knows about the clue besides its text. */
export interface SortFacts {
  title: string;
  channel: string;
  kind: ClueKind;
}

/** One classifier's proposal; every field optional, `confidence` 0..1. */
export interface ClassifierSuggestion {
  kind?: ClueKind;
  businessLine?: string;
  category12315?: string;
  route?: SortRoute;
  departmentId?: number;
  confidence: number;
  ruleIds?: number[];
  ruleNames?: string[];
  matched?: string[];
}

/**
 * A sorting classifier. The rule engine below is the first; the analysis issue adds a learned model behind the
 * same interface (`registerClueClassifier`). Classifiers run in registration order, and an earlier one's field wins.
 */
export interface ClueClassifier {
  name: string;
  suggest(db: Executor, text: string, facts: SortFacts): Promise<ClassifierSuggestion | null>;
}

const classifiers = new Map<string, ClueClassifier>();

export function registerClueClassifier(c: ClueClassifier): void {
  classifiers.set(c.name, c);
}

export const clueClassifiers = (): ClueClassifier[] => [...classifiers.values()];

export interface LoadedRule {
  id: number;
  name: string;
  priority: number;
  match: SortRuleMatch;
  suggest: SortRuleSuggest;
}

/** Rules are read at most every few seconds per process; a write on this process clears the cache at once. */
const RULE_CACHE_MS = 5_000;
let cache: { at: number; rules: LoadedRule[] } | undefined;
export const invalidateSortRules = () => {
  cache = undefined;
};

export async function loadSortRules(db: Executor): Promise<LoadedRule[]> {
  if (cache && Date.now() - cache.at < RULE_CACHE_MS) return cache.rules;
  const rows = await db
    .selectFrom('clue_sort_rule')
    .select(['id', 'name', 'priority', 'match', 'suggest'])
    .where('enabled', '=', true)
    .orderBy('priority', 'desc')
    .orderBy('id')
    .execute();
  const rules: LoadedRule[] = [];
  for (const r of rows) {
    const match = sortRuleMatchSchema.safeParse(r.match);
    const suggest = sortRuleSuggestSchema.safeParse(r.suggest);
    if (!match.success || !suggest.success) continue; // a malformed row never breaks intake
    rules.push({
      id: Number(r.id),
      name: r.name,
      priority: r.priority,
      match: match.data,
      suggest: suggest.data,
    });
  }
  cache = { at: Date.now(), rules };
  return rules;
}

/** Keywords of `rule` found in the clue, or null when the rule does not apply. */
export function ruleHits(
  rule: Pick<LoadedRule, 'match'>,
  content: string,
  facts: SortFacts,
): string[] | null {
  const m = rule.match;
  if (m.channels.length > 0 && !m.channels.includes(facts.channel as never)) return null;
  if (m.kinds.length > 0 && !m.kinds.includes(facts.kind)) return null;
  const text = [m.fields.includes('title') ? facts.title : '', m.fields.includes('content') ? content : '']
    .join('\n')
    .toLowerCase();
  const has = (k: string) => text.includes(k.toLowerCase());
  if (!m.keywordsAll.every(has)) return null;
  const any = m.keywordsAny.filter(has);
  if (m.keywordsAny.length > 0 && any.length === 0) return null;
  return [...m.keywordsAll, ...any];
}

const FIELDS = ['kind', 'businessLine', 'category12315', 'route', 'departmentId'] as const;

/** Apply rules in priority order: the first rule that sets a field decides it. */
export function applyRules(
  rules: readonly LoadedRule[],
  content: string,
  facts: SortFacts,
): ClassifierSuggestion | null {
  const out: ClassifierSuggestion = { confidence: 0, ruleIds: [], ruleNames: [], matched: [] };
  let hits = 0;
  for (const rule of rules) {
    const found = ruleHits(rule, content, facts);
    if (!found) continue;
    let used = false;
    for (const f of FIELDS) {
      const v = rule.suggest[f];
      if (v !== undefined && out[f] === undefined) {
        (out as unknown as Record<string, unknown>)[f] = v;
        used = true;
      }
    }
    if (!used) continue;
    hits += Math.max(found.length, 1);
    out.ruleIds?.push(rule.id);
    out.ruleNames?.push(rule.name);
    for (const k of found) if (!out.matched?.includes(k)) out.matched?.push(k);
  }
  if (out.ruleIds?.length === 0) return null;
  // More distinct keywords → more confident; a rule engine never claims certainty.
  out.confidence = Math.min(0.9, Math.round((0.4 + 0.15 * hits) * 100) / 100);
  return out;
}

export const ruleClassifier: ClueClassifier = {
  name: 'rules',
  async suggest(db, text, facts) {
    return applyRules(await loadSortRules(db), text, facts);
  },
};

registerClueClassifier(ruleClassifier);

/** Run every classifier; an earlier classifier's field wins, a later one only fills gaps. */
export async function classify(
  db: Executor,
  text: string,
  facts: SortFacts,
): Promise<(ClassifierSuggestion & { classifier: string }) | null> {
  let merged: (ClassifierSuggestion & { classifier: string }) | null = null;
  for (const c of clueClassifiers()) {
    const s = await c.suggest(db, text, facts);
    if (!s) continue;
    if (!merged) {
      merged = { ...s, classifier: c.name };
      continue;
    }
    for (const f of FIELDS) {
      if (merged[f] === undefined && s[f] !== undefined)
        (merged as unknown as Record<string, unknown>)[f] = s[f];
    }
    merged.classifier = `${merged.classifier}+${c.name}`;
  }
  return merged;
}
