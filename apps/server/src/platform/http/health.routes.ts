import { sql } from 'kysely';
import { z } from 'zod';
import type { AppContext } from '../context.ts';
import { AppError } from '../errors.ts';
import type { App } from './app.ts';

export function registerHealthRoutes(app: App, ctx: AppContext): void {
  app.get(
    '/api/health',
    {
      config: { policy: 'public' },
      schema: {
        tags: ['系统'],
        summary: '健康检查',
        response: {
          200: z.object({
            status: z.literal('ok'),
            database: z.enum(['pglite', 'postgresql']),
            version: z.string(),
          }),
        },
      },
    },
    async () => {
      try {
        await sql`select 1`.execute(ctx.db);
      } catch {
        throw new AppError('DATABASE_UNAVAILABLE', '数据库不可用');
      }
      return { status: 'ok' as const, database: ctx.database.backend, version: ctx.version };
    },
  );
}
