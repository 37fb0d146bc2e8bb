import { checkUscc } from '@rongjian/shared';
import { type EditableField, FUSED_FIELD_LABELS } from '@rongjian/shared/api';
import { sql, type Transaction } from 'kysely';
import { z } from 'zod';
import type { SessionUser } from '../../platform/auth/auth.service.ts';
import { inDataScope } from '../../platform/auth/data-scope.ts';
import { json } from '../../platform/db/json.ts';
import type { DB } from '../../platform/db/schema.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { type Actor, appendEvent } from '../../platform/ledger/ledger.service.ts';
import { FUSED_FIELDS } from './resolution.fuse.ts';
import type { FieldRules } from './resolution.settings.ts';
import { loadColumns, MANUAL_SOURCE, refuseEntities } from './resolution.write.ts';

/**
 * 人工维护: a value a person sets on the profile is a record of the source `manual` (rank 0), one record per entity
 * and field, fused like any other under the field's rule. Adopting another source's value is the same, with a note.
 */
type Tx = Transaction<DB>;
type Viewer = Pick<SessionUser, 'id' | 'scope'>;

const today = () => new Date().toISOString().slice(0, 10);
const text = (label: string, max: number) =>
  z.string().trim().min(1, `${label}不能为空`).max(max, `${label}最多 ${max} 个字`);

const VALUE_SCHEMAS: Record<EditableField, z.ZodType<string>> = {
  uscc: z
    .string()
    .trim()
    .toUpperCase()
    .superRefine((v, ctx) => {
      const r = checkUscc(v);
      if (!r.valid) ctx.addIssue({ code: 'custom', message: `统一社会信用代码无效：${r.reason}` });
    }),
  name: text('名称', 200),
  type: z.enum(['enterprise', 'individual', 'cooperative'], {
    message: '主体类型应为企业、个体工商户或农民专业合作社',
  }),
  address: text('住所', 500),
  regionCode: z
    .string()
    .trim()
    .regex(/^\d{6}$/, '行政区划代码应为 6 位数字'),
  establishedOn: z
    .string()
    .trim()
    .regex(/^\d{4}-\d{2}-\d{2}$/, '成立日期格式应为 YYYY-MM-DD')
    .refine(
      (d) => !Number.isNaN(Date.parse(d)) && new Date(d).toISOString().startsWith(d),
      '成立日期不是有效日期',
    )
    .refine((d) => d <= today(), '成立日期不能晚于今天'),
  status: text('登记状态', 40),
  businessScope: text('经营范围', 4000),
};

/** A typed value for `field`, or a VALIDATION_FAILED naming the problem. */
export function parseFieldValue(field: EditableField, value: unknown): string {
  const r = VALUE_SCHEMAS[field].safeParse(typeof value === 'number' ? String(value) : value);
  if (r.success) return r.data;
  const message = r.error.issues[0]?.message ?? `${FUSED_FIELD_LABELS[field]}的值无效`;
  throw new AppError('VALIDATION_FAILED', message, { details: [{ path: 'value', message }] });
}

async function lockEntity(tx: Tx, viewer: Viewer, id: number) {
  const e = await tx
    .selectFrom('entity as e')
    .select(['e.id', 'e.name', 'e.uscc', 'e.station_id', 'e.merged_into'])
    .where('e.id', '=', id)
    .where((eb) => inDataScope(eb, viewer, { department: 'e.station_id' }))
    .forUpdate()
    .executeTakeFirst();
  if (!e) throw notFound('经营主体');
  if (e.merged_into !== null) {
    throw new AppError('MERGE_REFUSED', `主体「${e.name}」已被合并，请在合并后的主体上修改`, { status: 409 });
  }
  return e;
}

export interface ManualInput {
  entityId: number;
  field: EditableField;
  value: unknown;
  reason: string;
  actor: Actor;
  viewer: Viewer;
  rules: FieldRules;
  /** Stored with the value (e.g. which source's value was adopted); defaults to the reason. */
  note?: string;
}

export interface ManualResult {
  field: EditableField;
  label: string;
  before: unknown;
  after: unknown;
  /** The person's value is the one in use now (under 最新 a newer delivery may later replace it). */
  inUse: boolean;
}

export async function setManualValue(tx: Tx, input: ManualInput): Promise<ManualResult> {
  const { field } = input;
  const value = parseFieldValue(field, input.value);
  const e = await lockEntity(tx, input.viewer, input.entityId);
  const column = FUSED_FIELDS.find((f) => f.key === field)!.column;
  if (field === 'uscc') {
    const own = e.uscc?.trim() || null;
    if (own && own !== value) {
      throw new AppError(
        'MERGE_REFUSED',
        `该主体已有统一社会信用代码 ${own}；不同的代码属于不同的法人，不能改为 ${value}`,
        { status: 409 },
      );
    }
    const holder = await tx
      .selectFrom('entity')
      .select(['id', 'name'])
      .where(sql`uscc`, '=', sql`${value}::char(18)`)
      .where('id', '<>', e.id)
      .executeTakeFirst();
    if (holder) {
      throw new AppError(
        'CONFLICT',
        `统一社会信用代码 ${value} 已属于主体「${holder.name}」（编号 ${holder.id}）；如为同一主体，请合并`,
      );
    }
  }
  const before = (await loadColumns(tx, [e.id])).get(Number(e.id))!;
  await tx
    .insertInto('entity_source_record')
    .values({
      source: MANUAL_SOURCE,
      source_key: `${e.id}:${field}`,
      entity_id: e.id,
      run_id: null,
      fields: json({ [field]: value }),
      match_method: 'manual',
      actor_name: input.actor.name,
      note: input.note ?? input.reason,
    })
    .onConflict((oc) =>
      oc.columns(['source', 'source_key']).doUpdateSet({
        fields: json({ [field]: value }),
        received_at: sql`now()`,
        actor_name: input.actor.name,
        note: input.note ?? input.reason,
      }),
    )
    .execute();
  await refuseEntities(tx, [e.id], input.rules);
  const after = (await loadColumns(tx, [e.id])).get(Number(e.id))!;
  const label = FUSED_FIELD_LABELS[field];
  const result = {
    field,
    label,
    before: before[column],
    after: after[column],
    inUse: after.provenance[field]?.source === MANUAL_SOURCE,
  };
  await appendEvent(tx, {
    actor: input.actor,
    subjectType: 'entity',
    subjectId: e.id,
    departmentId: e.station_id,
    kind: 'entity.field.corrected',
    payload: { ...result, value, reason: input.reason },
  });
  return result;
}

/** 采用此值: make another record's value of `field` the person's value. */
export async function adoptRecordValue(
  tx: Tx,
  input: Omit<ManualInput, 'value' | 'note'> & { recordId: number },
): Promise<ManualResult> {
  const r = await tx
    .selectFrom('entity_source_record as r')
    .innerJoin('exchange_source as s', 's.name', 'r.source')
    .select(['r.fields', 's.label', 'r.run_id'])
    .where('r.id', '=', input.recordId)
    .where('r.entity_id', '=', input.entityId)
    .executeTakeFirst();
  if (!r) throw notFound('来源记录');
  const value = r.fields[input.field];
  if (value === null || value === undefined || value === '') {
    throw new AppError('VALIDATION_FAILED', `该来源记录没有“${FUSED_FIELD_LABELS[input.field]}”的值`);
  }
  const run = r.run_id === null ? '' : `（批次 #${r.run_id}）`;
  return setManualValue(tx, { ...input, value, note: `采用「${r.label}」${run}的值：${input.reason}` });
}
