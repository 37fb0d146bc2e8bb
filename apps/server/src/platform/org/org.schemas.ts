import { z } from 'zod';

/** `/:id` of every organisation route; anything that is not a positive integer is a 400, never a query. */
export const idParams = z.strictObject({
  id: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER),
});

/** Text filters are bounded: a 10,000-character "keyword" is a mistake or an attack, answered with a 400. */
export const filterText = (max: number) => z.string().trim().max(max, `不能超过 ${max} 个字符`);

/** Escape LIKE wildcards so a user's `%`, `_` or `\` match themselves (PostgreSQL's default escape is `\`). */
export function likeContains(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** Keyset page: `after` = last id of the previous page. */
export const pageQuery = {
  after: z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(20),
};
