/**
 * The statistics of the pattern detectors, pure functions (tested on their own): the Poisson upper tail of the
 * line-spike test and ISO-8601 weeks in China time.
 */

/** ln(k!) by summing logs: exact enough for the counts of one week in one area (k ≤ a few thousand). */
function logFactorial(k: number): number {
  let s = 0;
  for (let i = 2; i <= k; i++) s += Math.log(i);
  return s;
}

/**
 * P(X ≥ k) for X ~ Poisson(λ): the chance of seeing at least `k` clues in a week whose expected number is λ.
 * Summed from k upwards in log space, so very small probabilities (a burst over an empty baseline) stay accurate
 * instead of underflowing as `1 − P(X < k)` would.
 */
export function poissonUpperTail(k: number, lambda: number): number {
  if (k <= 0) return 1;
  if (lambda <= 0) return 0;
  let logTerm = -lambda + k * Math.log(lambda) - logFactorial(k);
  let sum = 0;
  for (let i = k; i < k + 10_000; i++) {
    const term = Math.exp(logTerm);
    sum += term;
    if (i > lambda && term < sum * 1e-15) break;
    logTerm += Math.log(lambda) - Math.log(i + 1);
  }
  return Math.min(1, sum);
}

/**
 * The expected weekly count from the baseline weeks: their mean, but never below half a clue over the whole
 * baseline (an area that had no clue of a line in eight weeks is not "certain to stay at zero").
 */
export function baselineLambda(baseline: readonly number[]): { mean: number; lambda: number } {
  const n = baseline.length;
  if (n === 0) return { mean: 0, lambda: 0.5 };
  const mean = baseline.reduce((a, b) => a + b, 0) / n;
  return { mean, lambda: Math.max(mean, 0.5 / n) };
}

const DAY_MS = 86_400_000;

/** Add days to an ISO date (`YYYY-MM-DD`). */
export function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);
}

/** The Monday (ISO week start) of an ISO date. */
export function weekStartOf(day: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  const dow = (d.getUTCDay() + 6) % 7; // Monday 0 … Sunday 6
  return addDays(day, -dow);
}

/** ISO-8601 week label of an ISO date: `2026-W48` (the year is the week's, which differs around New Year). */
export function isoWeek(day: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  const dow = (d.getUTCDay() + 6) % 7;
  // The Thursday of this week decides the year.
  const thursday = new Date(d.getTime() + (3 - dow) * DAY_MS);
  const year = thursday.getUTCFullYear();
  const jan1 = Date.UTC(year, 0, 1);
  const week = 1 + Math.floor((thursday.getTime() - jan1) / (7 * DAY_MS));
  return `${year}-W${String(week).padStart(2, '0')}`;
}
