import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { AppContext } from '../../platform/context.ts';
import { json } from '../../platform/db/json.ts';
import type { DB } from '../../platform/db/schema.ts';
import { AppError } from '../../platform/errors.ts';
import { type Actor, appendEvent } from '../../platform/ledger/ledger.service.ts';
import { DATASET_FIELDS, getSource } from './exchange.connector.ts';
import { ExchangeFileError, readExchangeFile } from './exchange.files.ts';
import type { QualityFigure } from './exchange.tables.ts';
import { type RowError, validateRegistration } from './exchange.validate.ts';
import { applyRegistrations } from '../../fusion/resolution/resolution.apply.ts';

/** Rows per upsert statement and per transaction: a failure loses at most one batch, never half of one. */
const BATCH = 500;

export interface ImportInput {
  source: string;
  fileName: string;
  data: Buffer;
  actor: Actor;
  ip?: string | null;
  onProgress?: (done: number, total: number) => void;
}

export interface ImportOutcome {
  runId: number;
  status: 'succeeded' | 'failed';
  rowsIn: number;
  accepted: number;
  rejected: number;
  inserted: number;
  updated: number;
  error: string | null;
  /** An earlier successful run of the same source read a file with the same sha256. */
  previousRunId: number | null;
}

interface Counts {
  rowsIn: number;
  accepted: number;
  rejected: number;
  inserted: number;
  updated: number;
  quality: QualityFigure[];
}

async function insertErrors(db: Kysely<DB>, runId: number, errors: RowError[]): Promise<void> {
  for (let i = 0; i < errors.length; i += BATCH) {
    await db
      .insertInto('exchange_run_error')
      .values(
        errors.slice(i, i + BATCH).map((e) => ({
          run_id: runId,
          row_no: e.rowNo,
          field: e.field,
          reason: e.reason,
          raw: json(e.raw),
        })),
      )
      .execute();
  }
}

/** Import one file into `entity` as one run: row errors are recorded, whole-file problems fail the run. */
export async function runImport(
  deps: Pick<AppContext, 'db' | 'audit'>,
  input: ImportInput,
): Promise<ImportOutcome> {
  const { db } = deps;
  const source = await getSource(db, input.source);
  const fields = DATASET_FIELDS[source.dataset];
  if (source.dataset !== 'registration' || source.kind !== 'file') {
    throw new AppError('VALIDATION_FAILED', `数据源“${source.label}”暂不支持文件导入`);
  }
  const sha256 = createHash('sha256').update(input.data).digest('hex');
  const previous = await db
    .selectFrom('exchange_run')
    .select('id')
    .where('source', '=', source.name)
    .where('sha256', '=', sha256)
    .where('status', '=', 'succeeded')
    .orderBy('id', 'desc')
    .executeTakeFirst();
  const { id: runId } = await db
    .insertInto('exchange_run')
    .values({
      source: source.name,
      file_name: input.fileName.slice(0, 255),
      sha256,
      actor_name: input.actor.name,
      quality: json([]),
    })
    .returning('id')
    .executeTakeFirstOrThrow();

  const counts: Counts = { rowsIn: 0, accepted: 0, rejected: 0, inserted: 0, updated: 0, quality: [] };
  let error: string | null = null;
  try {
    const file = await readExchangeFile(input.data);
    const result = validateRegistration(file, fields, source.mapping);
    Object.assign(counts, {
      rowsIn: file.rows.length,
      accepted: result.records.length,
      rejected: result.rejected,
      quality: result.quality,
    });
    await insertErrors(db, runId, result.errors);
    input.onProgress?.(0, result.records.length);
    for (let i = 0; i < result.records.length; i += BATCH) {
      const r = await applyRegistrations(db, result.records.slice(i, i + BATCH), {
        source: source.name,
        runId,
        trustedRank: source.trustedRank,
        receivedAt: new Date(),
      });
      counts.inserted += r.inserted;
      counts.updated += r.updated;
      input.onProgress?.(Math.min(i + BATCH, result.records.length), result.records.length);
    }
  } catch (err) {
    if (!(err instanceof ExchangeFileError)) {
      await finish(
        deps,
        runId,
        input,
        counts,
        `导入中断：${err instanceof Error ? err.message : String(err)}`,
      );
      throw err;
    }
    error = err.message;
  }
  await finish(deps, runId, input, counts, error);
  return {
    runId,
    status: error ? 'failed' : 'succeeded',
    rowsIn: counts.rowsIn,
    accepted: counts.accepted,
    rejected: counts.rejected,
    inserted: counts.inserted,
    updated: counts.updated,
    error,
    previousRunId: previous?.id ?? null,
  };

  async function finish(
    d: Pick<AppContext, 'db' | 'audit'>,
    id: number,
    inp: ImportInput,
    c: Counts,
    failure: string | null,
  ): Promise<void> {
    const summary = `导入 ${inp.fileName}：读入 ${c.rowsIn} 行，接收 ${c.accepted}，拒绝 ${c.rejected}，新增 ${c.inserted}，更新 ${c.updated}`;
    await d.db.transaction().execute(async (tx) => {
      await tx
        .updateTable('exchange_run')
        .set({
          status: failure ? 'failed' : 'succeeded',
          error: failure,
          finished_at: new Date(),
          rows_in: c.rowsIn,
          accepted: c.accepted,
          rejected: c.rejected,
          inserted: c.inserted,
          updated: c.updated,
          quality: json(c.quality),
        })
        .where('id', '=', id)
        .execute();
      const payload = {
        source: source.name,
        fileName: inp.fileName,
        sha256,
        ...c,
        quality: undefined,
        error: failure,
      };
      await appendEvent(tx, {
        actor: inp.actor,
        subjectType: 'exchange_run',
        subjectId: id,
        kind: failure ? 'exchange.run.failed' : 'exchange.run.succeeded',
        payload,
      });
      await d.audit.record(tx, {
        actor: inp.actor,
        ip: inp.ip ?? null,
        action: 'exchange.import',
        objectType: 'exchange_run',
        objectId: id,
        result: failure ? 'failure' : 'success',
        detail: failure ? `${summary}；失败：${failure}` : summary,
      });
    });
  }
}
