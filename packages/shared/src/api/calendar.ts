import { z } from 'zod';

/** Working-day calendar contracts (`/api/system/calendar*`). Days are ISO `YYYY-MM-DD` strings. */
export const overrideKindSchema = z.enum(['workday', 'holiday']);
export type OverrideKind = z.infer<typeof overrideKindSchema>;

export const calendarOverrideSchema = z.object({
  day: z.string(),
  kind: overrideKindSchema,
  note: z.string(),
});
export type CalendarOverride = z.infer<typeof calendarOverrideSchema>;

export const yearCoverageSchema = z.enum(['official', 'entered', 'missing']);
export type YearCoverage = z.infer<typeof yearCoverageSchema>;

export const calendarYearSchema = z.object({
  year: z.number(),
  coverage: yearCoverageSchema,
  /** Set when the year has no holiday schedule: results are computed with plain weekends. */
  warning: z.string().nullable(),
  overrides: z.array(calendarOverrideSchema),
  /** Monday–Friday days that are not worked (official holidays and local closures). */
  holidays: z.array(z.string()),
  /** Saturdays and Sundays that are worked (调休 and local make-up days). */
  workdays: z.array(z.string()),
});
export type CalendarYear = z.infer<typeof calendarYearSchema>;

export const computeResultSchema = z.object({
  result: z.union([z.string(), z.number()]),
  warnings: z.array(z.string()),
});
export type ComputeResult = z.infer<typeof computeResultSchema>;
