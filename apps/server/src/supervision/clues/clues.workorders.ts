import {
  type ClueIntakeInput,
  clueIntakeSchema,
  PHONE_RE,
  WORK_ORDER_FIELDS,
  type WorkOrderImportResult,
  type WorkOrderRun,
  type WorkOrderSource,
  type WorkOrderSourceUpdate,
} from '@rongjian/shared/api';
import type { Kysely, Selectable, Transaction } from 'kysely';
import type { AppContext } from '../../platform/context.ts';
import { json } from '../../platform/db/json.ts';
import type { DB } from '../../platform/db/schema.ts';
import { AppError } from '../../platform/errors.ts';
import type { Actor } from '../../platform/ledger/ledger.service.ts';
import { maskPii } from '../../platform/pii/pii.vault.ts';
import { parseDateTime } from '../../support/exchange/exchange.checks.ts';
import { cellOf, ExchangeFileError, openRows, scanFile } from '../../support/exchange/exchange.files.ts';
import { createClueService } from './clues.service.ts';
import type {
  WorkOrderRowError,
  WorkOrderRunTable,
  WorkOrderSourceTable,
} from './clues.workorders.tables.ts';

/** An export larger than this is split by the sender (a day's orders of a county are far below it). */
export const MAX_WORKORDER_FILE_BYTES = 20 * 1024 * 1024;
/** Orders in one signed push. */
export const MAX_PUSH_ORDERS = 100;

type SourceRow = Selectable<WorkOrderSourceTable>;
const FIELD_LABEL = new Map<string, string>(WORK_ORDER_FIELDS.map((f) => [f.key, f.label]));
/** Intake fields → our work-order fields, to name the column of a validation problem. */
const INTAKE_PATH_FIELD: Record<string, string> = {
  kind: 'kind',
  content: 'content',
  request: 'request',
  receivedAt: 'receivedAt',
  address: 'address',
  businessLine: 'businessLine',
  category12315: 'category',
  'complainant.name': 'complainantName',
  'complainant.phone': 'complainantPhone',
  'respondent.name': 'respondentName',
  'respondent.address': 'respondentAddress',
};
/** Columns of a source that hold personal data: masked in stored error rows. */
const PII_FIELDS: Record<string, 'name' | 'phone'> = { complainantName: 'name', complainantPhone: 'phone' };

export function toSourceApi(s: SourceRow): WorkOrderSource {
  return {
    code: s.code as WorkOrderSource['code'],
    name: s.name,
    fieldMapping: s.field_mapping,
    valueMapping: s.value_mapping,
    hasSecret: s.push_secret_enc !== null,
    outboundUrl: s.outbound_url,
    outboundEnabled: s.outbound_enabled,
    updatedAt: new Date(s.updated_at).toISOString(),
  };
}

export async function getSource(db: Kysely<DB> | Transaction<DB>, code: string): Promise<SourceRow> {
  const s = await db.selectFrom('workorder_source').selectAll().where('code', '=', code).executeTakeFirst();
  if (!s) throw new AppError('NOT_FOUND', `工单来源“${code}”不存在`);
  return s;
}

export async function listSources(db: Kysely<DB>): Promise<SourceRow[]> {
  return db.selectFrom('workorder_source').selectAll().orderBy('code').execute();
}

/** Change a source's mappings, keys or push-back settings; returns before and after (for the audit record). */
export async function updateSource(
  ctx: Pick<AppContext, 'db' | 'pii'>,
  code: string,
  input: WorkOrderSourceUpdate,
): Promise<{ before: SourceRow; after: SourceRow }> {
  return ctx.db.transaction().execute(async (tx) => {
    const before = await tx
      .selectFrom('workorder_source')
      .selectAll()
      .where('code', '=', code)
      .forUpdate()
      .executeTakeFirst();
    if (!before) throw new AppError('NOT_FOUND', `工单来源“${code}”不存在`);
    if (input.fieldMapping) {
      const unknown = Object.keys(input.fieldMapping).filter((k) => !FIELD_LABEL.has(k));
      if (unknown.length) {
        throw new AppError('VALIDATION_FAILED', `未知的工单字段：${unknown.join('、')}`);
      }
      const missing = WORK_ORDER_FIELDS.filter((f) => f.required && !input.fieldMapping?.[f.key]);
      if (missing.length) {
        throw new AppError(
          'VALIDATION_FAILED',
          `必须为以下字段指定列名：${missing.map((f) => f.label).join('、')}`,
          { details: missing.map((f) => ({ path: `fieldMapping.${f.key}`, message: '必填' })) },
        );
      }
    }
    const outboundUrl = input.outboundUrl === undefined ? before.outbound_url : input.outboundUrl;
    const outboundEnabled = input.outboundEnabled ?? before.outbound_enabled;
    if (outboundEnabled && !outboundUrl) {
      throw new AppError('VALIDATION_FAILED', '启用结果回推前请填写回推地址', {
        details: [{ path: 'outboundUrl', message: '必填' }],
      });
    }
    const hasSecret = input.secret === undefined ? before.push_secret_enc !== null : input.secret !== null;
    if (outboundEnabled && !hasSecret) {
      throw new AppError('VALIDATION_FAILED', '启用结果回推前请设置签名密钥', {
        details: [{ path: 'secret', message: '必填' }],
      });
    }
    const after = await tx
      .updateTable('workorder_source')
      .set({
        ...(input.name ? { name: input.name } : {}),
        ...(input.fieldMapping ? { field_mapping: json(input.fieldMapping) } : {}),
        ...(input.valueMapping ? { value_mapping: json(input.valueMapping) } : {}),
        ...(input.secret === undefined
          ? {}
          : { push_secret_enc: input.secret === null ? null : ctx.pii.encrypt('secret', input.secret) }),
        outbound_url: outboundUrl,
        outbound_enabled: outboundEnabled,
        updated_at: new Date(),
      })
      .where('code', '=', code)
      .returningAll()
      .executeTakeFirstOrThrow();
    return { before, after };
  });
}

export interface ParsedOrder {
  orderNo: string;
  intake: ClueIntakeInput;
  warnings: { field: string; reason: string }[];
}
export type ParseOutcome =
  | { ok: true; order: ParsedOrder }
  | { ok: false; orderNo: string | null; field: string | null; reason: string };

const YES = new Set(['是', 'Y', 'y', 'yes', 'true', '1', '保密']);

/**
 * One work order (their column → value) → a clue intake, or the reason it cannot be one. A malformed phone number
 * does not reject the order (the complaint still stands): the number is dropped with a warning.
 */
export function parseOrder(source: SourceRow, record: Record<string, string>): ParseOutcome {
  const get = (field: string) => {
    const col = source.field_mapping[field];
    if (!col) return '';
    return (record[col] ?? '').trim();
  };
  const orderNo = get('orderNo');
  const fail = (field: string | null, reason: string): ParseOutcome => ({
    ok: false,
    orderNo: orderNo || null,
    field,
    reason,
  });
  if (!orderNo) return fail('orderNo', '缺少工单编号');
  if (orderNo.length > 64 || !/^[\w\-./]+$/.test(orderNo))
    return fail('orderNo', `工单编号“${orderNo.slice(0, 64)}”格式不正确`);
  const kindLabel = get('kind');
  if (!kindLabel) return fail('kind', '缺少诉求类型');
  const kind = source.value_mapping[kindLabel];
  if (!kind)
    return fail(
      'kind',
      `诉求类型“${kindLabel.slice(0, 20)}”无法对应线索类型（可在工单对接页的取值映射中添加）`,
    );
  const receivedText = get('receivedAt');
  if (!receivedText) return fail('receivedAt', '缺少登记时间');
  const receivedAt = parseDateTime(receivedText);
  if (!receivedAt) return fail('receivedAt', `登记时间“${receivedText.slice(0, 30)}”不是有效的日期时间`);
  if (Date.parse(receivedAt) > Date.now() + 5 * 60_000) return fail('receivedAt', '登记时间晚于当前时间');

  const warnings: ParsedOrder['warnings'] = [];
  const name = get('complainantName');
  let phone: string | undefined = get('complainantPhone').replace(/[\s()（）]/g, '') || undefined;
  if (phone && !PHONE_RE.test(phone)) {
    warnings.push({ field: 'complainantPhone', reason: '联系电话格式不正确，已忽略该号码（线索照常登记）' });
    phone = undefined;
  }
  const respondentName = get('respondentName');
  const respondentAddress = get('respondentAddress');
  const intake: ClueIntakeInput = {
    kind: kind as ClueIntakeInput['kind'],
    channel: source.code as ClueIntakeInput['channel'],
    content: get('content'),
    receivedAt,
    ...(get('request') ? { request: get('request') } : {}),
    ...(get('category') ? { category12315: get('category') } : {}),
    ...(get('businessLine') ? { businessLine: get('businessLine') } : {}),
    ...(get('address') ? { address: get('address') } : {}),
    ...(respondentName || respondentAddress
      ? { respondent: { name: respondentName, address: respondentAddress } }
      : {}),
    ...(name ? { complainant: { name, ...(phone ? { phone } : {}), realName: true } } : { anonymous: true }),
    confidential: kind === 'report' && YES.has(get('confidential')),
  };
  const parsed = clueIntakeSchema.safeParse(intake);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const path = issue.path.join('.');
    const field = INTAKE_PATH_FIELD[path] ?? null;
    const label = field ? FIELD_LABEL.get(field) : null;
    return fail(field, label ? `${label}：${issue.message}` : issue.message);
  }
  return { ok: true, order: { orderNo, intake, warnings } };
}

/** A row as the error report shows it, personal data masked (the run record keeps no plain names or numbers). */
function safeRaw(source: SourceRow, record: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  const piiCols = new Map<string, 'name' | 'phone'>();
  for (const [field, kind] of Object.entries(PII_FIELDS)) {
    const col = source.field_mapping[field];
    if (col) piiCols.set(col, kind);
  }
  for (const [k, v] of Object.entries(record)) {
    const kind = piiCols.get(k);
    const text = String(v ?? '').slice(0, 500);
    out[k] = kind && text.trim() ? maskPii(kind, text.trim()) : text;
  }
  return out;
}

export interface ApplyOutcome {
  results: { orderNo: string; clueNumber: string; created: boolean }[];
}

/**
 * Raise the clues of parsed orders inside `tx`, idempotent by (source, order number): an order already known (or
 * met earlier in the same batch) is reported with its clue and `created: false`.
 */
export async function applyOrders(
  tx: Transaction<DB>,
  ctx: AppContext,
  source: SourceRow,
  orders: ParsedOrder[],
  actor: Actor,
): Promise<ApplyOutcome> {
  const service = createClueService(ctx);
  const nos = [...new Set(orders.map((o) => o.orderNo))];
  const known = new Set(
    nos.length === 0
      ? []
      : (
          await tx
            .selectFrom('clue')
            .select('external_no')
            .where('external_source', '=', source.code)
            .where('external_no', 'in', nos)
            .execute()
        ).map((r) => r.external_no as string),
  );
  const results: ApplyOutcome['results'] = [];
  for (const o of orders) {
    const created = !known.has(o.orderNo);
    const clue = await service.intake(clueIntakeSchema.parse(o.intake), {
      actor,
      status: 'sorting',
      external: { source: source.code, no: o.orderNo },
      tx,
    });
    known.add(o.orderNo);
    results.push({ orderNo: o.orderNo, clueNumber: clue.number, created });
  }
  return { results };
}

export function toRunApi(r: Selectable<WorkOrderRunTable>): WorkOrderRun {
  return {
    id: Number(r.id),
    source: r.source,
    fileName: r.file_name,
    sha256: r.sha256,
    rowsIn: r.rows_in,
    created: r.created,
    existing: r.existing,
    rejected: r.rejected,
    warnings: r.warnings,
    actorName: r.actor_name,
    startedAt: new Date(r.started_at).toISOString(),
    finishedAt: r.finished_at ? new Date(r.finished_at).toISOString() : null,
  };
}

/**
 * Import one exported work-order file (XLSX, or CSV in UTF-8 or GBK, read by the exchange module's readers): one
 * transaction per batch of rows, a run record with the counts and every row's problem (personal data masked).
 */
export async function importWorkOrders(
  ctx: AppContext,
  input: { code: string; fileName: string; data: Buffer; actor: Actor },
): Promise<WorkOrderImportResult> {
  const source = await getSource(ctx.db, input.code);
  if (input.data.length > MAX_WORKORDER_FILE_BYTES) {
    throw new AppError('PAYLOAD_TOO_LARGE', '文件超过 20 MB，请拆分后分批导入');
  }
  const file = { data: input.data };
  let scan: Awaited<ReturnType<typeof scanFile>>;
  try {
    scan = await scanFile(file);
  } catch (err) {
    if (err instanceof ExchangeFileError) throw new AppError('VALIDATION_FAILED', err.message);
    throw err;
  }
  if (scan.format === 'jsonl')
    throw new AppError('VALIDATION_FAILED', '请上传 XLSX 或 CSV 格式的工单导出文件');
  const errors: WorkOrderRowError[] = [];
  let rowsIn = 0;
  let created = 0;
  let existing = 0;
  let rejected = 0;
  try {
    const reader = await openRows(file, scan);
    let headerChecked = false;
    for await (const batch of reader.batches()) {
      if (!headerChecked) {
        headerChecked = true;
        const have = new Set(reader.columns);
        const missing = WORK_ORDER_FIELDS.filter(
          (f) => f.required && !have.has(source.field_mapping[f.key] ?? ''),
        );
        if (missing.length) {
          throw new AppError(
            'VALIDATION_FAILED',
            `文件缺少必需的列：${missing.map((f) => `“${source.field_mapping[f.key] ?? f.label}”（${f.label}）`).join('、')}。请核对字段映射或导出模板`,
          );
        }
      }
      const good: { rowNo: number; order: ParsedOrder }[] = [];
      for (const row of batch) {
        rowsIn++;
        const record: Record<string, string> = {};
        for (const [i, c] of reader.columns.entries()) record[c] = row.cells[i] ?? '';
        if (row.problem) {
          rejected++;
          errors.push({
            rowNo: row.rowNo,
            orderNo: null,
            field: null,
            reason: row.problem,
            level: 'error',
            raw: safeRaw(source, record),
          });
          continue;
        }
        const p = parseOrder(source, record);
        if (!p.ok) {
          rejected++;
          errors.push({
            rowNo: row.rowNo,
            orderNo: p.orderNo,
            field: p.field,
            reason: p.reason,
            level: 'error',
            raw: safeRaw(source, record),
          });
          continue;
        }
        for (const w of p.order.warnings) {
          errors.push({
            rowNo: row.rowNo,
            orderNo: p.order.orderNo,
            field: w.field,
            reason: w.reason,
            level: 'warning',
            raw: safeRaw(source, record),
          });
        }
        good.push({ rowNo: row.rowNo, order: p.order });
      }
      if (good.length === 0) continue;
      const out = await ctx.db.transaction().execute((tx) =>
        applyOrders(
          tx,
          ctx,
          source,
          good.map((g) => g.order),
          input.actor,
        ),
      );
      for (const [i, r] of out.results.entries()) {
        if (r.created) created++;
        else {
          existing++;
          errors.push({
            rowNo: good[i]!.rowNo,
            orderNo: r.orderNo,
            field: 'orderNo',
            reason: `已存在：该工单已登记为线索 ${r.clueNumber}，未重复导入`,
            level: 'warning',
            raw: {},
          });
        }
      }
    }
  } catch (err) {
    if (err instanceof ExchangeFileError) throw new AppError('VALIDATION_FAILED', err.message);
    throw err;
  }
  const run = await ctx.db
    .insertInto('workorder_run')
    .values({
      source: source.code,
      file_name: input.fileName.slice(0, 200),
      sha256: scan.sha256,
      rows_in: rowsIn,
      created,
      existing,
      rejected,
      warnings: errors.filter((e) => e.level === 'warning').length - existing,
      errors: json(errors),
      actor_id: input.actor.id,
      actor_name: input.actor.name,
      finished_at: new Date(),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return {
    ...toRunApi(run),
    errors: errors.slice(0, 100).map(({ raw: _raw, ...e }) => e),
  };
}

export { cellOf };
