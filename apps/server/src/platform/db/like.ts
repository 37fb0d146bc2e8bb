/**
 * LIKE patterns from user text: the user's `%`, `_` and `\` match themselves (PostgreSQL's default escape is
 * `\`), so a search box can never widen a query into "match everything".
 */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** `%text%`: contains. */
export const likeContains = (text: string): string => `%${escapeLike(text)}%`;

/** `text%`: starts with (a btree pattern index can serve it). */
export const likePrefix = (text: string): string => `${escapeLike(text)}%`;
