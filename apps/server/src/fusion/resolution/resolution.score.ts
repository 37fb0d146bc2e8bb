import { distance } from 'fastest-levenshtein';
import { houseNumber } from './resolution.normalize.ts';

/**
 * The match score of a record against a candidate entity — the one place it is computed (docs/fusion.md).
 *
 *   text(a, b)  = max( pg_trgm similarity(a, b), 1 − levenshtein(a, b) / max(|a|, |b|) )   on normal forms
 *   name        = text(name₁, name₂)
 *   address     = text(address₁, address₂) × (house numbers differ ? numberMismatchFactor : 1)
 *   score       = nameWeight × name + (1 − nameWeight) × address
 *
 * Trigram similarity rewards long shared substrings when one spelling has extra words; the edit-distance part
 * keeps a one-character typo in a four-character Chinese name (老王烧烤 / 老汪烧烤) from counting as unrelated —
 * trigrams alone would give 0.25 there. Two shops on one road with different house numbers share most trigrams,
 * hence the house-number factor.
 */
export interface ScoreWeights {
  nameWeight: number;
  numberMismatchFactor: number;
}

export interface ScoreBreakdown {
  score: number;
  nameScore: number;
  addressScore: number;
  /** Both addresses carry a house number, and they differ. */
  numberMismatch: boolean;
}

export function textSimilarity(a: string, b: string, trigram: number): number {
  if (a === '' || b === '') return a === b ? 1 : 0;
  const edit = 1 - distance(a, b) / Math.max(a.length, b.length);
  return Math.max(trigram, edit, 0);
}

const round = (x: number) => Math.round(x * 1000) / 1000;

export function matchScore(
  a: { name: string; address: string },
  b: { name: string; address: string },
  trigram: { name: number; address: number },
  w: ScoreWeights,
): ScoreBreakdown {
  const nameScore = textSimilarity(a.name, b.name, trigram.name);
  const na = houseNumber(a.address);
  const nb = houseNumber(b.address);
  const numberMismatch = na !== null && nb !== null && na !== nb;
  const addressScore =
    textSimilarity(a.address, b.address, trigram.address) * (numberMismatch ? w.numberMismatchFactor : 1);
  return {
    score: round(w.nameWeight * nameScore + (1 - w.nameWeight) * addressScore),
    nameScore: round(nameScore),
    addressScore: round(addressScore),
    numberMismatch,
  };
}
