import type { FastifyInstance } from 'fastify';
import { AppError } from '../errors.ts';
import { findUnstorable } from '../text.ts';

/**
 * Every request's query, path parameters and JSON body are refused with a 400 when a string in them holds text the
 * database cannot keep (a NUL, half a surrogate pair): schemas accept such strings, PostgreSQL does not, and a
 * search or a saved reason would otherwise end in a 500.
 */
export function installTextGuard(app: FastifyInstance): void {
  app.addHook('preValidation', async (req) => {
    const kind = findUnstorable(req.query) ?? findUnstorable(req.params) ?? findUnstorable(req.body);
    if (kind === null) return;
    throw new AppError(
      'INVALID_CHARACTER',
      kind === 'nul'
        ? '请求中含有空字符（\\u0000），无法保存或查询，请删除后重试'
        : '请求中含有残缺的 Unicode 字符（单独的代理项），无法保存或查询，请删除后重试',
    );
  });
}
