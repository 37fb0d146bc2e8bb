import { GLYPHS } from '../../server/src/supervision/clues/clues.challenge.ts';

/**
 * Test-only: read the public form's challenge picture the way a person does — look at each drawn character and
 * compare it with the known shapes — and compute the sum. The browser tests run against a server whose embedded
 * database cannot be opened by a second process, so the stored answer cannot be read there (the API tests read it
 * from the table, `apps/server/test/challenge-support.ts`).
 */
export function solveChallengeSvg(svg: string): string {
  const paths = [...svg.matchAll(/<path d="([^"]+)" transform="translate\(([\d.]+) /g)].map((m) => ({
    d: m[1]!,
    x: Number(m[2]),
  }));
  const text = paths
    .sort((a, b) => a.x - b.x)
    .map(({ d }) => recognise(d))
    .join('');
  const m = /^(\d+)([+-])(\d+)=\?$/.exec(text);
  if (!m) throw new Error(`challenge not recognised: ${text}`);
  return String(m[2] === '+' ? Number(m[1]) + Number(m[3]) : Number(m[1]) - Number(m[3]));
}

function recognise(d: string): string {
  const strokes = d
    .split('M')
    .filter(Boolean)
    .map((s) =>
      s.split('L').map((p) => {
        const [x, y] = p.trim().split(/\s+/).map(Number);
        return [x!, y!] as const;
      }),
    );
  let best = { ch: '?', cost: Number.POSITIVE_INFINITY };
  for (const [ch, glyph] of Object.entries(GLYPHS)) {
    if (glyph.length !== strokes.length || glyph.some((g, i) => g.length !== strokes[i]!.length)) continue;
    let cost = 0;
    for (const [i, g] of glyph.entries()) {
      for (const [j, [gx, gy]] of g.entries()) {
        const [x, y] = strokes[i]![j]!;
        cost += (gx - x) ** 2 + (gy - y) ** 2;
      }
    }
    if (cost < best.cost) best = { ch, cost };
  }
  return best.ch;
}
