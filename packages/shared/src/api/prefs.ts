import { z } from 'zod';

/**
 * 保存的筛选 (`/api/me/saved-views`): a signed-in user's named filter sets per list page, kept on the server.
 * The filter is the page's own query object (the clue list's `GET /api/clues` parameters), stored as given.
 */
export const SAVED_VIEW_LIMIT = 20;
/** Upper bound of one stored filter, as JSON text. */
export const SAVED_VIEW_FILTER_MAX = 4000;

export const savedViewPageSchema = z
  .string()
  .regex(/^[a-z][a-z0-9-]{1,39}$/, '页面标识应为小写字母、数字或连字符');

const filterValue = z.union([
  z.string().max(200),
  z.number(),
  z.boolean(),
  z.null(),
  z.array(z.union([z.string().max(200), z.number()])).max(50),
]);

export const savedViewFilterSchema = z
  .record(z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,39}$/, '筛选项名称无效'), filterValue)
  .refine((f) => Object.keys(f).length <= 40, '筛选项过多')
  .refine((f) => JSON.stringify(f).length <= SAVED_VIEW_FILTER_MAX, '筛选条件过长');
export type SavedViewFilter = z.infer<typeof savedViewFilterSchema>;

export const savedViewSchema = z.object({
  id: z.number(),
  page: z.string(),
  name: z.string(),
  filter: z.record(z.string(), z.unknown()),
  updatedAt: z.string(),
});
export type SavedView = z.infer<typeof savedViewSchema>;
export const savedViewListSchema = z.object({ items: z.array(savedViewSchema) });
export type SavedViewList = z.infer<typeof savedViewListSchema>;

export const savedViewQuerySchema = z.strictObject({ page: savedViewPageSchema });

/** Body of `POST /api/me/saved-views`: saving under an existing name replaces that view's filter. */
export const savedViewInputSchema = z.strictObject({
  page: savedViewPageSchema,
  name: z.string().trim().min(1, '请填写名称').max(30, '名称最多 30 个字'),
  filter: savedViewFilterSchema,
});
export type SavedViewInput = z.input<typeof savedViewInputSchema>;
