import { reclassifyClue } from './clues.repo.ts';
import {
  CLUE_KIND_LABELS,
  type ClueSortingInput,
  type SortRule,
  type SortRuleInput,
  type SortRulePatch,
  type SortSuggestion,
  SORT_ROUTE_LABELS,
  clueSortingSchema,
  sortRuleInputSchema,
  sortRuleMatchSchema,
  sortRulePatchSchema,
  sortRuleSuggestSchema,
} from '@rongjian/shared/api';
import type { Insertable, Transaction } from 'kysely';
import { findEntityLink } from '../../fusion/entities/entities.lookup.ts';
import type { SessionUser } from '../../platform/auth/auth.user.ts';
import { inDataScope } from '../../platform/auth/data-scope.ts';
import type { AppContext } from '../../platform/context.ts';
import { json } from '../../platform/db/json.ts';
import type { DB } from '../../platform/db/schema.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { type Actor, appendEvent } from '../../platform/ledger/ledger.service.ts';
import { classify, invalidateSortRules } from './clues.classifier.ts';
import { type ClueRow, type IntakeHints, registerClueHooks } from './clues.hooks.ts';
import type { ClueTable } from './clues.tables.ts';
import type { ClueService } from './clues.service.ts';

/**
 * The suggestion of a new clue, as columns of its row: fills an empty business line / 12315 category, never
 * overwrites. Respondents: the entities sharing the respondent's exact name when the intake could not link one
 * (an unambiguous name is linked by the intake itself; fuzzier candidates come from the analysis module's linking).
 */
export async function suggestSorting(
  tx: Transaction<DB>,
  clue: Pick<
    Insertable<ClueTable>,
    'content' | 'title' | 'channel' | 'kind' | 'business_line' | 'category_12315'
  >,
  hints: IntakeHints,
): Promise<Partial<Insertable<ClueTable>>> {
  const s = await classify(tx, clue.content, { title: clue.title, channel: clue.channel, kind: clue.kind });
  const suggestion: SortSuggestion = {
    ...(s?.kind ? { kind: s.kind } : {}),
    ...(s?.businessLine ? { businessLine: s.businessLine } : {}),
    ...(s?.category12315 ? { category12315: s.category12315 } : {}),
    ...(s?.route ? { route: s.route } : {}),
    ...(s?.departmentId ? { departmentId: s.departmentId } : {}),
    respondents: hints.respondentCandidates.map((e) => ({ entityId: e.id, name: e.name, uscc: e.uscc })),
    classifier: s?.classifier ?? 'rules',
    ruleIds: s?.ruleIds ?? [],
    ruleNames: s?.ruleNames ?? [],
    matched: s?.matched ?? [],
    confidence: s?.confidence ?? 0,
    at: new Date().toISOString(),
  };
  return {
    sort_suggestion: json(suggestion),
    ...(!clue.business_line && suggestion.businessLine ? { business_line: suggestion.businessLine } : {}),
    ...(!clue.category_12315 && suggestion.category12315 ? { category_12315: suggestion.category12315 } : {}),
  };
}

registerClueHooks({
  name: 'sorting',
  beforeInsert: (tx, _ctx, draft, hints) => suggestSorting(tx, draft, hints),
});

function checkDict(
  ctx: AppContext,
  type: string,
  value: string | undefined | null,
  path: string,
  what: string,
) {
  if (value === undefined || value === null || value === '') return;
  if (!ctx.dicts.items(type).some((i) => i.value === value && i.enabled)) {
    throw new AppError('VALIDATION_FAILED', `${what}“${value}”不在字典中`, {
      details: [{ path, message: `${what}无效` }],
    });
  }
}

export async function lockVisibleClue(
  tx: Transaction<DB>,
  viewer: SessionUser,
  id: number,
): Promise<ClueRow> {
  const row = await tx
    .selectFrom('clue as c')
    .selectAll('c')
    .where('c.id', '=', id)
    .where((eb) => inDataScope(eb, viewer, { department: 'c.department_id', owner: 'c.created_by' }))
    .forUpdate()
    .executeTakeFirst();
  if (!row) throw notFound('线索');
  return row;
}

export const versionConflict = () => new AppError('VERSION_CONFLICT', '线索已被他人处理，请刷新后重试');

const ACTION_OF_ROUTE = { direct: 'answer', analysis: 'toAnalysis', dispatch: 'toDispatch' } as const;

/**
 * 分拣确认: staff confirm or correct the suggestion, the correction is kept for the learning classifier, and the
 * clue moves on (直接办结 / 待研判 / 待调度) — one transaction.
 */
export async function confirmSorting(
  ctx: AppContext,
  clues: ClueService,
  viewer: SessionUser,
  id: number,
  raw: ClueSortingInput,
): Promise<void> {
  const input = clueSortingSchema.parse(raw);
  const actor: Actor = { id: viewer.id, name: viewer.displayName };
  if (input.route === 'direct' && !input.answer) {
    throw new AppError('VALIDATION_FAILED', '直接办结需要填写答复内容', {
      details: [{ path: 'answer', message: '必填' }],
    });
  }
  checkDict(ctx, 'business_line', input.businessLine, 'businessLine', '业务条线');
  checkDict(ctx, 'category_12315', input.category12315, 'category12315', '12315 分类');
  await ctx.db.transaction().execute(async (tx) => {
    const clue = await lockVisibleClue(tx, viewer, id);
    if (clue.status !== 'sorting') {
      throw new AppError('CLUE_STATE_CONFLICT', '线索不在“待分拣”状态，不能分拣', { status: 409 });
    }
    if (clue.version !== input.version) throw versionConflict();
    let entityId = clue.entity_id === null ? null : Number(clue.entity_id);
    let respondentName = clue.respondent_name;
    let respondentUscc = clue.respondent_uscc;
    if (input.entityId === null) {
      entityId = null;
    } else if (input.entityId !== undefined) {
      const e = await findEntityLink(tx, { id: input.entityId });
      if (!e) {
        throw new AppError('VALIDATION_FAILED', '所选经营主体不存在', {
          details: [{ path: 'entityId', message: '经营主体不存在' }],
        });
      }
      entityId = e.id;
      respondentName = e.name;
      respondentUscc = e.uscc;
    }
    if (input.respondentName !== undefined && input.respondentName !== '')
      respondentName = input.respondentName;

    const suggested = clue.sort_suggestion as Partial<SortSuggestion>;
    const confirmed = {
      kind: input.kind,
      businessLine: input.businessLine,
      category12315: input.category12315 ?? null,
      entityId,
      respondentName,
      route: input.route,
    };
    const suggestedValues: Record<string, unknown> = {
      kind: suggested.kind ?? clue.kind,
      businessLine: suggested.businessLine ?? null,
      category12315: suggested.category12315 ?? null,
      entityId:
        clue.entity_id === null ? (suggested.respondents?.[0]?.entityId ?? null) : Number(clue.entity_id),
      route: suggested.route ?? null,
    };
    const changedFields = Object.keys(suggestedValues).filter(
      (k) => (suggestedValues[k] ?? null) !== ((confirmed as Record<string, unknown>)[k] ?? null),
    );
    const current: Record<string, unknown> = {
      kind: clue.kind,
      businessLine: clue.business_line,
      category12315: clue.category_12315,
      entityId: clue.entity_id === null ? null : Number(clue.entity_id),
      respondentName: clue.respondent_name,
    };
    const changes = Object.keys(current)
      .filter((k) => (current[k] ?? null) !== ((confirmed as Record<string, unknown>)[k] ?? null))
      .map((k) => ({
        field: k,
        from: current[k] ?? null,
        to: (confirmed as Record<string, unknown>)[k] ?? null,
      }));

    const version = await reclassifyClue(tx, clue, input.version, {
      kind: input.kind,
      businessLine: input.businessLine,
      category12315: input.category12315 ?? null,
      entityId,
      respondent: { name: respondentName, uscc: respondentUscc },
    });
    if (version === undefined) throw versionConflict();
    await tx
      .insertInto('clue_sort_feedback')
      .values({
        clue_id: clue.id,
        suggested: json(suggested),
        confirmed: json(confirmed),
        changed_fields: changedFields,
        classifier: typeof suggested.classifier === 'string' ? suggested.classifier : null,
        actor_id: actor.id,
        actor_name: actor.name,
      })
      .execute();
    await appendEvent(tx, {
      actor,
      subjectType: 'clue',
      subjectId: clue.id,
      clueId: clue.id,
      departmentId: clue.department_id,
      kind: 'clue.sorted',
      payload: {
        kind: input.kind,
        kindLabel: CLUE_KIND_LABELS[input.kind],
        businessLine: input.businessLine,
        category12315: input.category12315 ?? null,
        route: input.route,
        routeLabel: SORT_ROUTE_LABELS[input.route],
        changes,
        correctedFields: changedFields,
      },
    });
    await clues.transitionInternal(tx, actor, clue.id, {
      action: ACTION_OF_ROUTE[input.route],
      version,
      ...(input.answer && input.route === 'direct' ? { answer: input.answer } : {}),
      ...(input.note ? { note: input.note } : {}),
    });
  });
}

// ── 分拣规则 (console CRUD) ──────────────────────────────────────────────────────────────────────────────────

type RuleRow = {
  id: number;
  name: string;
  priority: number;
  enabled: boolean;
  match: Record<string, unknown>;
  suggest: Record<string, unknown>;
  updated_at: Date;
  updated_by_name: string;
  version: number;
};

const toRule = (r: RuleRow): SortRule => ({
  id: Number(r.id),
  name: r.name,
  priority: r.priority,
  enabled: r.enabled,
  match: sortRuleMatchSchema.parse(r.match),
  suggest: sortRuleSuggestSchema.parse(r.suggest),
  updatedAt: new Date(r.updated_at).toISOString(),
  updatedByName: r.updated_by_name,
  version: r.version,
});

const RULE_COLUMNS = [
  'id',
  'name',
  'priority',
  'enabled',
  'match',
  'suggest',
  'updated_at',
  'updated_by_name',
  'version',
] as const;

export function createSortRuleService(ctx: AppContext) {
  const { db } = ctx;

  async function validate(input: { match?: SortRuleInput['match']; suggest?: SortRuleInput['suggest'] }) {
    const s = input.suggest;
    if (s) {
      checkDict(ctx, 'business_line', s.businessLine, 'suggest.businessLine', '业务条线');
      checkDict(ctx, 'category_12315', s.category12315, 'suggest.category12315', '12315 分类');
      if (s.departmentId !== undefined) {
        const d = await db
          .selectFrom('department')
          .select('id')
          .where('id', '=', s.departmentId)
          .executeTakeFirst();
        if (!d)
          throw new AppError('VALIDATION_FAILED', '建议的承办部门不存在', {
            details: [{ path: 'suggest.departmentId', message: '部门不存在' }],
          });
      }
      if (Object.values(s).every((v) => v === undefined)) {
        throw new AppError(
          'VALIDATION_FAILED',
          '规则至少要建议一项（类型、业务条线、12315 分类、去向或承办部门）',
          {
            details: [{ path: 'suggest', message: '至少建议一项' }],
          },
        );
      }
    }
  }

  return {
    async list(): Promise<SortRule[]> {
      const rows = await db
        .selectFrom('clue_sort_rule')
        .select(RULE_COLUMNS)
        .orderBy('priority', 'desc')
        .orderBy('id')
        .execute();
      return rows.map(toRule);
    },

    async create(actor: Actor, raw: SortRuleInput): Promise<SortRule> {
      const input = sortRuleInputSchema.parse(raw);
      await validate(input);
      const row = await db
        .insertInto('clue_sort_rule')
        .values({
          name: input.name,
          priority: input.priority,
          enabled: input.enabled,
          match: json(input.match),
          suggest: json(input.suggest),
          created_by: actor.id,
          created_by_name: actor.name,
          updated_by: actor.id,
          updated_by_name: actor.name,
        })
        .returning(RULE_COLUMNS)
        .executeTakeFirstOrThrow();
      invalidateSortRules();
      return toRule(row);
    },

    async update(actor: Actor, id: number, raw: SortRulePatch): Promise<SortRule> {
      const input = sortRulePatchSchema.parse(raw);
      await validate(input);
      const { version, ...rest } = input;
      const row = await db
        .updateTable('clue_sort_rule')
        .set({
          ...(rest.name !== undefined ? { name: rest.name } : {}),
          ...(rest.priority !== undefined ? { priority: rest.priority } : {}),
          ...(rest.enabled !== undefined ? { enabled: rest.enabled } : {}),
          ...(rest.match !== undefined ? { match: json(rest.match) } : {}),
          ...(rest.suggest !== undefined ? { suggest: json(rest.suggest) } : {}),
          updated_by: actor.id,
          updated_by_name: actor.name,
          updated_at: new Date(),
          version: version + 1,
        })
        .where('id', '=', id)
        .where('version', '=', version)
        .returning(RULE_COLUMNS)
        .executeTakeFirst();
      if (!row) {
        const exists = await db
          .selectFrom('clue_sort_rule')
          .select('id')
          .where('id', '=', id)
          .executeTakeFirst();
        if (!exists) throw notFound('分拣规则');
        throw new AppError('VERSION_CONFLICT', '规则已被他人修改，请刷新后重试');
      }
      invalidateSortRules();
      return toRule(row);
    },

    async remove(id: number): Promise<SortRule> {
      const row = await db
        .deleteFrom('clue_sort_rule')
        .where('id', '=', id)
        .returning(RULE_COLUMNS)
        .executeTakeFirst();
      if (!row) throw notFound('分拣规则');
      invalidateSortRules();
      return toRule(row);
    },
  };
}
