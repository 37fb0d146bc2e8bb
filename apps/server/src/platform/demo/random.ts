/**
 * Seeded randomness for the demo generator. Everything the generator produces comes from `--seed` through
 * these functions — never `Math.random` or the clock — so one seed always yields the same county.
 *
 * Each concern (grids, staff, entities, …) draws from its own stream, derived from the seed and a label, so a
 * change in how staff are generated does not reshuffle the entities, and later generators can add streams.
 */

/** mulberry32: a tiny 32-bit generator, plenty for demo data (not for anything secret). */
export function mulberry32(state: number): () => number {
  let a = state >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** FNV-1a over the label, mixed with the seed: the starting state of one stream. */
function streamState(seed: number, label: string): number {
  let h = 0x811c9dc5 ^ (seed >>> 0);
  h = Math.imul(h, 0x01000193) >>> 0;
  for (let i = 0; i < label.length; i++) {
    h ^= label.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  // One extra avalanche so nearby seeds start far apart.
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b) >>> 0;
  h ^= h >>> 13;
  return h >>> 0;
}

export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Integer in [min, max], both inclusive. */
  int(min: number, max: number): number;
  /** Uniform in [min, max). */
  float(min: number, max: number): number;
  chance(p: number): boolean;
  pick<T>(items: readonly T[]): T;
}

export function createRng(seed: number, stream: string): Rng {
  const next = mulberry32(streamState(seed, stream));
  return {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    float: (min, max) => min + next() * (max - min),
    chance: (p) => next() < p,
    pick<T>(items: readonly T[]): T {
      if (items.length === 0) throw new Error('pick from an empty list');
      return items[Math.floor(next() * items.length)]!;
    },
  };
}

/** A weighted choice, precomputed once for many draws (binary search over cumulative weights). */
export function weightedPicker<T>(items: readonly T[], weights: readonly number[]): (rng: Rng) => T {
  if (items.length === 0 || items.length !== weights.length) throw new Error('weightedPicker: bad input');
  const cumulative: number[] = [];
  let total = 0;
  for (const w of weights) {
    total += Math.max(0, w);
    cumulative.push(total);
  }
  if (total <= 0) throw new Error('weightedPicker: weights sum to zero');
  return (rng) => {
    const x = rng.next() * total;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid]! > x) hi = mid;
      else lo = mid + 1;
    }
    return items[lo]!;
  };
}

/** Reference date of the generated world: dates in demo data are computed from it, not from the clock. */
export const REFERENCE_DATE = '2026-01-01';
const REFERENCE_MS = Date.UTC(2026, 0, 1);

/** ISO date `days` after (negative: before) the reference date. */
export function dayFromReference(days: number): string {
  return new Date(REFERENCE_MS + days * 86_400_000).toISOString().slice(0, 10);
}
