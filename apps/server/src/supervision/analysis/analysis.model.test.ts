import { describe, expect, it } from 'vitest';
import {
  deserializeModel,
  evaluateModel,
  predictWithModel,
  serializeModel,
  trainAndEvaluate,
} from './analysis.model.ts';
import { sample } from './analysis.model.sample.ts';
import { normalizeText, parseUserDictionary, tokenize } from './analysis.text.ts';

describe('text handling', () => {
  it('normalises full-width characters, Latin case and numbers', () => {
    expect(normalizeText('ＡＢＣ　iPhone１２３元')).toBe('abc iphone dnum 元');
    expect(normalizeText('电话13912345678，打12315')).toBe('电话 dlong ,打12315');
  });

  it('keeps regulatory terms whole with the user dictionary', () => {
    expect(tokenize('这家店没有食品经营许可证，还缺斤短两')).toEqual(
      expect.arrayContaining(['食品经营许可证', '缺斤短两']),
    );
    expect(tokenize('小区电梯困人半小时')).toContain('电梯困人');
    expect(parseUserDictionary('# 注释\n3C认证 100\nISO9001 5\n\n明码标价')).toEqual([
      '3c认证 100',
      '明码标价 3000',
    ]);
  });
});

describe('the triage model', () => {
  const train = sample(1, 60);
  const test = sample(2, 20);
  const model = trainAndEvaluate(train, test, { version: 'test-1', epochs: 8 });

  it('learns separable classes from a small sample', () => {
    const f = model.figures!;
    expect(f.heads.line.accuracy).toBeGreaterThanOrEqual(0.95);
    expect(f.heads.line.macroF1).toBeGreaterThanOrEqual(0.95);
    expect(f.heads.kind.accuracy).toBeGreaterThanOrEqual(0.95);
    expect(f.heads.line.perClass.map((c) => c.label)).toEqual(['食品', '特种设备', '计量']);
    expect(f.heads.line.confusion.matrix.flat().reduce((a, b) => a + b, 0)).toBe(test.length);
    expect(predictWithModel(model, '商场的自动扶梯突然停了，困人十分钟').line.value).toBe('特种设备');
    expect(predictWithModel(model, '请问水果店的电子秤少秤应该找哪个部门？').kind.value).toBe('inquiry');
  });

  it('calibrated confidences stay in 0..1, and a confident wrong answer is rarer than a confident right one', () => {
    const noisy = [
      ...sample(3, 30),
      // Deliberately ambiguous texts: words of two lines at once.
      ...sample(4, 10).map((e, i) => ({ ...e, text: `${e.text}${sample(5, 10)[i]!.text}` })),
    ];
    let confidentRight = 0;
    let confidentWrong = 0;
    for (const e of noisy) {
      const p = predictWithModel(model, e.text);
      for (const head of ['kind', 'line', 'category', 'disposal'] as const) {
        const c = p[head].confidence;
        expect(c).toBeGreaterThanOrEqual(0);
        expect(c).toBeLessThanOrEqual(1);
        if (c >= 0.8) {
          if (p[head].value === e.labels[head]) confidentRight++;
          else confidentWrong++;
        }
      }
    }
    expect(confidentRight).toBeGreaterThan(confidentWrong);
    for (const head of ['kind', 'line', 'category', 'disposal'] as const) {
      expect(model.heads[head].temperature).toBeGreaterThan(0);
      expect(model.figures!.heads[head].ece).toBeGreaterThanOrEqual(0);
      expect(model.figures!.heads[head].ece).toBeLessThanOrEqual(1);
    }
  });

  it('is deterministic, and a serialised model predicts exactly the same', () => {
    const again = trainAndEvaluate(train, test, { version: 'test-1', epochs: 8 });
    expect(again.figures).toEqual(model.figures);
    const bytes = serializeModel(model);
    const loaded = deserializeModel(bytes);
    expect(loaded.version).toBe('test-1');
    expect(loaded.figures).toEqual(model.figures);
    const texts = [
      ...test.map((e) => e.text),
      '',
      'English only text',
      '加油站的加油机少加了油，12315 打不通',
    ];
    for (const t of texts) expect(predictWithModel(loaded, t)).toEqual(predictWithModel(model, t));
    expect(evaluateModel(loaded, test)).toEqual(evaluateModel(model, test));
    expect(() => deserializeModel(Buffer.from('not a model'))).toThrow('模型文件无法解析');
  });
});
