import { AppError } from '../../platform/errors.ts';
import type { Actor } from '../../platform/ledger/ledger.service.ts';
import { getSource } from './exchange.connector.ts';
import { DATASETS } from './exchange.datasets.ts';
import { ExchangeFileError, type FileInput, openRows, scanFile } from './exchange.files.ts';
import { finishRun, type RunDeps, RunWriter, startHeartbeat, startRun } from './exchange.run.ts';
import { RowValidator } from './exchange.validate.ts';

export type ImportInput = {
  source: string;
  fileName: string;
  actor: Actor;
  ip?: string | null;
  onProgress?: (done: number, total: number) => void;
  /**
   * Enqueue `entities.afterImport` in the run's final transaction (default). The CLI, which has no worker, runs
   * it inline instead.
   */
  enqueueAfterImport?: boolean;
} & FileInput;

export interface ImportOutcome {
  runId: number;
  status: 'succeeded' | 'failed';
  rowsIn: number;
  accepted: number;
  rejected: number;
  inserted: number;
  updated: number;
  /** Records left in the merge queue for a person to confirm. */
  queued: number;
  error: string | null;
  /** An earlier successful run of the same source read a file with the same sha256. */
  previousRunId: number | null;
}

/**
 * Import one export file of a `file` source as one run. The file is read twice as a stream — a scan (encoding,
 * sha256, truncation, row count), then the rows in batches — so a file of any size (from a path) is never held
 * whole. Row problems are recorded per row; a whole-file problem fails the run before anything is written; a
 * failure part-way keeps the batches already committed.
 */
export async function runImport(deps: RunDeps, input: ImportInput): Promise<ImportOutcome> {
  const { db } = deps;
  const source = await getSource(db, input.source);
  if (source.kind !== 'file') {
    throw new AppError('VALIDATION_FAILED', `数据源“${source.label}”是接口数据源，不能导入文件`);
  }
  const handler = DATASETS[source.dataset];
  const file: FileInput = 'data' in input ? { data: input.data } : { path: input.path };
  const runId = await startRun(db, {
    source: source.name,
    fileName: input.fileName,
    sha256: null,
    actorName: input.actor.name,
  });
  const stopHeartbeat = startHeartbeat(db, runId);
  const what = `导入 ${input.fileName}`;
  const done = { actor: input.actor, ip: input.ip ?? null, action: 'exchange.import', what };
  let writer: RunWriter<{ rowNo: number }> | null = null;
  let previousRunId: number | null = null;
  let error: string | null = null;
  try {
    const scan = await scanFile(file);
    await db.updateTable('exchange_run').set({ sha256: scan.sha256 }).where('id', '=', runId).execute();
    const previous = await db
      .selectFrom('exchange_run')
      .select('id')
      .where('source', '=', source.name)
      .where('sha256', '=', scan.sha256)
      .where('status', '=', 'succeeded')
      .where('id', '<>', runId)
      .orderBy('id', 'desc')
      .executeTakeFirst();
    previousRunId = previous ? Number(previous.id) : null;

    const reader = await openRows(file, scan);
    const validator = new RowValidator(handler, source.mapping, reader.columns, {
      scope: '文件内',
      missingColumns: '文件缺少必需的列：',
      damagedEncoding: scan.damaged,
    });
    writer = new RunWriter(deps, runId, source, handler, validator);
    const total = reader.rows ?? scan.rows;
    input.onProgress?.(0, total);
    // A CSV or XLSX batch is read and parsed while the one before it is written: the database works while Node
    // parses. Not JSON-lines, whose columns grow as lines are read (each batch is validated against the columns
    // seen up to it). Validation stays in step with the writes: the counters a batch commits are its rows' and
    // those before it.
    const readAhead = scan.format !== 'jsonl';
    // On PostgreSQL a batch the dataset calls independent is written while the one before it commits (RunWriter:
    // two connections, commits in order). PGlite has one connection: nothing to gain.
    const overlap = readAhead && deps.database.backend === 'postgresql';
    const batches = reader.batches();
    try {
      let next: ReturnType<typeof batches.next> | null = batches.next();
      for (;;) {
        const got = await (next ?? batches.next());
        if (got.done) break;
        next = readAhead ? batches.next() : null;
        next?.catch(() => {}); // a read error surfaces at its own turn, not as an unhandled rejection
        const batch = validator.validate(got.value);
        await writer.submit(batch, { overlap: overlap && (handler.independent?.(batch.records) ?? false) });
        input.onProgress?.(Math.min(validator.rowsIn, total), total);
      }
      await writer.drain();
    } finally {
      await batches.return(undefined);
    }
    validator.checkColumns();
  } catch (err) {
    if (!(err instanceof ExchangeFileError)) {
      stopHeartbeat();
      const failure = `导入中断：${err instanceof Error ? err.message : String(err)}`;
      await close(failure);
      throw err;
    }
    error = err.message;
  }
  stopHeartbeat();
  await close(error);
  const t = writer?.totals;
  return {
    runId,
    status: error ? 'failed' : 'succeeded',
    rowsIn: t?.rowsIn ?? 0,
    accepted: t?.accepted ?? 0,
    rejected: t?.rejected ?? 0,
    inserted: t?.inserted ?? 0,
    updated: t?.updated ?? 0,
    queued: t?.queued ?? 0,
    error,
    previousRunId,
  };

  async function close(failure: string | null): Promise<void> {
    const afterImport = input.enqueueAfterImport ?? true;
    if (writer) await writer.finish({ ...done, failure }, { afterImport });
    else
      await finishRun(deps, runId, source.name, { ...done, failure }, { totals: null, afterImport: false });
  }
}
