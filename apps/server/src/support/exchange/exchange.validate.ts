import { maskPii } from '../../platform/pii/pii.vault.ts';
import { storableText, unstorableKind } from '../../platform/text.ts';
import type { DatasetHandler, TargetField } from './exchange.datasets.ts';
import { ExchangeFileError, type SourceRow } from './exchange.files.ts';
import type { QualityFigure } from './exchange.tables.ts';

export interface RowError {
  rowNo: number;
  field: string | null;
  reason: string;
  raw: Record<string, string>;
}

/** For each target field, the column it is read from (`a|b`: the first present), or null. */
export function resolveColumns(
  fields: readonly TargetField[],
  mapping: Record<string, string>,
  columns: readonly string[],
  oneOf: readonly (readonly string[])[] = [],
): { columns: (string | null)[]; missing: string[] } {
  const present = new Set(columns);
  const described: string[] = [];
  const out = fields.map((f) => {
    const candidates = (mapping[f.key] ?? '')
      .split('|')
      .map((c) => c.trim())
      .filter(Boolean);
    described.push(`${f.label}（${candidates.join(' 或 ') || '未配置映射'}）`);
    return candidates.find((c) => present.has(c)) ?? null;
  });
  const at = (key: string) => fields.findIndex((f) => f.key === key);
  const missing = [
    ...oneOf
      .filter((group) => group.every((key) => out[at(key)] === null))
      .map((group) => group.map((key) => described[at(key)]).join('或')),
    ...fields.flatMap((f, i) => (f.required && out[i] === null ? [described[i]!] : [])),
  ];
  return { columns: out, missing };
}

/** A validator's counters at one point of a run. */
export interface ValidationCounts {
  rowsIn: number;
  accepted: number;
  rejected: number;
  duplicates: number;
  newest: string | null;
  quality: QualityFigure[];
}

export interface ValidatorOptions {
  /** How duplicates are described: `文件内` (a file) or `本次同步中` (an API sync). */
  scope: string;
  /** Prefix of the whole-input error when required columns are missing. */
  missingColumns: string;
  /** The file was read as UTF-8 with some damaged byte sequences: a cell holding U+FFFD rejects its row. */
  damagedEncoding?: boolean;
  today?: string;
}

/**
 * Why a cell cannot be kept as it is, or null (`platform/text`): left to the database it would fail the whole batch
 * instead of rejecting the one row.
 */
function unstorableText(value: string, damagedEncoding = false): string | null {
  const kind = unstorableKind(value);
  if (kind === 'nul') return '含有空字符（\\u0000），无法保存；请检查源系统的导出';
  if (kind === 'surrogate') return '含有残缺的 Unicode 字符（单独的代理项），无法保存；请检查源系统的导出';
  if (damagedEncoding && value.includes('\ufffd'))
    return '含有不是 UTF-8 的字节（文件编码损坏，可能在导出或传输时被按字节截断）';
  return null;
}

/**
 * Validation of one run's rows, batch after batch: mapping applied, each target field checked, rows with
 * problems rejected with a Chinese reason per field, later duplicates of an accepted row rejected, and per-field
 * figures (present / valid) kept for the quality view. Allocation-light: one reused value object per run.
 */
export class RowValidator<R extends { rowNo: number }> {
  rowsIn = 0;
  accepted = 0;
  rejected = 0;
  duplicates = 0;
  /** Newest 更新时间 among accepted rows (ISO). */
  newest: string | null = null;

  private readonly fields: readonly TargetField[];
  private index: number[] = [];
  private resolvedFor = -1;
  private figures: (QualityFigure | null)[] = [];
  private readonly firstRowOf = new Map<string, number>();
  private readonly v: Record<string, string> = {};
  private readonly rowErrors: { field: string; reason: string }[] = [];
  private readonly today: string;
  private readonly fail = (field: string, reason: string) => {
    this.rowErrors.push({ field, reason });
  };

  constructor(
    private readonly handler: DatasetHandler<R>,
    private readonly mapping: Record<string, string>,
    /** The reader's column list; it may grow (JSON rows), and is re-resolved when it does. */
    private readonly columns: string[],
    private readonly opts: ValidatorOptions,
  ) {
    this.fields = handler.fields;
    for (const f of this.fields) this.v[f.key] = '';
    this.today = opts.today ?? new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
  }

  /** Map fields to columns; the first time, a required field without its column fails the whole input. */
  private resolve(): void {
    if (this.resolvedFor === this.columns.length) return;
    const { columns, missing } = resolveColumns(this.fields, this.mapping, this.columns, this.handler.oneOf);
    if (this.resolvedFor === -1 && missing.length > 0) {
      throw new ExchangeFileError(`${this.opts.missingColumns}${missing.join('、')}`);
    }
    this.index = columns.map((c) => (c === null ? -1 : this.columns.indexOf(c)));
    this.figures = this.fields.map((f, i) => {
      const existing = this.figures[i];
      if (existing) return existing;
      return columns[i] === null ? null : { field: f.key, column: columns[i]!, present: 0, valid: 0 };
    });
    this.resolvedFor = this.columns.length;
  }

  /** Check the columns even when no row came (a file with a header only). */
  checkColumns(): void {
    this.resolve();
  }

  validate(rows: readonly SourceRow[]): { records: R[]; cells: string[][]; errors: RowError[] } {
    const records: R[] = [];
    const cellsOf: string[][] = [];
    const errors: RowError[] = [];
    if (rows.length === 0) return { records, cells: cellsOf, errors };
    this.resolve();
    const { fields, index, figures, v, rowErrors, fail, handler } = this;
    for (const row of rows) {
      this.rowsIn++;
      if (row.problem) {
        errors.push({
          rowNo: row.rowNo,
          field: null,
          reason: row.problem,
          raw: row.raw ? this.rawText(row.raw) : this.rawOf(row.cells),
        });
        this.rejected++;
        continue;
      }
      const cells = row.cells;
      const unstorable = this.unstorableCell(cells);
      if (unstorable) {
        errors.push({ rowNo: row.rowNo, field: null, reason: unstorable, raw: this.rawOf(cells) });
        this.rejected++;
        continue;
      }
      rowErrors.length = 0;
      for (let i = 0; i < fields.length; i++) {
        const f = fields[i]!;
        const at = index[i]!;
        let value = at >= 0 ? (cells[at] ?? '') : '';
        if (value.length > 0 && (value.charCodeAt(0) <= 32 || value.charCodeAt(value.length - 1) <= 32)) {
          value = value.trim();
        }
        v[f.key] = value;
        if (value === '') {
          if (f.required) fail(f.key, `${f.label}不能为空`);
          continue;
        }
        figures[i]!.present++;
        if (f.max !== undefined && value.length > f.max)
          fail(f.key, `${f.label}过长：最多 ${f.max} 个字，实际 ${value.length} 个字`);
      }
      const record = handler.build(v, row.rowNo, fail, this.today);
      if (rowErrors.length === 0) {
        const k = handler.key(record);
        const first = this.firstRowOf.get(k.key);
        if (first !== undefined) {
          fail(k.field, `${this.opts.scope}${k.label}重复：与第 ${first} 行相同`);
          this.duplicates++;
        } else this.firstRowOf.set(k.key, row.rowNo);
      }
      for (let i = 0; i < fields.length; i++) {
        const key = fields[i]!.key;
        if (v[key] !== '' && !rowErrors.some((e) => e.field === key)) figures[i]!.valid++;
      }
      if (rowErrors.length > 0) {
        const raw = this.rawOf(cells);
        for (const e of rowErrors) errors.push({ rowNo: row.rowNo, field: e.field, reason: e.reason, raw });
        this.rejected++;
        continue;
      }
      records.push(record);
      cellsOf.push(cells);
      this.accepted++;
      const at = handler.updatedAt(record);
      if (at !== null && (this.newest === null || at > this.newest)) this.newest = at;
    }
    return { records, cells: cellsOf, errors };
  }

  /**
   * A row accepted here but refused when written (no such entity…) counts as rejected; this names the field whose
   * value stops counting as valid (null when the row had none). The writer keeps these corrections, in the order
   * its batches commit (RunWriter), so a batch validated ahead is not counted into the one before it.
   */
  refusedField(field: string, cells: string[]): string | null {
    const i = this.fields.findIndex((f) => f.key === field);
    const at = this.index[i];
    return i >= 0 && at !== undefined && at >= 0 && (cells[at] ?? '').trim() !== '' ? field : null;
  }

  /** The counters as they stand now: what a batch's transaction records as the run's progress. */
  snapshot(): ValidationCounts {
    return {
      rowsIn: this.rowsIn,
      accepted: this.accepted,
      rejected: this.rejected,
      duplicates: this.duplicates,
      newest: this.newest,
      quality: this.quality().map((f) => ({ ...f })),
    };
  }

  /** The input's columns in their own order, as the report shows them (a row's `raw` loses it in `jsonb`). */
  columnOrder(): string[] {
    return this.columns.map(storableText);
  }

  /** The first cell the database could not store, as a row-level reason naming its column. */
  private unstorableCell(cells: readonly string[]): string | null {
    const damaged = this.opts.damagedEncoding ?? false;
    for (let i = 0; i < cells.length; i++) {
      const why = unstorableText(cells[i]!, damaged);
      if (why) return `“${storableText(this.columns[i] ?? `第 ${i + 1} 列`)}”${why}`;
    }
    return null;
  }

  /**
   * A line that could not be read into cells, as the report keeps it: a dataset of personal data keeps none of its
   * text (names, ID numbers and phones cannot be found in it to mask), every other one keeps it storable.
   */
  private rawText(raw: Record<string, string>): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(raw)) {
      out[storableText(k)] = this.handler.personal
        ? '（人员数据：原文含个人信息，不予保存）'
        : storableText(v);
    }
    return out;
  }

  /** The row as the error report shows it: every column, personal data masked, unstorable characters marked. */
  rawOf(cells: readonly string[]): Record<string, string> {
    const raw: Record<string, string> = {};
    const personal = this.handler.personal;
    for (let i = 0; i < this.columns.length; i++)
      raw[storableText(this.columns[i]!)] = storableText(cells[i] ?? '');
    if (personal) {
      this.fields.forEach((f, i) => {
        const kind = personal[f.key];
        const at = this.index[i];
        if (!kind || at === undefined || at < 0) return;
        const value = (cells[at] ?? '').trim();
        if (value !== '') raw[storableText(this.columns[at]!)] = maskPii(kind, storableText(value));
      });
    }
    return raw;
  }

  quality(): QualityFigure[] {
    return this.figures.filter((f): f is QualityFigure => f !== null);
  }
}
