import { existsSync } from 'node:fs';
import { CORPUS_PATH, readCorpus } from '../src/supervision/analysis/analysis.model.registry.ts';
import { currentModelVersion, predictTriage } from '../src/supervision/analysis/analysis.triage.ts';

/**
 * `npm run bench -- analysis` (issue 6): single-process throughput of `predictTriage` — normalisation, jieba,
 * TF-IDF and the four heads — on the corpus texts, one text at a time, with p50/p99 latency per text. Target
 * ≥ 1,000 texts/s. Prints figures; never fails on a target.
 */
export async function benchClassify(opts: { seconds?: number } = {}): Promise<void> {
  const seconds = opts.seconds ?? 10;
  const texts = existsSync(CORPUS_PATH)
    ? readCorpus().map((r) => r.text)
    : ['来电人反映：在某超市购买的牛奶已过期，要求退款并查处。'];
  const t0 = performance.now();
  const version = currentModelVersion(); // loads the shipped model (and jieba on the first text)
  predictTriage(texts[0]!);
  console.log(
    `自动分拣模型 ${version}：载入 ${(performance.now() - t0).toFixed(0)} ms；样本 ${texts.length} 条，平均 ${Math.round(texts.reduce((a, t) => a + t.length, 0) / texts.length)} 字`,
  );
  // Warm-up: one pass over a few hundred texts so the JIT has settled.
  for (let i = 0; i < Math.min(texts.length, 500); i++) predictTriage(texts[i]!);

  const latencies: number[] = [];
  const until = performance.now() + seconds * 1000;
  const start = performance.now();
  let i = 0;
  while (performance.now() < until) {
    const a = performance.now();
    predictTriage(texts[i % texts.length]!);
    latencies.push(performance.now() - a);
    i++;
  }
  const elapsed = (performance.now() - start) / 1000;
  latencies.sort((a, b) => a - b);
  const q = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))]!;
  console.log(
    `单进程分类：${(i / elapsed).toFixed(0)} 条/秒（${i} 条，${elapsed.toFixed(1)} 秒）；每条延迟 p50 ${(q(0.5) * 1000).toFixed(0)} µs，p99 ${(q(0.99) * 1000).toFixed(0)} µs，最大 ${(latencies[latencies.length - 1]! * 1000).toFixed(0)} µs`,
  );
}
