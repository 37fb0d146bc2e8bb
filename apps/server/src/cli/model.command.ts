import { createReadStream, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { TRIAGE_HEAD_LABELS, triageValueLabel } from '@rongjian/shared/api';
import type { Command } from 'commander';

/**
 * 自动分拣模型 commands (issue 6): `model train` (train on the corpus, print the held-out figures, write the
 * model file), `model corpus` (regenerate the labelled corpus) and the top-level `classify` (one JSON line per
 * input line, the same `predictTriage` the server uses). None of them opens the database.
 */
export function registerModelCommands(program: Command): void {
  const model = program.command('model').description('自动分拣模型：训练、评估、语料');

  model
    .command('train')
    .description('在标注语料的训练集上训练分拣模型，打印留出集上各字段的逐类精确率/召回率/F1，并写出模型文件')
    .option('--corpus <path>', '标注语料（JSON Lines）', '')
    .option('--out <dir>', '模型文件目录（默认 apps/server/models，同时更新 triage.latest）', '')
    .option('--model-version <v>', '版本号（默认 当天日期-序号，如 2026.11.29-1）')
    .action(async (opts: { corpus: string; out: string; modelVersion?: string }) => {
      const { trainAndEvaluate, serializeModel, HEADS } = await import(
        '../supervision/analysis/analysis.model.ts'
      );
      const { CORPUS_PATH, readCorpus, corpusSplits, versionDay } = await import(
        '../supervision/analysis/analysis.model.registry.ts'
      );
      const { MODELS_DIR } = await import('../supervision/analysis/analysis.triage.ts');
      const corpusFile = opts.corpus || CORPUS_PATH;
      const outDir = opts.out || MODELS_DIR;
      if (!existsSync(corpusFile)) {
        process.stderr.write(`找不到标注语料：${corpusFile}（可先运行 rongjian model corpus）\n`);
        process.exitCode = 1;
        return;
      }
      const { train, test } = corpusSplits(readCorpus(corpusFile));
      mkdirSync(outDir, { recursive: true });
      const version = opts.modelVersion ?? nextFileVersion(outDir, versionDay(new Date()));
      const t0 = Date.now();
      process.stdout.write(`训练集 ${train.length} 条，留出集 ${test.length} 条，训练中……\n`);
      const m = trainAndEvaluate(train, test, { version });
      const seconds = ((Date.now() - t0) / 1000).toFixed(1);
      const figures = m.figures!;
      for (const head of HEADS) {
        const h = figures.heads[head];
        process.stdout.write(
          `\n【${TRIAGE_HEAD_LABELS[head]}】准确率 ${h.accuracy.toFixed(3)}  宏平均 F1 ${h.macroF1.toFixed(3)}  ECE ${(h.ece ?? 0).toFixed(3)}  温度 ${m.heads[head].temperature}\n`,
        );
        process.stdout.write(
          `${pad('类别', 24)}${pad('精确率', 8)}${pad('召回率', 8)}${pad('F1', 8)}样本数\n`,
        );
        for (const c of h.perClass) {
          process.stdout.write(
            `${pad(triageValueLabel(head, c.label), 24)}${pad(c.precision.toFixed(3), 8)}${pad(c.recall.toFixed(3), 8)}${pad(c.f1.toFixed(3), 8)}${c.support}\n`,
          );
        }
      }
      const bytes = serializeModel(m);
      const file = path.join(outDir, `triage-${version}.json.gz`);
      writeFileSync(file, bytes);
      writeFileSync(path.join(outDir, 'triage.latest'), `${path.basename(file)}\n`);
      process.stdout.write(
        `\n模型 ${version} 已写出：${file}（${(bytes.length / 1024).toFixed(0)} KB，${m.vocab.length} 个特征，用时 ${seconds} 秒）\n`,
      );
    });

  model
    .command('corpus')
    .description('重新生成标注语料（确定性生成，写入 apps/server/data/analysis/triage-corpus.jsonl）')
    .option('--out <path>', '输出文件', '')
    .action(async (opts: { out: string }) => {
      const { writeTriageCorpus } = await import('../supervision/analysis/corpus/corpus.generate.ts');
      const { CORPUS_PATH } = await import('../supervision/analysis/analysis.model.registry.ts');
      const file = opts.out || CORPUS_PATH;
      const r = writeTriageCorpus(file);
      process.stdout.write(`已生成标注语料：${r.path}（${r.rows} 条，其中留出集 ${r.test} 条）\n`);
    });

  program
    .command('classify')
    .description(
      '用分拣模型给文字分类：输入每行一个 {"text": "…"}，每行输出一个 JSON（线索类型、业务条线、12315 分类、处置建议、置信度）',
    )
    .option('--file <path>', '输入文件（JSON Lines；缺省读标准输入）')
    .option('--model <path>', '模型文件（缺省为随软件发布的模型）')
    .action(async (opts: { file?: string; model?: string }) => {
      if (opts.file && !existsSync(opts.file)) {
        process.stderr.write(`找不到输入文件：${opts.file}\n`);
        process.exitCode = 1;
        return;
      }
      try {
        const failed = await classifyLines({
          input: opts.file ? createReadStream(opts.file) : process.stdin,
          ...(opts.model ? { modelPath: opts.model } : {}),
          write: (s) => process.stdout.write(s),
        });
        if (failed > 0) process.exitCode = 1;
      } catch (err) {
        process.stderr.write(`分类失败：${err instanceof Error ? err.message : String(err)}\n`);
        process.exitCode = 1;
      }
    });
}

/** `day-N` with N one past the highest model file of that day in `dir`. */
function nextFileVersion(dir: string, day: string): string {
  const re = new RegExp(`^triage-${day.replace(/\./g, '\\.')}-(\\d+)\\.json\\.gz$`);
  let last = 0;
  for (const f of readdirSync(dir)) {
    const m = re.exec(f);
    if (m) last = Math.max(last, Number(m[1]));
  }
  return `${day}-${last + 1}`;
}

/** Pad by display width (a Chinese character takes two columns). */
function pad(s: string, width: number): string {
  let w = 0;
  for (const ch of s) w += /[\u2e80-\uffff]/.test(ch) ? 2 : 1;
  return s + ' '.repeat(Math.max(1, width - w));
}

/**
 * Classify JSON lines `{"text": "…"}` from `input`: one output line per input line, exactly
 * `{"kind":"投诉","line":"…","category":"…","disposal":"…","confidence":0.91}` (Chinese labels; confidence is the
 * lowest of the four calibrated confidences), or `{"error":"第 N 行：…"}`. Blank lines are skipped. Returns how
 * many lines failed.
 */
export async function classifyLines(opts: {
  input: NodeJS.ReadableStream;
  modelPath?: string;
  write: (s: string) => void;
}): Promise<number> {
  const { loadModelFile, predictTriage, useTriageModel } = await import(
    '../supervision/analysis/analysis.triage.ts'
  );
  if (opts.modelPath) useTriageModel(loadModelFile(opts.modelPath));
  let n = 0;
  let failed = 0;
  let out = '';
  const flush = () => {
    if (out) opts.write(out);
    out = '';
  };
  for await (const raw of createInterface({ input: opts.input, crlfDelay: Number.POSITIVE_INFINITY })) {
    n++;
    const line = raw.trim();
    if (!line) continue;
    const error = (why: string) => {
      failed++;
      out += `${JSON.stringify({ error: `第 ${n} 行：${why}` })}\n`;
    };
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      error('不是合法的 JSON');
      continue;
    }
    const text = (value as { text?: unknown } | null)?.text;
    if (typeof value !== 'object' || value === null || Array.isArray(value) || typeof text !== 'string') {
      error('缺少字符串字段 text');
      continue;
    }
    if (!text.trim()) {
      error('text 为空');
      continue;
    }
    const p = predictTriage(text);
    out += `${JSON.stringify({
      kind: p.kind.label,
      line: p.line.label,
      category: p.category.label,
      disposal: p.disposal.label,
      confidence: Math.round(p.confidence * 100) / 100,
    })}\n`;
    if (out.length > 64_000) flush();
  }
  flush();
  return failed;
}
