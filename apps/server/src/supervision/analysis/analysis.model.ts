import { gunzipSync, gzipSync } from 'node:zlib';
import { BUSINESS_LINES, CATEGORIES_12315, DISPOSAL_CODES } from '@rongjian/shared';
import { clueKindSchema } from '@rongjian/shared/api';
import { createRng } from '../../platform/demo/random.ts';
import { MODEL_TEXT_LIMIT, textFeatures } from './analysis.text.ts';

/**
 * The triage model (issue 6 item 1): TF-IDF features of a clue's text and one multinomial logistic regression per
 * field (clue kind, business line, 12315 category, disposal), trained in-project with seeded SGD, calibrated by
 * temperature scaling on a validation slice of the training data, and stored as versioned, gzipped JSON.
 * Everything is deterministic: the same examples and options always give the same bytes.
 */

export const HEADS = ['kind', 'line', 'category', 'disposal'] as const;
export type HeadName = (typeof HEADS)[number];

/** Every head predicts over the full code table, so models of different data are comparable class by class. */
export const HEAD_LABELS: Record<HeadName, readonly string[]> = {
  kind: clueKindSchema.options,
  line: BUSINESS_LINES,
  category: Object.keys(CATEGORIES_12315),
  disposal: DISPOSAL_CODES,
};

export interface TrainingExample {
  text: string;
  /** A missing label leaves the example out of that head's training (staff corrections are often partial). */
  labels: Partial<Record<HeadName, string>>;
  /**
   * Staff corrections are real clue text: a feature seen only in corrections needs two of them before it enters the
   * vocabulary, so a name or an address in a single clue never becomes part of a stored model.
   */
  fromCorrection?: boolean;
}

export interface TrainOptions {
  version: string;
  seed?: number;
  epochs?: number;
  /** L2 strength per example. */
  lambda?: number;
  /** Initial learning rate of the decaying schedule lr0 / (1 + lr0·λ·t). */
  learningRate?: number;
  /** A feature must occur in at least this many training texts. */
  minDf?: number;
  /** Keep at most this many features (most frequent first): the model file stays small. */
  maxFeatures?: number;
  /** Share of the training examples held back to fit the temperature. */
  validationShare?: number;
}

export const DEFAULT_TRAIN_OPTIONS = {
  seed: 20261129,
  epochs: 14,
  lambda: 5e-6,
  learningRate: 0.6,
  minDf: 1,
  maxFeatures: 60_000,
  validationShare: 0.12,
} satisfies Omit<Required<TrainOptions>, 'version'>;

interface Head {
  labels: readonly string[];
  /** Feature-major: weights[f * C + c]; dequantised from int8 so a loaded model predicts bit for bit the same. */
  weights: Float32Array;
  quantScale: number;
  quantized: Int8Array;
  bias: number[];
  temperature: number;
  /** Expected calibration error on the validation slice (10 bins of the top probability). */
  ece: number;
}

export interface TriageModel {
  version: string;
  createdAt: string;
  features: Map<string, number>;
  vocab: string[];
  idf: Float32Array;
  heads: Record<HeadName, Head>;
  trainedOn: { examples: number; validation: number };
  options: Omit<Required<TrainOptions>, 'version'>;
  /** Figures on the held-out split, attached by whoever evaluated it (CLI, registry) and stored with the model. */
  figures?: ModelFigures;
}

interface SparseVector {
  idx: Int32Array;
  val: Float32Array;
}

export const MODEL_FORMAT = 'rongjian-triage';
export const MODEL_FORMAT_VERSION = 1;

// ── features ──

function countKeys(text: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const k of textFeatures(text.slice(0, MODEL_TEXT_LIMIT))) counts.set(k, (counts.get(k) ?? 0) + 1);
  return counts;
}

/** TF-IDF with sublinear tf (1 + ln n) and l2 norm; unknown features are ignored. */
function vectorize(
  counts: Map<string, number>,
  features: Map<string, number>,
  idf: Float32Array,
): SparseVector {
  const pairs: [number, number][] = [];
  for (const [k, n] of counts) {
    const f = features.get(k);
    if (f !== undefined) pairs.push([f, (1 + Math.log(n)) * idf[f]!]);
  }
  pairs.sort((a, b) => a[0] - b[0]);
  let norm = 0;
  for (const [, v] of pairs) norm += v * v;
  norm = Math.sqrt(norm) || 1;
  const idx = new Int32Array(pairs.length);
  const val = new Float32Array(pairs.length);
  pairs.forEach(([f, v], i) => {
    idx[i] = f;
    val[i] = v / norm;
  });
  return { idx, val };
}

export function vectorizeText(model: Pick<TriageModel, 'features' | 'idf'>, text: string): SparseVector {
  return vectorize(countKeys(text), model.features, model.idf);
}

// ── training ──

function softmaxInPlace(z: Float64Array, temperature = 1): void {
  let max = Number.NEGATIVE_INFINITY;
  for (let c = 0; c < z.length; c++) {
    z[c] = z[c]! / temperature;
    if (z[c]! > max) max = z[c]!;
  }
  let sum = 0;
  for (let c = 0; c < z.length; c++) {
    z[c] = Math.exp(z[c]! - max);
    sum += z[c]!;
  }
  for (let c = 0; c < z.length; c++) z[c] = z[c]! / sum;
}

function logits(x: SparseVector, weights: ArrayLike<number>, bias: ArrayLike<number>, C: number, scale = 1) {
  const z = new Float64Array(C);
  for (let i = 0; i < x.idx.length; i++) {
    const base = x.idx[i]! * C;
    const v = x.val[i]! * scale;
    for (let c = 0; c < C; c++) z[c] = z[c]! + v * weights[base + c]!;
  }
  for (let c = 0; c < C; c++) z[c] = z[c]! + bias[c]!;
  return z;
}

/** Mini-batch-of-one SGD with lazy L2 (the weight vector is kept as scale · W), seeded shuffling per epoch. */
function trainHead(
  xs: SparseVector[],
  ys: number[],
  C: number,
  F: number,
  opts: Omit<Required<TrainOptions>, 'version'>,
  stream: string,
): { weights: Float64Array; bias: Float64Array } {
  const W = new Float64Array(F * C);
  const b = new Float64Array(C);
  const n = xs.length;
  if (n === 0) return { weights: W, bias: b };
  // Classes weighted by 1/sqrt(frequency): rare classes count more without drowning the common ones.
  const freq = new Array<number>(C).fill(0);
  for (const y of ys) freq[y]!++;
  const present = freq.filter((f) => f > 0).length;
  const classWeight = freq.map((f) => (f > 0 ? Math.sqrt(n / (present * f)) : 0));
  const rng = createRng(opts.seed, stream);
  const order = Array.from({ length: n }, (_, i) => i);
  let scale = 1;
  let t = 0;
  const { lambda, learningRate: lr0 } = opts;
  for (let epoch = 0; epoch < opts.epochs; epoch++) {
    for (let i = n - 1; i > 0; i--) {
      const j = Math.floor(rng.next() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    for (const k of order) {
      const x = xs[k]!;
      const y = ys[k]!;
      const lr = lr0 / (1 + lr0 * lambda * t);
      t++;
      const p = logits(x, W, b, C, scale);
      softmaxInPlace(p);
      const w = classWeight[y]!;
      scale *= 1 - lr * lambda;
      if (scale < 1e-6) {
        for (let f = 0; f < W.length; f++) W[f] = W[f]! * scale;
        scale = 1;
      }
      const step = (lr * w) / scale;
      for (let c = 0; c < C; c++) {
        const g = p[c]! - (c === y ? 1 : 0);
        if (g === 0) continue;
        const gs = g * step;
        for (let i = 0; i < x.idx.length; i++) W[x.idx[i]! * C + c] = W[x.idx[i]! * C + c]! - gs * x.val[i]!;
        b[c] = b[c]! - lr * w * g;
      }
    }
  }
  for (let f = 0; f < W.length; f++) W[f] = W[f]! * scale;
  return { weights: W, bias: b };
}

function quantize(W: Float64Array): { quantized: Int8Array; quantScale: number; weights: Float32Array } {
  let max = 0;
  for (const w of W) if (Math.abs(w) > max) max = Math.abs(w);
  const quantScale = max > 0 ? Math.fround(max / 127) : 1;
  const quantized = new Int8Array(W.length);
  const weights = new Float32Array(W.length);
  for (let i = 0; i < W.length; i++) {
    const q = Math.max(-127, Math.min(127, Math.round(W[i]! / quantScale)));
    quantized[i] = q;
    weights[i] = q * quantScale;
  }
  return { quantized, quantScale, weights };
}

function headProbabilities(head: Head, x: SparseVector, temperature = head.temperature): Float64Array {
  const z = logits(x, head.weights, head.bias, head.labels.length);
  softmaxInPlace(z, temperature);
  return z;
}

/** Negative log-likelihood of the validation slice at temperature T. */
function nll(zs: Float64Array[], ys: number[], T: number): number {
  let s = 0;
  zs.forEach((z, i) => {
    let max = Number.NEGATIVE_INFINITY;
    for (const v of z) if (v / T > max) max = v / T;
    let sum = 0;
    for (const v of z) sum += Math.exp(v / T - max);
    s -= z[ys[i]!]! / T - max - Math.log(sum);
  });
  return s / Math.max(zs.length, 1);
}

/** Temperature scaling: the T in [0.05, 20] minimising validation NLL (golden-section search on ln T). */
function fitTemperature(zs: Float64Array[], ys: number[]): number {
  if (zs.length < 10) return 1;
  let lo = Math.log(0.05);
  let hi = Math.log(20);
  const g = (Math.sqrt(5) - 1) / 2;
  let a = hi - g * (hi - lo);
  let b = lo + g * (hi - lo);
  let fa = nll(zs, ys, Math.exp(a));
  let fb = nll(zs, ys, Math.exp(b));
  for (let i = 0; i < 60; i++) {
    if (fa < fb) {
      hi = b;
      b = a;
      fb = fa;
      a = hi - g * (hi - lo);
      fa = nll(zs, ys, Math.exp(a));
    } else {
      lo = a;
      a = b;
      fa = fb;
      b = lo + g * (hi - lo);
      fb = nll(zs, ys, Math.exp(b));
    }
  }
  return Math.round(Math.exp((lo + hi) / 2) * 1e4) / 1e4;
}

/** Expected calibration error: |accuracy − confidence| averaged over 10 equal-width confidence bins. */
export function expectedCalibrationError(points: { confidence: number; correct: boolean }[]): number {
  if (points.length === 0) return 0;
  const bins = Array.from({ length: 10 }, () => ({ n: 0, conf: 0, acc: 0 }));
  for (const p of points) {
    const bin = bins[Math.min(9, Math.floor(p.confidence * 10))]!;
    bin.n++;
    bin.conf += p.confidence;
    bin.acc += p.correct ? 1 : 0;
  }
  let ece = 0;
  for (const bin of bins) if (bin.n) ece += ((bin.n / points.length) * Math.abs(bin.acc - bin.conf)) / bin.n;
  return round4(ece);
}

const round4 = (v: number) => Math.round(v * 1e4) / 1e4;

/** A stable split of the training examples into fit and validation, by a seeded shuffle. */
function validationMask(n: number, share: number, seed: number): boolean[] {
  const rng = createRng(seed, 'triage.validation');
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rng.next() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const mask = new Array<boolean>(n).fill(false);
  const k = n >= 50 ? Math.round(n * share) : 0;
  for (let i = 0; i < k; i++) mask[order[i]!] = true;
  return mask;
}

export function trainTriageModel(examples: readonly TrainingExample[], options: TrainOptions): TriageModel {
  const opts = { ...DEFAULT_TRAIN_OPTIONS, ...stripUndefined(options) };
  const counts = examples.map((e) => countKeys(e.text));
  const isValidation = validationMask(examples.length, opts.validationShare, opts.seed);
  const fitIdx = counts.map((_, i) => i).filter((i) => !isValidation[i]);
  const valIdx = counts.map((_, i) => i).filter((i) => isValidation[i]);

  // Vocabulary from the fitting examples only: document frequency, min df, then the most frequent `maxFeatures`.
  const df = new Map<string, number>();
  const dfCorpus = new Map<string, number>();
  for (const i of fitIdx) {
    const corpus = !examples[i]!.fromCorrection;
    for (const k of counts[i]!.keys()) {
      df.set(k, (df.get(k) ?? 0) + 1);
      if (corpus) dfCorpus.set(k, (dfCorpus.get(k) ?? 0) + 1);
    }
  }
  const vocab = [...df.entries()]
    .filter(([k, n]) => n >= opts.minDf && (dfCorpus.has(k) || n >= 2))
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .slice(0, opts.maxFeatures)
    .map(([k]) => k);
  const features = new Map(vocab.map((k, i) => [k, i]));
  const N = fitIdx.length;
  const idf = new Float32Array(vocab.length);
  vocab.forEach((k, i) => {
    idf[i] = Math.log((1 + N) / (1 + df.get(k)!)) + 1;
  });
  const xs = counts.map((c) => vectorize(c, features, idf));

  const heads = {} as Record<HeadName, Head>;
  for (const name of HEADS) {
    const labels = HEAD_LABELS[name];
    const index = new Map(labels.map((l, i) => [l, i]));
    const pick = (ids: number[]) => {
      const x: SparseVector[] = [];
      const y: number[] = [];
      for (const i of ids) {
        const label = examples[i]!.labels[name];
        const c = label === undefined ? undefined : index.get(label);
        if (c === undefined) continue;
        x.push(xs[i]!);
        y.push(c);
      }
      return { x, y };
    };
    const fit = pick(fitIdx);
    const { weights, bias } = trainHead(fit.x, fit.y, labels.length, vocab.length, opts, `triage.${name}`);
    const q = quantize(weights);
    const head: Head = {
      labels,
      weights: q.weights,
      quantized: q.quantized,
      quantScale: q.quantScale,
      bias: [...bias],
      temperature: 1,
      ece: 0,
    };
    const val = pick(valIdx);
    const zs = val.x.map((x) => logits(x, head.weights, head.bias, labels.length));
    head.temperature = fitTemperature(zs, val.y);
    head.ece = expectedCalibrationError(
      val.x.map((x, i) => {
        const p = headProbabilities(head, x);
        const top = argmax(p);
        return { confidence: p[top]!, correct: top === val.y[i] };
      }),
    );
    heads[name] = head;
  }
  return {
    version: options.version,
    createdAt: new Date().toISOString(),
    features,
    vocab,
    idf,
    heads,
    trainedOn: { examples: fitIdx.length, validation: valIdx.length },
    options: opts,
  };
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function argmax(p: ArrayLike<number>): number {
  let best = 0;
  for (let c = 1; c < p.length; c++) if (p[c]! > p[best]!) best = c;
  return best;
}

// ── prediction ──

export interface HeadGuess {
  value: string;
  confidence: number;
}

export function predictWithModel(model: TriageModel, text: string): Record<HeadName, HeadGuess> {
  const x = vectorizeText(model, text);
  const out = {} as Record<HeadName, HeadGuess>;
  for (const name of HEADS) {
    const head = model.heads[name];
    const p = headProbabilities(head, x);
    const top = argmax(p);
    out[name] = { value: head.labels[top]!, confidence: round4(p[top]!) };
  }
  return out;
}

// ── evaluation ──

export interface ClassFigures {
  label: string;
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

export interface HeadEvaluation {
  accuracy: number;
  macroF1: number;
  perClass: ClassFigures[];
  confusion: { labels: string[]; matrix: number[][] };
  /** Expected calibration error of the calibrated confidence on the evaluated examples. */
  ece: number;
  /** Examples that carried this head's label. */
  n: number;
}

/** Figures of `model` on `examples` (the held-out split): per head P/R/F1 per class, macro-F1, confusion, ECE. */
export function evaluateModel(
  model: TriageModel,
  examples: readonly TrainingExample[],
): Record<HeadName, HeadEvaluation> {
  const xs = examples.map((e) => vectorizeText(model, e.text));
  const out = {} as Record<HeadName, HeadEvaluation>;
  for (const name of HEADS) {
    const head = model.heads[name];
    const truth: string[] = [];
    const pred: string[] = [];
    const points: { confidence: number; correct: boolean }[] = [];
    examples.forEach((e, i) => {
      const y = e.labels[name];
      if (y === undefined) return;
      const p = headProbabilities(head, xs[i]!);
      const top = argmax(p);
      truth.push(y);
      pred.push(head.labels[top]!);
      points.push({ confidence: p[top]!, correct: head.labels[top] === y });
    });
    out[name] = { ...classificationFigures(head.labels, truth, pred), ece: expectedCalibrationError(points) };
  }
  return out;
}

/** Per-class figures over the labels that occur in the truth or the predictions (code-table order). */
export function classificationFigures(
  labelOrder: readonly string[],
  truth: readonly string[],
  pred: readonly string[],
): Omit<HeadEvaluation, 'ece'> {
  const seen = new Set([...truth, ...pred]);
  const labels = labelOrder.filter((l) => seen.has(l));
  const at = new Map(labels.map((l, i) => [l, i]));
  const matrix = labels.map(() => new Array<number>(labels.length).fill(0));
  let correct = 0;
  truth.forEach((t, i) => {
    matrix[at.get(t)!]![at.get(pred[i]!)!]!++;
    if (t === pred[i]) correct++;
  });
  const perClass = labels.map((label, i) => {
    const tp = matrix[i]![i]!;
    const support = matrix[i]!.reduce((a, b) => a + b, 0);
    const predicted = matrix.reduce((a, row) => a + row[i]!, 0);
    const precision = predicted ? tp / predicted : 0;
    const recall = support ? tp / support : 0;
    const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
    return { label, precision: round4(precision), recall: round4(recall), f1: round4(f1), support };
  });
  const macroF1 = perClass.length ? perClass.reduce((a, c) => a + c.f1, 0) / perClass.length : 0;
  return {
    accuracy: truth.length ? round4(correct / truth.length) : 0,
    macroF1: round4(macroF1),
    perClass,
    confusion: { labels, matrix },
    n: truth.length,
  };
}

export interface ModelFigures {
  version: string;
  heads: Record<HeadName, Omit<HeadEvaluation, 'n'>>;
  /** Examples of the held-out split. */
  testSize?: number;
}

export function toModelFigures(
  version: string,
  evals: Record<HeadName, HeadEvaluation>,
  testSize: number,
): ModelFigures {
  const heads = {} as ModelFigures['heads'];
  for (const name of HEADS) {
    const { n: _n, ...rest } = evals[name];
    heads[name] = rest;
  }
  return { version, heads, testSize };
}

/** The figures stored with a model, or empty ones (a model that was never evaluated). */
export function figuresOf(model: TriageModel): ModelFigures {
  if (model.figures) return model.figures;
  const empty = { accuracy: 0, macroF1: 0, perClass: [], confusion: { labels: [], matrix: [] }, ece: 0 };
  return { version: model.version, heads: { kind: empty, line: empty, category: empty, disposal: empty } };
}

/** Train on `train`, evaluate on `test` and attach the figures. */
export function trainAndEvaluate(
  train: readonly TrainingExample[],
  test: readonly TrainingExample[],
  options: TrainOptions,
): TriageModel {
  const model = trainTriageModel(train, options);
  model.figures = toModelFigures(model.version, evaluateModel(model, test), test.length);
  return model;
}

// ── serialisation ──

interface SerializedHead {
  labels: string[];
  bias: number[];
  temperature: number;
  ece: number;
  quantScale: number;
  /** int8, feature-major, base64. */
  weights: string;
}

interface SerializedModel {
  format: typeof MODEL_FORMAT;
  formatVersion: number;
  version: string;
  createdAt: string;
  options: TriageModel['options'];
  trainedOn: TriageModel['trainedOn'];
  vocab: string[];
  /** float32, base64. */
  idf: string;
  heads: Record<HeadName, SerializedHead>;
  figures?: ModelFigures;
}

export class ModelFormatError extends Error {}

/** Gzipped JSON; weights int8 with one scale per head, idf float32. */
export function serializeModel(model: TriageModel): Buffer {
  const doc: SerializedModel = {
    format: MODEL_FORMAT,
    formatVersion: MODEL_FORMAT_VERSION,
    version: model.version,
    createdAt: model.createdAt,
    options: model.options,
    trainedOn: model.trainedOn,
    vocab: model.vocab,
    idf: Buffer.from(model.idf.buffer, model.idf.byteOffset, model.idf.byteLength).toString('base64'),
    heads: Object.fromEntries(
      HEADS.map((name) => {
        const h = model.heads[name];
        return [
          name,
          {
            labels: [...h.labels],
            bias: h.bias,
            temperature: h.temperature,
            ece: h.ece,
            quantScale: h.quantScale,
            weights: Buffer.from(h.quantized.buffer, h.quantized.byteOffset, h.quantized.byteLength).toString(
              'base64',
            ),
          },
        ];
      }),
    ) as Record<HeadName, SerializedHead>,
    ...(model.figures ? { figures: model.figures } : {}),
  };
  return gzipSync(Buffer.from(JSON.stringify(doc), 'utf8'), { level: 9 });
}

export function deserializeModel(bytes: Uint8Array): TriageModel {
  let doc: SerializedModel;
  try {
    doc = JSON.parse(gunzipSync(bytes).toString('utf8')) as SerializedModel;
  } catch {
    throw new ModelFormatError('模型文件无法解析（应为 gzip 压缩的 JSON）');
  }
  if (doc.format !== MODEL_FORMAT || doc.formatVersion !== MODEL_FORMAT_VERSION) {
    throw new ModelFormatError(`不支持的模型文件格式：${String(doc.format)} v${String(doc.formatVersion)}`);
  }
  const idfBytes = Buffer.from(doc.idf, 'base64');
  const idf = new Float32Array(
    idfBytes.buffer.slice(idfBytes.byteOffset, idfBytes.byteOffset + idfBytes.byteLength),
  );
  if (idf.length !== doc.vocab.length) throw new ModelFormatError('模型文件已损坏：特征数与 IDF 不一致');
  const heads = {} as Record<HeadName, Head>;
  for (const name of HEADS) {
    const h = doc.heads[name];
    if (!h) throw new ModelFormatError(`模型文件缺少字段：${name}`);
    const raw = Buffer.from(h.weights, 'base64');
    const quantized = new Int8Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength));
    if (quantized.length !== doc.vocab.length * h.labels.length) {
      throw new ModelFormatError(`模型文件已损坏：${name} 的权重数不对`);
    }
    const quantScale = Math.fround(h.quantScale);
    const weights = new Float32Array(quantized.length);
    for (let i = 0; i < quantized.length; i++) weights[i] = quantized[i]! * quantScale;
    heads[name] = {
      labels: h.labels,
      bias: h.bias,
      temperature: h.temperature,
      ece: h.ece,
      quantScale,
      quantized,
      weights,
    };
  }
  return {
    version: doc.version,
    createdAt: doc.createdAt,
    features: new Map(doc.vocab.map((k, i) => [k, i])),
    vocab: doc.vocab,
    idf,
    heads,
    trainedOn: doc.trainedOn,
    options: doc.options,
    ...(doc.figures ? { figures: doc.figures } : {}),
  };
}
