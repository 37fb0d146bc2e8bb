import {
  editableFieldSchema,
  entityProvenanceSchema,
  matchPageSchema,
  mergePageSchema,
} from '@rongjian/shared/api';
import { z } from 'zod';
import type { AppContext } from '../../platform/context.ts';
import type { App } from '../../platform/http/app.ts';
import { requireUser } from '../../platform/http/auth-hooks.ts';
import { idParams, pageQuery } from '../../platform/org/org.schemas.ts';
import { adoptRecordValue, type ManualResult, setManualValue } from './resolution.manual.ts';
import { type MergeResult, mergeEntities, movedCounts, revertMerge } from './resolution.merge.ts';
import { entityProvenance, listMerges } from './resolution.provenance.ts';
import { confirmMatch, listMatches, rejectMatch } from './resolution.queue.ts';
import { fieldRulesSetting } from './resolution.settings.ts';

const TAGS = ['数据融合'];

const reason = z
  .string({ message: '请填写原因' })
  .trim()
  .min(2, '请填写原因（至少 2 个字）')
  .max(500, '原因最多 500 个字');
const note = z.string().trim().max(500, '备注最多 500 个字').default('');
const entityId = idParams.shape.id;

const mergeResult = z.object({
  mergeId: z.number(),
  survivor: z.object({ id: z.number(), name: z.string() }),
  absorbed: z.object({ id: z.number(), name: z.string() }),
});
const manualResult = z.object({
  field: editableFieldSchema,
  label: z.string(),
  before: z.unknown(),
  after: z.unknown(),
  inUse: z.boolean(),
});

function mergeSummary(verb: string, r: MergeResult, why: string): string {
  const c = movedCounts(r.moved);
  return (
    `${verb}：「${r.absorbed.name}」(#${r.absorbed.id}) 并入「${r.survivor.name}」(#${r.survivor.id})，合并记录 #${r.mergeId}；` +
    `来源记录 ${c.sourceRecords} 条、许可证 ${c.licences} 条、信用记录 ${c.creditRecords} 条、人员 ${c.persons} 人` +
    `${c.kept ? `（${c.kept} 条与存续主体重复，留在原主体）` : ''}；原因：${why}`
  );
}

const fieldSummary = (r: ManualResult, why: string) =>
  `人工维护“${r.label}”：${String(r.before ?? '（空）')} → ${String(r.after ?? '（空）')}${r.inUse ? '' : '（按融合规则，当前仍采用其他来源的值）'}；原因：${why}`;

/** 数据融合 (fusion/resolution): the merge queue, merges and un-merges, per-field provenance and manual values. */
export function registerFusionRoutes(app: App, ctx: AppContext): void {
  const rules = () => ctx.settings.get(fieldRulesSetting);
  const actorOf = (u: { id: number; displayName: string }) => ({ id: u.id, name: u.displayName });

  app.get(
    '/api/fusion/matches',
    {
      config: { policy: { permission: 'entity:match:read' } },
      schema: {
        tags: TAGS,
        summary: '主体合并待确认队列（两个主体都在数据权限内的才可见）',
        querystring: z.strictObject({
          status: z.enum(['pending', 'decided', 'confirmed', 'rejected']).default('pending'),
          ...pageQuery,
        }),
        response: { 200: matchPageSchema },
      },
    },
    async (req) => listMatches(ctx.db, requireUser(req), req.query),
  );

  app.post(
    '/api/fusion/matches/:id/confirm',
    {
      config: { policy: { permission: 'entity:match:review' } },
      schema: {
        tags: TAGS,
        summary: '确认为同一主体：合并（默认保留已有主体）',
        params: idParams,
        body: z.strictObject({ note, survivorId: entityId.optional() }),
        response: { 200: mergeResult },
      },
    },
    async (req) => {
      const user = requireUser(req);
      const r = await ctx.db.transaction().execute((tx) =>
        confirmMatch(tx, {
          matchId: req.params.id,
          survivorId: req.body.survivorId,
          note: req.body.note,
          actor: actorOf(user),
          viewer: user,
          rules: rules(),
        }),
      );
      req.auditDetail({
        objectType: 'entity',
        objectId: r.survivor.id,
        detail: mergeSummary(`确认待合并主体对 #${req.params.id}`, r, req.body.note || '确认为同一主体'),
      });
      return r;
    },
  );

  app.post(
    '/api/fusion/matches/:id/reject',
    {
      config: { policy: { permission: 'entity:match:review' } },
      schema: {
        tags: TAGS,
        summary: '驳回：不是同一主体，保持分开（不再提示）',
        params: idParams,
        body: z.strictObject({ note }),
      },
    },
    async (req, reply) => {
      const user = requireUser(req);
      const r = await ctx.db.transaction().execute((tx) =>
        rejectMatch(tx, {
          matchId: req.params.id,
          note: req.body.note,
          actor: actorOf(user),
          viewer: user,
        }),
      );
      req.auditDetail({
        objectType: 'entity_match',
        objectId: req.params.id,
        detail: `驳回待合并主体对 #${req.params.id}（主体 #${r.entityId} 与 #${r.candidateId} 不是同一主体）${req.body.note ? `；备注：${req.body.note}` : ''}`,
      });
      return reply.status(204).send();
    },
  );

  app.get(
    '/api/fusion/merges',
    {
      config: { policy: { permission: 'entity:match:read' } },
      schema: {
        tags: TAGS,
        summary: '合并记录（最新在前；可按主体筛选）',
        querystring: z.strictObject({ entityId: entityId.optional(), ...pageQuery }),
        response: { 200: mergePageSchema },
      },
    },
    async (req) => listMerges(ctx.db, requireUser(req), req.query),
  );

  app.post(
    '/api/fusion/merges',
    {
      config: { policy: { permission: 'entity:merge:execute' } },
      schema: {
        tags: TAGS,
        summary: '人工合并两个主体：absorbedId 并入 survivorId（须填写原因）',
        body: z.strictObject({ survivorId: entityId, absorbedId: entityId, reason }),
        response: { 200: mergeResult },
      },
    },
    async (req) => {
      const user = requireUser(req);
      const r = await ctx.db
        .transaction()
        .execute((tx) =>
          mergeEntities(tx, { ...req.body, actor: actorOf(user), viewer: user, rules: rules() }),
        );
      req.auditDetail({
        objectType: 'entity',
        objectId: r.survivor.id,
        detail: mergeSummary('合并主体', r, req.body.reason),
      });
      return r;
    },
  );

  app.post(
    '/api/fusion/merges/:id/revert',
    {
      config: { policy: { permission: 'entity:merge:revert' } },
      schema: {
        tags: TAGS,
        summary: '撤销合并：把合并时移动的记录原样移回（须按合并的相反顺序撤销）',
        params: idParams,
        body: z.strictObject({ reason }),
        response: { 200: mergeResult },
      },
    },
    async (req) => {
      const user = requireUser(req);
      const r = await ctx.db.transaction().execute((tx) =>
        revertMerge(tx, {
          mergeId: req.params.id,
          reason: req.body.reason,
          actor: actorOf(user),
          viewer: user,
          rules: rules(),
        }),
      );
      req.auditDetail({
        objectType: 'entity',
        objectId: r.absorbed.id,
        detail: mergeSummary('撤销合并', r, req.body.reason),
      });
      return r;
    },
  );

  app.get(
    '/api/fusion/entities/:id/provenance',
    {
      config: { policy: { permission: 'entity:profile:read' } },
      schema: {
        tags: TAGS,
        summary: '一户一档字段来源：每个登记字段的值、来源、批次、时间、融合规则、其他来源的不同值、合并记录',
        params: idParams,
        response: { 200: entityProvenanceSchema },
      },
    },
    async (req) => entityProvenance(ctx.db, requireUser(req), req.params.id, rules()),
  );

  app.put(
    '/api/fusion/entities/:id/fields',
    {
      config: { policy: { permission: 'entity:profile:update' } },
      schema: {
        tags: TAGS,
        summary: '人工维护一个登记字段（来源“人工维护”，须填写原因）',
        params: idParams,
        body: z.strictObject({
          field: editableFieldSchema,
          value: z.union([z.string().max(4000, '值最多 4000 个字'), z.number()]),
          reason,
        }),
        response: { 200: manualResult },
      },
    },
    async (req) => {
      const user = requireUser(req);
      const r = await ctx.db.transaction().execute((tx) =>
        setManualValue(tx, {
          entityId: req.params.id,
          ...req.body,
          actor: actorOf(user),
          viewer: user,
          rules: rules(),
        }),
      );
      req.auditDetail({
        objectType: 'entity',
        objectId: req.params.id,
        before: { [r.field]: r.before },
        after: { [r.field]: r.after },
        detail: fieldSummary(r, req.body.reason),
      });
      return r;
    },
  );

  app.post(
    '/api/fusion/entities/:id/fields/adopt',
    {
      config: { policy: { permission: 'entity:profile:update' } },
      schema: {
        tags: TAGS,
        summary: '采用某条来源记录的值作为人工维护值（须填写原因）',
        params: idParams,
        body: z.strictObject({ field: editableFieldSchema, recordId: entityId, reason }),
        response: { 200: manualResult },
      },
    },
    async (req) => {
      const user = requireUser(req);
      const r = await ctx.db.transaction().execute((tx) =>
        adoptRecordValue(tx, {
          entityId: req.params.id,
          ...req.body,
          actor: actorOf(user),
          viewer: user,
          rules: rules(),
        }),
      );
      req.auditDetail({
        objectType: 'entity',
        objectId: req.params.id,
        before: { [r.field]: r.before },
        after: { [r.field]: r.after },
        detail: fieldSummary(r, `采用来源记录 #${req.body.recordId} 的值：${req.body.reason}`),
      });
      return r;
    },
  );
}
