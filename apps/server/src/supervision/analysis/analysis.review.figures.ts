import {
  REVIEW_CONFIDENCE_BANDS,
  REVIEW_FIELDS,
  type ReviewField,
  type ReviewFieldFigures,
  type ReviewFigures,
} from '@rongjian/shared/api';
import type { JudgmentSuggestionSnapshot } from './analysis.judgments.tables.ts';
import { classificationFigures, HEAD_LABELS } from './analysis.model.ts';

/**
 * The pure arithmetic of 研判复盘: suggestions against judgments (the analyst's value is the truth), calibration by
 * confidence band, outcome and detector rows. The queries live in analysis.review.ts; these functions only count.
 */

export interface JudgedRow {
  clueId: number;
  disposal: string;
  kind: string | null;
  line: string | null;
  category: string | null;
  suggestion: JudgmentSuggestionSnapshot | null;
}

const judgedValue = (j: JudgedRow, f: ReviewField): string | null =>
  f === 'disposal' ? j.disposal : f === 'kind' ? j.kind : f === 'line' ? j.line : j.category;

/** Fields where the analyst decided otherwise than the model (a field the analyst left empty is no correction). */
export function correctedFields(j: JudgedRow): ReviewField[] {
  const s = j.suggestion;
  if (!s) return [];
  return REVIEW_FIELDS.filter((f) => {
    const v = judgedValue(j, f);
    return v !== null && v !== s[f];
  });
}

export const round4 = (v: number) => Math.round(v * 10_000) / 10_000;
const ratio = (a: number, b: number) => (b ? round4(a / b) : 0);

function fieldFigures(rows: readonly JudgedRow[], f: ReviewField): ReviewFieldFigures {
  const truth: string[] = [];
  const pred: string[] = [];
  for (const j of rows) {
    const v = judgedValue(j, f);
    const s = j.suggestion?.[f];
    if (v === null || s === undefined || s === null || s === '') continue;
    truth.push(v);
    pred.push(String(s));
  }
  const known = HEAD_LABELS[f];
  const extra = [...new Set([...truth, ...pred])].filter((v) => !known.includes(v)).sort();
  const { n, accuracy, macroF1, perClass, confusion } = classificationFigures(
    [...known, ...extra],
    truth,
    pred,
  );
  return { n, accuracy, macroF1, perClass, confusion };
}

export function judgmentFigures(rows: readonly JudgedRow[]): ReviewFigures['judgments'] {
  const suggested = rows.filter((j) => j.suggestion);
  const followed = (j: JudgedRow) => correctedFields(j).length === 0;
  const calibration = REVIEW_CONFIDENCE_BANDS.map((b) => {
    const inBand = suggested.filter((j) => {
      const c = j.suggestion!.confidence;
      return c >= b.min && c < b.max;
    });
    const mean = inBand.reduce((a, j) => a + j.suggestion!.confidence, 0);
    return {
      key: b.key,
      label: b.label,
      n: inBand.length,
      meanConfidence: ratio(mean, inBand.length),
      accuracy: ratio(inBand.filter(followed).length, inBand.length),
    };
  });
  return {
    total: rows.length,
    withSuggestion: suggested.length,
    followedAll: ratio(suggested.filter(followed).length, suggested.length),
    fields: {
      kind: fieldFigures(suggested, 'kind'),
      line: fieldFigures(suggested, 'line'),
      category: fieldFigures(suggested, 'category'),
      disposal: fieldFigures(suggested, 'disposal'),
    },
    calibration,
  };
}

export interface OutcomeInput {
  /** The row's disposal (suggested for dispatch rows, judged for closed rows). */
  disposal: string;
  hit: boolean;
  agreed: boolean;
}

/** Rows in disposal-code order; `always` rows appear even when empty. */
export function outcomeRows(
  items: readonly OutcomeInput[],
  always: readonly string[],
): ReviewFigures['outcomes']['dispatched'] {
  const order = [...(HEAD_LABELS.disposal as readonly string[])];
  const present = new Set([...always, ...items.map((i) => i.disposal)]);
  return order
    .concat([...present].filter((d) => !order.includes(d)))
    .filter((d) => present.has(d))
    .map((disposal) => {
      const mine = items.filter((i) => i.disposal === disposal);
      const hits = mine.filter((i) => i.hit).length;
      return {
        disposal,
        n: mine.length,
        hits,
        rate: ratio(hits, mine.length),
        agreed: mine.filter((i) => i.agreed).length,
      };
    });
}

export interface FindingInput {
  detector: string;
  status: string;
  clueRaised: boolean;
  judged: boolean;
  dispatched: boolean;
  violation: boolean;
}

export function detectorRows(
  findings: readonly FindingInput[],
  detectors: readonly string[],
): ReviewFigures['detectors'] {
  return detectors.map((detector) => {
    const mine = findings.filter((f) => f.detector === detector);
    const count = (p: (f: FindingInput) => boolean) => mine.filter(p).length;
    const confirmed = count((f) => f.status === 'confirmed');
    const dismissed = count((f) => f.status === 'dismissed');
    const violations = count((f) => f.violation);
    return {
      detector,
      raised: mine.length,
      open: count((f) => f.status === 'open'),
      confirmed,
      dismissed,
      cluesRaised: count((f) => f.clueRaised),
      judged: count((f) => f.judged),
      dispatched: count((f) => f.dispatched),
      violations,
      confirmRate: ratio(confirmed, confirmed + dismissed),
      hitRate: ratio(violations, mine.length),
    };
  });
}
