import { z } from 'zod';

export { idParams } from '../http/schemas.ts';

/** Text filters are bounded: a 10,000-character "keyword" is a mistake or an attack, answered with a 400. */
export const filterText = (max: number) => z.string().trim().max(max, `不能超过 ${max} 个字符`);

export { likeContains } from '../db/like.ts';

/** Keyset page: `after` = last id of the previous page. */
export const pageQuery = {
  after: z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(20),
};
