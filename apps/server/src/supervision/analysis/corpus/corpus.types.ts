import type { BusinessLine, Category12315, DisposalCode } from '@rongjian/shared';
import type { ClueKind } from '@rongjian/shared/api';

/** One labelled text of the triage corpus (one line of `data/analysis/triage-corpus.jsonl`). */
export interface CorpusRow {
  id: string;
  text: string;
  kind: ClueKind;
  line: BusinessLine;
  category: Category12315;
  disposal: DisposalCode;
  split: 'train' | 'test';
}

/**
 * One situation a citizen writes about, with the labels a 研判 officer would give it. The text is built from a
 * `facts` template (what happened), optionally a `demands` template (what the writer wants), wrapped in a register
 * (hotline transcript, letter, post…) and roughened by noise. `short` templates are used for the terse register
 * (8–25 characters). Templates use `{slot}` placeholders that expand from the scenario's `vars`, the line's `vocab`,
 * the line's `products` of the row's category (for `{product}`), then the shared vocabulary (corpus.common.ts).
 */
export interface Scenario {
  /** What the situation is, for the reader of the fragments (not used in texts). */
  note: string;
  kind: ClueKind;
  disposal: DisposalCode;
  /** The 12315 category; a list means one is drawn per text (and `{product}` follows it). */
  category: Category12315 | readonly Category12315[];
  weight: number;
  facts: readonly string[];
  /**
   * Facts that only fit one category of the list (a liquor fact under 烟酒饮料, a restaurant fact under 生活社会服务):
   * when the drawn category has an entry here, the facts come from it instead of `facts`.
   */
  byCategory?: Readonly<Partial<Record<Category12315, readonly string[]>>>;
  demands?: readonly string[];
  short?: readonly string[];
  vars?: Readonly<Record<string, readonly string[]>>;
}

export interface LineFragments {
  line: BusinessLine;
  /** How many texts of this line the corpus holds. */
  count: number;
  /** Slot values; a key `slot@category` (e.g. `fault@goods.apparel`) wins over `slot` for rows of that category. */
  vocab: Readonly<Record<string, readonly string[]>>;
  /** Goods or services per 12315 category: `{product}` expands from the list of the row's category. */
  products?: Readonly<Partial<Record<Category12315, readonly string[]>>>;
  scenarios: readonly Scenario[];
}
