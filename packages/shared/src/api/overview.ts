import { z } from 'zod';

/** `GET /api/overview`: the county — or, by data scope, the user's part of it — at a glance. */
export const overviewSchema = z.object({
  entities: z.object({
    total: z.number(),
    byType: z.array(
      z.object({
        type: z.enum(['enterprise', 'individual', 'cooperative']),
        label: z.string(),
        count: z.number(),
      }),
    ),
    byStation: z.array(z.object({ stationId: z.number(), stationName: z.string(), count: z.number() })),
    byRisk: z.array(z.object({ riskClass: z.enum(['A', 'B', 'C', 'D']).nullable(), count: z.number() })),
  }),
  departments: z.number(),
  stations: z.number(),
  grids: z.number(),
  staff: z.number(),
});
export type Overview = z.infer<typeof overviewSchema>;
