/**
 * RFC 4180 CSV, split at the byte level as chunks arrive, so a file of any size is read without holding it. The
 * delimiters (`,` `"` CR LF) are below 0x40, and no byte of a multi-byte UTF-8, GBK or GB18030 character is, so
 * splitting bytes first and decoding each field afterwards is safe for all three. Each field is decoded into its
 * own string: nothing kept from one record (a key in the duplicate map) pins the chunk it was read from.
 */

export interface CsvRecord {
  /** Line of the file the record starts on (1-based). */
  line: number;
  fields: string[];
}

/** A quote left open at the end of the file: the file was cut off. */
export class CsvTruncatedError extends Error {
  constructor(readonly line: number) {
    super(`文件不完整：第 ${line} 行的引号没有闭合（文件可能被截断）`);
  }
}

export type FieldDecoder = (buf: Buffer, start: number, end: number) => string;

const QUOTE = 0x22;
const COMMA = 0x2c;
const LF = 0x0a;
const CR = 0x0d;

function countLf(buf: Buffer, start: number, end: number): number {
  let n = 0;
  for (let i = buf.indexOf(LF, start); i !== -1 && i < end; i = buf.indexOf(LF, i + 1)) n++;
  return n;
}

export class CsvSplitter {
  private rest: Buffer | null = null;
  /** Line number at the start of `rest`. */
  private line = 1;
  /** Records seen (counting mode included), blank lines excluded. */
  count = 0;

  /** `decode` null: only count records and find truncation (the pre-scan), nothing is decoded. */
  constructor(private readonly decode: FieldDecoder | null) {}

  /** Feed the next chunk; complete records are appended to `out`. */
  push(chunk: Buffer, out: CsvRecord[] | null): void {
    const buf = this.rest && this.rest.length > 0 ? Buffer.concat([this.rest, chunk]) : chunk;
    this.parse(buf, out, false);
  }

  /** End of input: the last record, even without a line break; an unclosed quote throws CsvTruncatedError. */
  end(out: CsvRecord[] | null): void {
    if (this.rest && this.rest.length > 0) this.parse(this.rest, out, true);
    this.rest = null;
  }

  private parse(buf: Buffer, out: CsvRecord[] | null, final: boolean): void {
    const n = buf.length;
    const decode = this.decode;
    let i = 0;
    let recStart = 0;
    let recLine = this.line;
    let line = this.line;
    let fields: string[] = [];
    let nf = 0;
    /** The record so far is one field of no bytes: a blank line if it ends here. */
    let blank = true;
    let complete = true;

    record: while (i < n) {
      // One field starts at i.
      let value = '';
      const fieldStart = i;
      if (buf[i] === QUOTE) {
        let j = i + 1;
        let escaped = false;
        for (;;) {
          const q = buf.indexOf(QUOTE, j);
          if (q === -1 || (q + 1 >= n && !final)) {
            if (final) throw new CsvTruncatedError(line);
            complete = false;
            break record;
          }
          if (buf[q + 1] === QUOTE) {
            escaped = true;
            j = q + 2;
            continue;
          }
          line += countLf(buf, i + 1, q);
          if (decode) {
            value = decode(buf, i + 1, q);
            if (escaped) value = value.replaceAll('""', '"');
          }
          i = q + 1;
          break;
        }
        // Text after the closing quote belongs to the field (lenient, as spreadsheets read it).
        let k = i;
        while (k < n) {
          const b = buf[k];
          if (b === COMMA || b === LF || b === CR) break;
          k++;
        }
        if (k > i && decode) value += decode(buf, i, k);
        i = k;
      } else {
        let k = i;
        while (k < n) {
          const b = buf[k];
          if (b === COMMA || b === LF || b === CR) break;
          k++;
        }
        if (decode && k > i) value = decode(buf, i, k);
        i = k;
      }
      if (i >= n && !final) {
        complete = false;
        break;
      }
      if (decode) fields.push(value);
      blank = nf === 0 && i === fieldStart;
      nf++;
      if (i >= n) break; // final record without a line break
      const b = buf[i];
      if (b === COMMA) {
        i++;
        if (i >= n) {
          if (!final) {
            complete = false;
            break;
          }
          if (decode) fields.push('');
          nf++;
          blank = false;
          break;
        }
        continue;
      }
      // End of record: CR LF, LF or a lone CR.
      if (b === CR) {
        if (i + 1 >= n && !final) {
          complete = false;
          break;
        }
        i += buf[i + 1] === LF ? 2 : 1;
      } else i++;
      this.emit(recLine, fields, blank, out);
      line++;
      fields = [];
      nf = 0;
      recStart = i;
      recLine = line;
    }
    if (!complete) {
      this.rest = Buffer.from(buf.subarray(recStart));
      this.line = recLine;
      return;
    }
    if (nf > 0) this.emit(recLine, fields, blank, out);
    this.rest = null;
    this.line = line;
  }

  private emit(line: number, fields: string[], blank: boolean, out: CsvRecord[] | null): void {
    // A blank line (or one of spaces only) is no record.
    if (blank || (fields.length === 1 && fields[0]!.trim() === '')) return;
    this.count++;
    out?.push({ line, fields });
  }
}
