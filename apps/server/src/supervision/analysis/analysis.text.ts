import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Jieba } from '@node-rs/jieba';
import { dict } from '@node-rs/jieba/dict';

/**
 * Text handling of the triage model (issue 6): normalisation, word segmentation with jieba plus a user dictionary
 * of regulatory terms kept in the repo (`apps/server/data/analysis/regulatory-terms.txt`), and the feature keys the
 * model is trained on. Training and prediction both go through `textFeatures`, so they can never disagree.
 */

export const REGULATORY_TERMS_PATH = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../../data/analysis/regulatory-terms.txt',
);

/** Numbers the regulation gives a meaning to keep their digits (hotlines, 3C); every other number becomes a class. */
const KEPT_NUMBERS = /(?<!\d)(?:12315|12345|12331)(?!\d)|(?<!\d)3c/g;
const NUMBER = /\d+(?:\.\d+)?/g;
/** Long digit runs are phone numbers, order numbers, dates; short ones amounts and counts. */
const LONG_NUMBER_TOKEN = ' dlong ';
const NUMBER_TOKEN = ' dnum ';

/**
 * Full-width → half-width (NFKC), Latin lower-cased, whitespace collapsed, digit runs → a token class.
 * 「１２３元」, 「123元」 and 「45元」 all read ` dnum 元`.
 */
export function normalizeText(text: string): string {
  const s = text.normalize('NFKC').toLowerCase();
  let out = '';
  let last = 0;
  // Keep the meaningful numbers by cutting the text around them before replacing the rest.
  for (const m of s.matchAll(KEPT_NUMBERS)) {
    out += replaceNumbers(s.slice(last, m.index)) + m[0];
    last = m.index + m[0].length;
  }
  out += replaceNumbers(s.slice(last));
  return out.replace(/\s+/g, ' ').trim();
}

function replaceNumbers(s: string): string {
  return s.replace(NUMBER, (m) => (m.replace('.', '').length >= 7 ? LONG_NUMBER_TOKEN : NUMBER_TOKEN));
}

/** Parse the user dictionary: `词 词频` per line, `#` comments; words normalised like the text they will meet. */
export function parseUserDictionary(content: string): string[] {
  const lines: string[] = [];
  for (const raw of content.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const [word, freq] = line.split(/\s+/);
    if (!word) continue;
    const w = word.normalize('NFKC').toLowerCase();
    if (/\s|\d/.test(w.replace(KEPT_NUMBERS, ''))) continue; // would never survive normalisation as one token
    lines.push(`${w} ${Number(freq) > 0 ? Number(freq) : 3000}`);
  }
  return lines;
}

let jieba: Jieba | undefined;

function segmenter(): Jieba {
  if (!jieba) {
    const j = Jieba.withDict(dict);
    const user = parseUserDictionary(readFileSync(REGULATORY_TERMS_PATH, 'utf8'));
    j.loadDict(Buffer.from(user.join('\n'), 'utf8'));
    jieba = j;
  }
  return jieba;
}

/** A token worth keeping: letters, digits or CJK, or the two punctuation marks that carry meaning (？ ！). */
const WORDLIKE = /[\p{L}\p{N}]/u;
const MEANINGFUL_PUNCT = new Set(['?', '!']);

/** Words of an already normalised text (jieba with HMM for unknown words), punctuation and spaces dropped. */
export function segmentNormalized(normalized: string): string[] {
  if (!normalized) return [];
  const out: string[] = [];
  for (const t of segmenter().cut(normalized, true)) {
    const w = t.trim();
    if (!w) continue;
    if (WORDLIKE.test(w) || MEANINGFUL_PUNCT.has(w)) out.push(w);
  }
  return out;
}

/** Words of a raw text. */
export function tokenize(text: string): string[] {
  return segmentNormalized(normalizeText(text));
}

const HAN = /\p{Script=Han}/u;

/**
 * The feature keys of a text, with repeats (the model counts them): word unigrams `w:`, word bigrams `b:`, and
 * character bigrams `c:` over runs of Chinese characters (robust to segmentation errors, typos
 * and dialect spellings that jieba has never seen).
 */
export function textFeatures(text: string): string[] {
  const normalized = normalizeText(text);
  const words = segmentNormalized(normalized);
  const keys: string[] = [];
  for (let i = 0; i < words.length; i++) {
    keys.push(`w:${words[i]}`);
    if (i > 0) keys.push(`b:${words[i - 1]}|${words[i]}`);
  }
  let prev = '';
  for (const ch of normalized) {
    if (!HAN.test(ch)) {
      prev = '';
      continue;
    }
    if (prev) keys.push(`c:${prev}${ch}`);
    prev = ch;
  }
  return keys;
}

/** Longest text the model reads; intake may pass anything, the rest of a very long letter adds little. */
export const MODEL_TEXT_LIMIT = 4_000;
