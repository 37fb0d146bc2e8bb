import { readFileSync } from 'node:fs';
import { BUSINESS_LINES, CATEGORIES_12315, DISPOSAL_CODES } from '@rongjian/shared';
import { CLUE_KIND_LABELS, type ClueKind } from '@rongjian/shared/api';
import { describe, expect, it } from 'vitest';
import {
  CORPUS_DOC_PATH,
  CORPUS_LINES,
  type CorpusRow,
  describeTriageCorpus,
  generateTriageCorpus,
  serializeTriageCorpus,
  TRIAGE_CORPUS_PATH,
} from './corpus.generate.ts';

const rows = generateTriageCorpus();

function countBy<K extends string>(items: readonly CorpusRow[], key: (r: CorpusRow) => K): Map<K, number> {
  const m = new Map<K, number>();
  for (const r of items) m.set(key(r), (m.get(key(r)) ?? 0) + 1);
  return m;
}

describe('triage corpus', () => {
  it('the committed file is exactly what the generator produces', () => {
    const onDisk = readFileSync(TRIAGE_CORPUS_PATH, 'utf8');
    expect(onDisk === serializeTriageCorpus(rows)).toBe(true);
    expect(onDisk.trimEnd().split('\n')).toHaveLength(rows.length);
  });

  it('is deterministic for a seed and changes with the seed', () => {
    expect(generateTriageCorpus().slice(0, 50)).toEqual(rows.slice(0, 50));
    expect(
      generateTriageCorpus(7)
        .slice(0, 50)
        .map((r) => r.text),
    ).not.toEqual(rows.slice(0, 50).map((r) => r.text));
  });

  it('holds at least 3,600 texts, none twice, with valid labels and ids', () => {
    expect(rows.length).toBeGreaterThanOrEqual(3600);
    expect(new Set(rows.map((r) => r.text)).size).toBe(rows.length);
    expect(new Set(rows.map((r) => r.id)).size).toBe(rows.length);
    const kinds = new Set<string>(Object.keys(CLUE_KIND_LABELS));
    const lines = new Set<string>(BUSINESS_LINES);
    const categories = new Set(Object.keys(CATEGORIES_12315));
    const disposals = new Set<string>(DISPOSAL_CODES);
    const invalid = rows.filter(
      (r) =>
        !/^T\d{5}$/.test(r.id) ||
        !kinds.has(r.kind) ||
        !lines.has(r.line) ||
        !categories.has(r.category) ||
        !disposals.has(r.disposal) ||
        (r.split !== 'train' && r.split !== 'test') ||
        /[{}]/.test(r.text), // every slot expanded
    );
    expect(invalid).toEqual([]);
  });

  it('covers every class with the minimum counts', () => {
    const lines = countBy(rows, (r) => r.line);
    for (const line of BUSINESS_LINES) expect(lines.get(line) ?? 0, line).toBeGreaterThanOrEqual(200);
    const categories = countBy(rows, (r) => r.category);
    for (const c of Object.keys(CATEGORIES_12315))
      expect(categories.get(c as never) ?? 0, c).toBeGreaterThanOrEqual(10);
    const disposals = countBy(rows, (r) => r.disposal);
    for (const d of DISPOSAL_CODES) expect(disposals.get(d) ?? 0, d).toBeGreaterThanOrEqual(150);
    const kinds = countBy(rows, (r) => r.kind);
    const order: ClueKind[] = ['complaint', 'report', 'inquiry', 'suggestion', 'other'];
    for (const k of order) expect(kinds.get(k) ?? 0, k).toBeGreaterThanOrEqual(100);
    // 投诉 most, then 举报, 咨询, 建议, 其他.
    for (let i = 1; i < order.length; i++)
      expect(kinds.get(order[i - 1]!)!).toBeGreaterThan(kinds.get(order[i]!)!);
  });

  it('labels follow practice: questions and suggestions are answered, reports are checked', () => {
    const share = (kind: ClueKind, pred: (r: CorpusRow) => boolean) => {
      const of = rows.filter((r) => r.kind === kind);
      return of.filter(pred).length / of.length;
    };
    expect(share('inquiry', (r) => r.disposal === 'direct')).toBeGreaterThan(0.8);
    expect(share('suggestion', (r) => r.disposal === 'direct')).toBeGreaterThan(0.8);
    expect(
      share('report', (r) => r.disposal === 'enforcement' || r.disposal === 'inspection'),
    ).toBeGreaterThan(0.8);
    const complaints = countBy(
      rows.filter((r) => r.kind === 'complaint'),
      (r) => r.disposal,
    );
    for (const d of DISPOSAL_CODES) expect(complaints.get(d) ?? 0, `complaint → ${d}`).toBeGreaterThan(0);
  });

  it('varies in length and register', () => {
    const lengths = rows.map((r) => [...r.text].length);
    expect(Math.min(...lengths)).toBeLessThanOrEqual(12);
    expect(Math.min(...lengths)).toBeGreaterThanOrEqual(5);
    expect(Math.max(...lengths)).toBeGreaterThanOrEqual(200);
    expect(Math.max(...lengths)).toBeLessThanOrEqual(450);
    const has = (re: RegExp) => rows.filter((r) => re.test(r.text)).length;
    expect(has(/^来电人|^市民来电|^来电/)).toBeGreaterThan(300); // hotline transcripts
    expect(has(/尊敬的|此致敬礼|贵局/)).toBeGreaterThan(100); // letters
    expect(has(/俺|咋|侬|伐|晓得|么子|忒/)).toBeGreaterThan(100); // dialect words
    expect(
      has(
        /发漂|退宽|卫声|质亮|投述|以经|陪偿|营业执招|过其|商加|电题|处里|价各|老版|希忘|以直|太度|资询|建意|包庄|检侧|认正|要店|登纪/,
      ),
    ).toBeGreaterThan(150); // typos
    expect(has(/[A-Za-z]{3,}/)).toBeGreaterThan(30); // Latin script mixed in
  });

  it('holds out about 20% of every line, spread over kinds', () => {
    for (const line of BUSINESS_LINES) {
      const of = rows.filter((r) => r.line === line);
      const test = of.filter((r) => r.split === 'test').length;
      expect(Math.abs(test / of.length - 0.2), line).toBeLessThan(0.02);
    }
    const testKinds = new Set(rows.filter((r) => r.split === 'test').map((r) => `${r.line}/${r.kind}`));
    expect(testKinds.size).toBe(new Set(rows.map((r) => `${r.line}/${r.kind}`)).size);
  });

  it('the documented label distribution is the generated one', () => {
    const doc = readFileSync(CORPUS_DOC_PATH, 'utf8');
    expect(doc.includes(describeTriageCorpus(rows))).toBe(true);
  });

  it('every line of the fragments is a real business line, once', () => {
    expect(CORPUS_LINES.map((l) => l.line)).toEqual([...BUSINESS_LINES]);
  });
});
