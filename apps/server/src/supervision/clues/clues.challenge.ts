import { createHash, randomInt, randomUUID, timingSafeEqual } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import type { DB } from '../../platform/db/schema.ts';
import { AppError } from '../../platform/errors.ts';

/**
 * The public form's challenge (captcha-style, works offline): a small sum or difference drawn server-side as an
 * SVG of distorted strokes — no text element, no font, no external asset. Only a salted hash of the answer is
 * stored, with an expiry; a challenge is used once, whether the answer was right or not.
 */

/** Strokes of each character on a 10 × 16 grid (polyline points). */
export const GLYPHS: Record<string, [number, number][][]> = {
  '0': [
    [
      [5, 1],
      [8, 3],
      [9, 8],
      [8, 13],
      [5, 15],
      [2, 13],
      [1, 8],
      [2, 3],
      [5, 1],
    ],
  ],
  '1': [
    [
      [3, 4],
      [6, 1],
      [6, 15],
    ],
    [
      [3, 15],
      [9, 15],
    ],
  ],
  '2': [
    [
      [1, 4],
      [3, 1],
      [7, 1],
      [9, 4],
      [8, 7],
      [1, 15],
      [9, 15],
    ],
  ],
  '3': [
    [
      [1, 2],
      [8, 2],
      [4, 7],
      [7, 8],
      [9, 11],
      [7, 15],
      [2, 15],
      [1, 13],
    ],
  ],
  '4': [
    [
      [7, 15],
      [7, 1],
      [1, 11],
      [9, 11],
    ],
  ],
  '5': [
    [
      [9, 1],
      [2, 1],
      [1, 7],
      [6, 6],
      [9, 9],
      [8, 14],
      [5, 15],
      [1, 14],
    ],
  ],
  '6': [
    [
      [8, 2],
      [4, 1],
      [1, 6],
      [1, 12],
      [4, 15],
      [8, 13],
      [8, 9],
      [4, 8],
      [1, 10],
    ],
  ],
  '7': [
    [
      [1, 1],
      [9, 1],
      [4, 15],
    ],
  ],
  '8': [
    [
      [5, 8],
      [2, 5],
      [3, 2],
      [5, 1],
      [7, 2],
      [8, 5],
      [5, 8],
      [1, 11],
      [3, 15],
      [7, 15],
      [9, 11],
      [5, 8],
    ],
  ],
  '9': [
    [
      [8, 6],
      [5, 8],
      [2, 6],
      [2, 3],
      [5, 1],
      [8, 3],
      [8, 10],
      [5, 15],
      [2, 14],
    ],
  ],
  '+': [
    [
      [5, 4],
      [5, 12],
    ],
    [
      [1, 8],
      [9, 8],
    ],
  ],
  '-': [
    [
      [1, 8],
      [9, 8],
    ],
  ],
  '=': [
    [
      [1, 6],
      [9, 6],
    ],
    [
      [1, 10],
      [9, 10],
    ],
  ],
  '?': [
    [
      [2, 4],
      [4, 1],
      [7, 1],
      [9, 4],
      [5, 8],
      [5, 11],
    ],
    [
      [5, 14],
      [5, 15],
    ],
  ],
};

const WIDTH = 180;
const HEIGHT = 56;
const COLORS = ['#1d39c4', '#531dab', '#ad2102', '#006d75', '#874d00', '#3f6600', '#262626'];

const rnd = (min: number, max: number) => min + (randomInt(0, 1_000_000) / 1_000_000) * (max - min);
const pick = <T>(a: readonly T[]): T => a[randomInt(a.length)]!;
const f = (n: number) => n.toFixed(2);

/** A new arithmetic question: `23+7=?` or `41-6=?`, answer 4–58. */
export function newQuestion(): { text: string; answer: string } {
  const a = randomInt(10, 50);
  const b = randomInt(1, 10);
  return randomInt(2) === 0
    ? { text: `${a}+${b}=?`, answer: String(a + b) }
    : { text: `${a}-${b}=?`, answer: String(a - b) };
}

/** The question drawn as distorted strokes with noise curves and dots. */
export function renderChallengeSvg(text: string): string {
  const parts: string[] = [];
  // Noise behind the characters.
  for (let i = 0; i < 40; i++) {
    parts.push(
      `<circle cx="${f(rnd(0, WIDTH))}" cy="${f(rnd(0, HEIGHT))}" r="${f(rnd(0.6, 1.6))}" fill="${pick(COLORS)}" opacity="0.5"/>`,
    );
  }
  const chars = [...text];
  const step = (WIDTH - 16) / chars.length;
  chars.forEach((ch, i) => {
    const strokes = GLYPHS[ch];
    if (!strokes) return;
    const d = strokes
      .map((s) =>
        s
          .map(([x, y], j) => `${j === 0 ? 'M' : 'L'}${f(x + rnd(-0.35, 0.35))} ${f(y + rnd(-0.35, 0.35))}`)
          .join(''),
      )
      .join('');
    const scale = rnd(1.9, 2.4);
    const x = 8 + i * step + rnd(-2, 2);
    const y = rnd(4, HEIGHT - 16 * scale - 2);
    const rot = rnd(-20, 20);
    const skew = rnd(-12, 12);
    parts.push(
      `<path d="${d}" transform="translate(${f(x)} ${f(Math.max(1, y))}) rotate(${f(rot)} 5 8) skewX(${f(skew)}) scale(${f(scale)})" fill="none" stroke="${pick(COLORS)}" stroke-width="${f(rnd(2, 2.8))}" stroke-linecap="round" stroke-linejoin="round" vector-effect="non-scaling-stroke"/>`,
    );
  });
  // Curves across the characters.
  for (let i = 0; i < 3; i++) {
    parts.push(
      `<path d="M${f(rnd(0, 20))} ${f(rnd(5, HEIGHT - 5))}C${f(rnd(40, 80))} ${f(rnd(0, HEIGHT))} ${f(rnd(100, 140))} ${f(rnd(0, HEIGHT))} ${f(rnd(160, WIDTH))} ${f(rnd(5, HEIGHT - 5))}" fill="none" stroke="${pick(COLORS)}" stroke-width="${f(rnd(0.8, 1.4))}" opacity="0.7"/>`,
    );
  }
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-label="验证码图片"><rect width="100%" height="100%" fill="#f5f7fa"/>${parts.join('')}</svg>`;
}

export const hashAnswer = (id: string, answer: string) =>
  createHash('sha256').update(`${id}:${answer.trim()}`).digest('hex');

/** Create and store a challenge; the caller returns `{ id, svg }` to the browser. */
export async function createChallenge(
  db: Kysely<DB>,
  ttlMinutes: number,
): Promise<{ id: string; svg: string; expiresAt: string }> {
  const id = randomUUID();
  const q = newQuestion();
  const row = await db
    .insertInto('public_challenge')
    .values({
      id,
      answer_hash: hashAnswer(id, q.answer),
      expires_at: sql<Date>`now() + make_interval(mins => ${ttlMinutes})`,
    })
    .returning('expires_at')
    .executeTakeFirstOrThrow();
  return { id, svg: renderChallengeSvg(q.text), expiresAt: new Date(row.expires_at).toISOString() };
}

export const challengeFailed = () =>
  new AppError('CHALLENGE_FAILED', '验证码错误或已过期，请刷新验证码后重新输入', {
    status: 400,
    details: [{ path: 'challengeAnswer', message: '验证码错误或已过期' }],
  });

/**
 * Use the challenge up (committed on its own, before the submission's transaction, so a wrong answer cannot be
 * retried against the same challenge) and check the answer.
 */
export async function consumeChallenge(db: Kysely<DB>, id: string, answer: string): Promise<void> {
  const row = await db
    .updateTable('public_challenge')
    .set({ used_at: sql<Date>`now()` })
    .where('id', '=', id)
    .where('used_at', 'is', null)
    .where('expires_at', '>', sql<Date>`now()`)
    .returning('answer_hash')
    .executeTakeFirst();
  if (!row) throw challengeFailed();
  const given = Buffer.from(hashAnswer(id, answer), 'hex');
  const stored = Buffer.from(row.answer_hash, 'hex');
  if (given.length !== stored.length || !timingSafeEqual(given, stored)) throw challengeFailed();
}

/** Remove challenges that expired more than an hour ago (the cleanup job). */
export async function purgeChallenges(db: Kysely<DB>): Promise<number> {
  const r = await db
    .deleteFrom('public_challenge')
    .where('expires_at', '<', sql<Date>`now() - interval '1 hour'`)
    .executeTakeFirst();
  return Number(r.numDeletedRows);
}
