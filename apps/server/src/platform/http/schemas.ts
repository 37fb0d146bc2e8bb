import { z } from 'zod';

/** The error body every route returns on failure. */
export const errorBody = z.object({
  code: z.string(),
  message: z.string(),
  details: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
});

/** `?limit=&after=` keyset pagination, shared by list routes. */
export const keysetQuery = z.strictObject({
  after: z.coerce.number().int().min(0).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});

/** `/:id` of every route addressing a row by id; anything but a positive safe integer is a 400, never a query. */
export const idParams = z.strictObject({
  id: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER),
});
