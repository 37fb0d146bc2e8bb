import type { ExchangeRun, ExchangeRunDetail, ExchangeRunPage } from '@rongjian/shared/api';
import ExcelJS from 'exceljs';
import type { Kysely, Selectable } from 'kysely';
import { neutraliseFormula } from '../../fusion/entities/entities.excel.ts';
import type { DB } from '../../platform/db/schema.ts';
import { notFound } from '../../platform/errors.ts';
import { DATASET_FIELDS } from './exchange.datasets.ts';
import type { ExchangeRunTable } from './exchange.tables.ts';

/** Row errors shown on the run page; the xlsx report holds all of them. */
const DETAIL_ERRORS = 200;
/** A report beyond this is not something a person reads; the file itself needs fixing first. */
const REPORT_MAX_ROWS = 100_000;

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

export function toRun(r: Selectable<ExchangeRunTable>): ExchangeRun {
  return {
    id: Number(r.id),
    source: r.source,
    fileName: r.file_name,
    sha256: r.sha256,
    startedAt: iso(r.started_at)!,
    finishedAt: iso(r.finished_at),
    rowsIn: r.rows_in,
    accepted: r.accepted,
    rejected: r.rejected,
    inserted: r.inserted,
    updated: r.updated,
    status: r.status,
    error: r.error,
    actorName: r.actor_name,
    duplicates: r.duplicates,
    known: r.known,
    queued: r.queued,
    newestRecordAt: iso(r.newest_record_at),
  };
}

export async function listRuns(
  db: Kysely<DB>,
  q: { source?: string; after?: number; limit: number },
): Promise<ExchangeRunPage> {
  let query = db
    .selectFrom('exchange_run')
    .selectAll()
    .orderBy('id', 'desc')
    .limit(q.limit + 1);
  if (q.source) query = query.where('source', '=', q.source);
  if (q.after) query = query.where('id', '<', q.after);
  const rows = (await query.execute()).map(toRun);
  const more = rows.length > q.limit;
  const items = rows.slice(0, q.limit);
  return { items, nextAfter: more ? items[items.length - 1]!.id : null };
}

async function findRun(db: Kysely<DB>, id: number) {
  const r = await db.selectFrom('exchange_run').selectAll().where('id', '=', id).executeTakeFirst();
  if (!r) throw notFound('导入批次');
  return r;
}

async function fieldLabels(db: Kysely<DB>, source: string): Promise<Map<string, string>> {
  const s = await db
    .selectFrom('exchange_source')
    .select('dataset')
    .where('name', '=', source)
    .executeTakeFirst();
  return new Map((s ? DATASET_FIELDS[s.dataset] : []).map((f) => [f.key, f.label]));
}

const share = (a: number, b: number) => (b === 0 ? 0 : Math.round((a / b) * 10000) / 10000);

/** Completeness (of all rows read) and validity (of the values present) per mapped field of one run. */
export function fieldQuality(r: Selectable<ExchangeRunTable>, labels: Map<string, string>) {
  return r.quality.map((q) => ({
    ...q,
    label: labels.get(q.field) ?? q.field,
    completeness: share(q.present, r.rows_in),
    validity: share(q.valid, q.present),
  }));
}

/** One run with, per mapped field, the share of rows that had a value and the share of those that were valid. */
export async function getRunDetail(db: Kysely<DB>, id: number): Promise<ExchangeRunDetail> {
  const r = await findRun(db, id);
  const labels = await fieldLabels(db, r.source);
  const errors = await db
    .selectFrom('exchange_run_error')
    .select(['row_no', 'field', 'reason', 'raw'])
    .where('run_id', '=', id)
    .orderBy('id')
    .limit(DETAIL_ERRORS)
    .execute();
  const { n } = await db
    .selectFrom('exchange_run_error')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('run_id', '=', id)
    .executeTakeFirstOrThrow();
  return {
    ...toRun(r),
    quality: fieldQuality(r, labels),
    errors: errors.map((e) => ({
      rowNo: e.row_no,
      field: e.field,
      fieldLabel: e.field ? (labels.get(e.field) ?? e.field) : null,
      reason: e.reason,
      raw: e.raw,
    })),
    errorTotal: Number(n),
  };
}

/** The row-level error report: row number, field, reason, then the row as it was in the file. */
export async function buildErrorReport(db: Kysely<DB>, id: number): Promise<Buffer> {
  const r = await findRun(db, id);
  const labels = await fieldLabels(db, r.source);
  const errors = await db
    .selectFrom('exchange_run_error')
    .select(['row_no', 'field', 'reason', 'raw'])
    .where('run_id', '=', id)
    .orderBy('id')
    .limit(REPORT_MAX_ROWS)
    .execute();
  // The file's own column order first (a row's `raw` comes back from jsonb in an order of its own), then any key
  // only some rows have (原始内容 of a line that could not be read).
  const present = new Set(errors.flatMap((e) => Object.keys(e.raw ?? {})));
  const columns = [...new Set([...(r.columns ?? []), ...present])].filter((c) => present.has(c));
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('错误明细');
  ws.columns = [
    { header: '行号', width: 8 },
    { header: '字段', width: 18 },
    { header: '错误原因', width: 50 },
    ...columns.map((c) => ({ header: neutraliseFormula(c), width: 20 })),
  ];
  for (let c = 2; c <= columns.length + 3; c++) ws.getColumn(c).numFmt = '@';
  ws.getRow(1).font = { bold: true };
  ws.views = [{ state: 'frozen', ySplit: 1 }];
  for (const e of errors) {
    const raw = e.raw ?? {};
    ws.addRow([
      e.row_no,
      e.field ? (labels.get(e.field) ?? e.field) : '整行',
      neutraliseFormula(e.reason),
      ...columns.map((c) => neutraliseFormula(String(raw[c] ?? ''))),
    ]);
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}
