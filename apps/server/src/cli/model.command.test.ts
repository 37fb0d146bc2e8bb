import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../test/server-process.ts';
import { sample } from '../supervision/analysis/analysis.model.sample.ts';
import { classifyLines } from './model.command.ts';

/** The real binary, as an analyst would run it; no database is opened. */
const dir = mkdtempSync(path.join(tmpdir(), 'rongjian-model-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function cli(...args: string[]) {
  const p = runCli(args, { RONGJIAN_DATA_DIR: '/nonexistent/rongjian-model-test' });
  const code = await p.exited;
  return { code, out: p.output() };
}

describe('rongjian classify', () => {
  it('prints one JSON line per input with the four Chinese labels; a malformed line gets an error line, exit 1', async () => {
    const input = path.join(dir, 'in.jsonl');
    writeFileSync(
      input,
      [
        JSON.stringify({ text: '药店没有处方就卖给我处方药，举报这家药店违法销售。' }),
        '{not json',
        JSON.stringify({ text: '小区电梯困人半小时，物业不管，要求查处。' }),
        JSON.stringify({ content: '没有 text 字段' }),
        '',
        JSON.stringify({ text: '' }),
        JSON.stringify({ text: 'My phone bought online is a fake, I want a refund' }),
        JSON.stringify({ text: '饭店后厨老鼠乱窜，吃完拉肚子' }),
      ].join('\n'),
    );
    const r = await cli('classify', '--file', input);
    expect(r.code, r.out).toBe(1);
    const lines = r.out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines).toHaveLength(7);
    const ok = [lines[0], lines[2], lines[5], lines[6]];
    for (const l of ok) {
      expect(Object.keys(l)).toEqual(['kind', 'line', 'category', 'disposal', 'confidence']);
      expect(['投诉', '举报', '咨询', '建议', '其他']).toContain(l.kind);
      expect(['直接办结', '监管检查', '执法核查', '转办', '不予受理']).toContain(l.disposal);
      expect(l.confidence).toBeGreaterThanOrEqual(0);
      expect(l.confidence).toBeLessThanOrEqual(1);
    }
    expect(lines[0]).toMatchObject({ line: '药品/医疗器械/化妆品', category: '医药及医疗用品' });
    expect(lines[2]).toMatchObject({ line: '特种设备' });
    expect(lines[6]).toMatchObject({ line: '食品' });
    expect(lines[1]).toEqual({ error: '第 2 行：不是合法的 JSON' });
    expect(lines[3]).toEqual({ error: '第 4 行：缺少字符串字段 text' });
    expect(lines[4]).toEqual({ error: '第 6 行：text 为空' });
  });

  it('explains a missing model file in Chinese', async () => {
    await expect(
      classifyLines({
        input: Readable.from(['{"text":"你好"}\n']),
        modelPath: path.join(dir, 'none.json.gz'),
        write: () => {},
      }),
    ).rejects.toThrow('找不到模型文件');
  });
});

describe('rongjian model train', () => {
  it('prints per-class figures on the held-out split, writes the model file, and classify can use it', async () => {
    const corpus = path.join(dir, 'corpus.jsonl');
    const rows = [
      ...sample(21, 40).map((e, i) => ({ id: `A${i}`, split: 'train', text: e.text, ...e.labels })),
      ...sample(22, 10).map((e, i) => ({ id: `B${i}`, split: 'test', text: e.text, ...e.labels })),
    ];
    writeFileSync(corpus, rows.map((r) => JSON.stringify(r)).join('\n'));
    const out = path.join(dir, 'models');
    const r = await cli(
      'model',
      'train',
      '--corpus',
      corpus,
      '--out',
      out,
      '--model-version',
      '2026.11.29-7',
    );
    expect(r.code, r.out).toBe(0);
    expect(r.out).toContain('训练集 120 条，留出集 30 条');
    expect(r.out).toContain('【业务条线】');
    expect(r.out).toMatch(/特种设备\s+1\.000\s+1\.000\s+1\.000\s+10/);
    expect(r.out).toContain('【处置建议】');
    expect(r.out).toContain('直接办结');
    expect(readdirSync(out).sort()).toEqual(['triage-2026.11.29-7.json.gz', 'triage.latest']);
    expect(readFileSync(path.join(out, 'triage.latest'), 'utf8').trim()).toBe('triage-2026.11.29-7.json.gz');

    const input = path.join(dir, 'm.jsonl');
    writeFileSync(input, `${JSON.stringify({ text: '加油站的加油机少加油' })}\n`);
    const c = await cli(
      'classify',
      '--file',
      input,
      '--model',
      path.join(out, 'triage-2026.11.29-7.json.gz'),
    );
    expect(c.code, c.out).toBe(0);
    expect(JSON.parse(c.out.trim())).toMatchObject({ line: '计量' });
  });
});
