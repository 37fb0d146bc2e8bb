import type { SortRoute } from '@rongjian/shared/api';
import type { DisposalCode } from '@rongjian/shared';
import { type ClassifierSuggestion, registerClueClassifier } from '../clues/clues.classifier.ts';
import { predictTriage, refreshTriageModel } from './analysis.triage.ts';

/**
 * The triage model as a sorting classifier (registered after the rules, so rules stay first and the model fills
 * the fields they leave open): business line, 12315 category and route. A field is only offered when its calibrated
 * confidence reaches `MODEL_SUGGEST_MIN_CONFIDENCE`; an unsure model says nothing rather than guess. The clue kind
 * is not suggested here: staff choose it at intake (the 研判工作台 shows the model's kind beside it).
 */
export const MODEL_SUGGEST_MIN_CONFIDENCE = 0.5;

/** 研判处置建议 → 分拣去向: checks and enforcement go to 研判 first, the rest keep their meaning. */
const ROUTE_OF: Record<DisposalCode, SortRoute> = {
  direct: 'direct',
  inspection: 'analysis',
  enforcement: 'analysis',
  transfer: 'transfer',
  reject: 'reject',
};

export async function modelSuggestion(
  db: Parameters<typeof refreshTriageModel>[0],
  text: string,
  title = '',
): Promise<ClassifierSuggestion | null> {
  const content = title && !text.startsWith(title) ? `${title}。${text}` : text;
  if (!content.trim()) return null;
  try {
    await refreshTriageModel(db);
  } catch {
    // The database could not be asked: keep the model already loaded.
  }
  let p: ReturnType<typeof predictTriage>;
  try {
    p = predictTriage(content);
  } catch {
    return null; // no model file at all: intake goes on with the rules alone
  }
  const ok = (c: number) => c >= MODEL_SUGGEST_MIN_CONFIDENCE;
  const out: ClassifierSuggestion = { confidence: 0, matched: [] };
  const used: number[] = [];
  if (ok(p.line.confidence)) {
    out.businessLine = p.line.value;
    used.push(p.line.confidence);
  }
  if (ok(p.category.confidence)) {
    out.category12315 = p.category.value;
    used.push(p.category.confidence);
  }
  if (ok(p.disposal.confidence)) {
    out.route = ROUTE_OF[p.disposal.value];
    used.push(p.disposal.confidence);
  }
  if (used.length === 0) return null;
  out.confidence = Math.round(Math.min(...used) * 100) / 100;
  return out;
}

registerClueClassifier({
  name: 'model',
  suggest: (db, text, facts) => modelSuggestion(db, text, facts.title),
});
