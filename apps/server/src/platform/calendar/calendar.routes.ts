import type { FastifyRequest } from 'fastify';
import { calendarOverrideSchema, calendarYearSchema, computeResultSchema } from '@rongjian/shared/api';
import { z } from 'zod';
import type { AppContext } from '../context.ts';
import { AppError } from '../errors.ts';
import type { App } from '../http/app.ts';
import { requireUser } from '../http/auth-hooks.ts';
import type { Actor } from '../ledger/ledger.service.ts';
import { isValidDay, todayInChina } from './calendar.rules.ts';

const isoDay = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, '应为 YYYY-MM-DD 格式')
  .refine(isValidDay, '不是有效的日期');
const year = z.coerce.number().int().min(1900).max(2999);
const note = z.string().trim().max(200).default('');
const kind = z.enum(['workday', 'holiday']);

const TAGS = ['系统管理'];

function actorOf(req: FastifyRequest): Actor {
  const user = requireUser(req);
  return { id: user.id, name: user.displayName };
}

export function registerCalendarRoutes(app: App, ctx: AppContext): void {
  app.get(
    '/api/system/calendar',
    {
      config: { policy: { permission: 'system:calendar:read' } },
      schema: {
        tags: TAGS,
        summary: '某年的工作日历（官方安排、本地调整、数据覆盖情况）',
        querystring: z.strictObject({ year: year.optional() }),
        response: { 200: calendarYearSchema },
      },
    },
    async (req) => ctx.calendar.yearStatus(req.query.year ?? Number(todayInChina().slice(0, 4))),
  );

  app.put(
    '/api/system/calendar/overrides/:day',
    {
      config: { policy: { permission: 'system:calendar:update' } },
      schema: {
        tags: TAGS,
        summary: '设置单日调整（本地加班日或闭馆日）',
        params: z.strictObject({ day: isoDay }),
        body: z.strictObject({ kind, note }),
        response: { 200: calendarOverrideSchema },
      },
    },
    async (req) =>
      ctx.calendar.setOverride(actorOf(req), {
        day: req.params.day,
        kind: req.body.kind,
        note: req.body.note,
      }),
  );

  app.delete(
    '/api/system/calendar/overrides/:day',
    {
      config: { policy: { permission: 'system:calendar:update' } },
      schema: { tags: TAGS, summary: '删除单日调整', params: z.strictObject({ day: isoDay }) },
    },
    async (req, reply) => {
      await ctx.calendar.removeOverride(actorOf(req), req.params.day);
      return reply.status(204).send();
    },
  );

  app.post(
    '/api/system/calendar/years/:year',
    {
      config: { policy: { permission: 'system:calendar:update' } },
      schema: {
        tags: TAGS,
        summary: '录入尚未收录年份的法定节假日安排',
        params: z.strictObject({ year }),
        body: z.strictObject({
          holidays: z.array(isoDay).min(1).max(366),
          workdays: z.array(isoDay).max(366).default([]),
          note,
        }),
        response: { 200: calendarYearSchema },
      },
    },
    async (req) => ctx.calendar.enterYearSchedule(actorOf(req), req.params.year, req.body),
  );

  app.get(
    '/api/system/calendar/compute',
    {
      config: { policy: { permission: 'system:calendar:read' } },
      schema: {
        tags: TAGS,
        summary: '工作日计算：start 之后第 add 个工作日，或 (start, end] 内的工作日数',
        querystring: z.strictObject({
          start: isoDay,
          add: z.coerce.number().int().min(0).max(5000).optional(),
          end: isoDay.optional(),
        }),
        response: {
          200: computeResultSchema,
        },
      },
    },
    async (req) => {
      const { start, add, end } = req.query;
      if ((add === undefined) === (end === undefined)) {
        throw new AppError('VALIDATION_FAILED', '请在 add（加工作日）与 end（计算区间）中二选一');
      }
      const r =
        add !== undefined
          ? await ctx.calendar.addWorkdays(start, add)
          : await ctx.calendar.workdaysBetween(start, end as string);
      return { result: r.value, warnings: r.warnings };
    },
  );
}
