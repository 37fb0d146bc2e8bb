/**
 * Text the database cannot keep. PostgreSQL stores no NUL character in `text` or `jsonb`, and half of a surrogate
 * pair (a JSON `\ud800` on its own) has no UTF-8 and is refused in `jsonb`. Left to the database either fails the
 * whole statement — a 500 for a request, a lost batch for an import — so both are caught before.
 */

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const LONE_SURROGATES = new RegExp(LONE_SURROGATE.source, 'g');

export type UnstorableKind = 'nul' | 'surrogate';

export function unstorableKind(value: string): UnstorableKind | null {
  if (value.includes('\u0000')) return 'nul';
  if (LONE_SURROGATE.test(value)) return 'surrogate';
  return null;
}

/** The text with NUL shown as ␀ and half characters as U+FFFD: what an error report may keep of it. */
export function storableText(value: string): string {
  if (unstorableKind(value) === null) return value;
  return value.replaceAll('\u0000', '␀').replace(LONE_SURROGATES, '\ufffd');
}

/** The first string (keys included) in a parsed JSON value or query object that the database cannot keep. */
export function findUnstorable(value: unknown): UnstorableKind | null {
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const v = stack.pop();
    if (typeof v === 'string') {
      const kind = unstorableKind(v);
      if (kind) return kind;
    } else if (Array.isArray(v)) {
      for (const item of v) stack.push(item);
    } else if (v !== null && typeof v === 'object' && !Buffer.isBuffer(v)) {
      for (const [k, item] of Object.entries(v)) {
        stack.push(k);
        stack.push(item);
      }
    }
  }
  return null;
}
