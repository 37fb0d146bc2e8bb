import {
  CLUE_KIND_LABELS,
  type RefusalGround,
  type RefusalGroundInput,
  refusalGroundInputSchema,
  refusalGroundPatchSchema,
} from '@rongjian/shared/api';
import type { Kysely, Transaction } from 'kysely';
import type { AppContext } from '../../platform/context.ts';
import type { DB } from '../../platform/db/schema.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { registerClueHooks } from './clues.hooks.ts';

type Executor = Kysely<DB> | Transaction<DB>;

/**
 * 不予受理 grounds are dictionary data with effective dates (Order 20 Art.15 until 2026-04-14, Order 121 Art.16
 * from 2026-04-15). A refusal must cite a ground in force on the clue's receipt day.
 *
 * Only a 投诉 is "不予受理" in the legal sense: a 举报 is not accepted or refused but verified and then 立案 or not
 * (a later decision of analysis/enforcement), a 咨询 or 建议 is answered. The `reject` action is therefore refused for
 * every kind but `complaint`; the other kinds use 直接办结, 转研判 or 转办.
 */
export const REFUSABLE_KINDS = ['complaint'] as const;

type GroundRow = {
  id: number;
  code: string;
  regulation: string;
  article: string;
  label: string;
  note: string;
  effective_from: string;
  effective_to: string | null;
  sort: number;
  enabled: boolean;
};

const toGround = (r: GroundRow): RefusalGround => ({
  id: Number(r.id),
  code: r.code,
  regulation: r.regulation,
  article: r.article,
  label: r.label,
  note: r.note,
  effectiveFrom: r.effective_from,
  effectiveTo: r.effective_to,
  sort: r.sort,
  enabled: r.enabled,
});

const COLUMNS = [
  'id',
  'code',
  'regulation',
  'article',
  'label',
  'note',
  'effective_from',
  'effective_to',
  'sort',
  'enabled',
] as const;

export const inForce = (g: { effective_from: string; effective_to: string | null }, day: string) =>
  g.effective_from <= day && (g.effective_to === null || g.effective_to >= day);

export async function refusalGrounds(
  db: Executor,
  opts: { day?: string; includeDisabled?: boolean } = {},
): Promise<RefusalGround[]> {
  let q = db.selectFrom('clue_refusal_ground').select(COLUMNS);
  if (!opts.includeDisabled) q = q.where('enabled', '=', true);
  if (opts.day) {
    const day = opts.day;
    q = q
      .where('effective_from', '<=', day)
      .where((eb) => eb.or([eb('effective_to', 'is', null), eb('effective_to', '>=', day)]));
  }
  const rows = await q.orderBy('sort').orderBy('id').execute();
  return rows.map(toGround);
}

function checkPeriod(from: string | undefined, to: string | null | undefined) {
  if (from !== undefined && to !== undefined && to !== null && to < from) {
    throw new AppError('VALIDATION_FAILED', '失效日期不能早于生效日期', {
      details: [{ path: 'effectiveTo', message: '不能早于生效日期' }],
    });
  }
}

export function createRefusalGroundService(ctx: AppContext) {
  const { db } = ctx;
  return {
    list: (opts: { day?: string; includeDisabled?: boolean }) => refusalGrounds(db, opts),

    async create(raw: RefusalGroundInput): Promise<RefusalGround> {
      const input = refusalGroundInputSchema.parse(raw);
      checkPeriod(input.effectiveFrom, input.effectiveTo);
      const exists = await db
        .selectFrom('clue_refusal_ground')
        .select('id')
        .where('code', '=', input.code)
        .executeTakeFirst();
      if (exists) {
        throw new AppError('CONFLICT', `编码“${input.code}”已存在`, {
          details: [{ path: 'code', message: '编码已存在' }],
        });
      }
      const row = await db
        .insertInto('clue_refusal_ground')
        .values({
          code: input.code,
          regulation: input.regulation,
          article: input.article,
          label: input.label,
          note: input.note,
          effective_from: input.effectiveFrom,
          effective_to: input.effectiveTo,
          sort: input.sort,
          enabled: input.enabled,
        })
        .returning(COLUMNS)
        .executeTakeFirstOrThrow();
      return toGround(row);
    },

    async update(id: number, raw: unknown): Promise<RefusalGround> {
      const input = refusalGroundPatchSchema.parse(raw);
      const current = await db
        .selectFrom('clue_refusal_ground')
        .select(COLUMNS)
        .where('id', '=', id)
        .executeTakeFirst();
      if (!current) throw notFound('不予受理理由');
      checkPeriod(
        input.effectiveFrom ?? current.effective_from,
        input.effectiveTo === undefined ? current.effective_to : input.effectiveTo,
      );
      const row = await db
        .updateTable('clue_refusal_ground')
        .set({
          ...(input.regulation !== undefined ? { regulation: input.regulation } : {}),
          ...(input.article !== undefined ? { article: input.article } : {}),
          ...(input.label !== undefined ? { label: input.label } : {}),
          ...(input.note !== undefined ? { note: input.note } : {}),
          ...(input.effectiveFrom !== undefined ? { effective_from: input.effectiveFrom } : {}),
          ...(input.effectiveTo !== undefined ? { effective_to: input.effectiveTo } : {}),
          ...(input.sort !== undefined ? { sort: input.sort } : {}),
          ...(input.enabled !== undefined ? { enabled: input.enabled } : {}),
          updated_at: new Date(),
        })
        .where('id', '=', id)
        .returning(COLUMNS)
        .executeTakeFirstOrThrow();
      return toGround(row);
    },

    /** A ground already cited by a refusal is kept (the record must still explain itself): disable it instead. */
    async remove(id: number): Promise<RefusalGround> {
      const current = await db
        .selectFrom('clue_refusal_ground')
        .select(COLUMNS)
        .where('id', '=', id)
        .executeTakeFirst();
      if (!current) throw notFound('不予受理理由');
      const used = await db
        .selectFrom('clue')
        .select('id')
        .where('status', '=', 'rejected')
        .where((eb) => eb(eb.ref('resolution', '->>').key('groundCode' as never), '=', current.code))
        .limit(1)
        .executeTakeFirst();
      if (used) {
        throw new AppError('CONFLICT', '该理由已被不予受理的线索引用，不能删除，可停用');
      }
      await db.deleteFrom('clue_refusal_ground').where('id', '=', id).execute();
      return toGround(current);
    },
  };
}

registerClueHooks({
  name: 'refusal',
  actions: {
    async reject(tx, _ctx, { clue, input }) {
      if (!(REFUSABLE_KINDS as readonly string[]).includes(clue.kind)) {
        throw new AppError(
          'VALIDATION_FAILED',
          `${CLUE_KIND_LABELS[clue.kind]}不适用“不予受理”（仅投诉可不予受理）：举报请转研判或转办，咨询、建议请直接答复`,
          { details: [{ path: 'action', message: '仅投诉可不予受理' }] },
        );
      }
      const code = input.groundCode ?? '';
      const g = await tx
        .selectFrom('clue_refusal_ground')
        .select(COLUMNS)
        .where('code', '=', code)
        .where('enabled', '=', true)
        .executeTakeFirst();
      if (!g) {
        throw new AppError('VALIDATION_FAILED', '不予受理理由不存在或已停用', {
          details: [{ path: 'groundCode', message: '理由无效' }],
        });
      }
      if (!inForce(g, clue.receipt_day)) {
        throw new AppError(
          'VALIDATION_FAILED',
          `该理由（${g.regulation}${g.article}）的适用期间为 ${g.effective_from} 至 ${g.effective_to ?? '今'}，线索收到日期 ${clue.receipt_day} 不在其内，请选择收到当日有效的理由`,
          { details: [{ path: 'groundCode', message: '收到当日该理由未施行或已失效' }] },
        );
      }
      const refusal = { code: g.code, label: g.label, article: g.article, regulation: g.regulation };
      return {
        resolution: { groundCode: g.code, groundLabel: g.label, refusal },
        payload: { groundCode: g.code, groundLabel: g.label, article: g.article, regulation: g.regulation },
      };
    },
  },
});
