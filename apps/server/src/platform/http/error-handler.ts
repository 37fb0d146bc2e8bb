import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { AppError } from '../errors.ts';
import { isApiPath } from './static.ts';

/** Maps everything thrown in a request to `{ code, message }` with a stable code and a Chinese message. */
export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError, req, reply) => {
    const appError = toAppError(err);
    if (appError.status >= 500) req.log.error({ err }, 'request failed');
    return reply.status(appError.status).send(appError.toJSON());
  });
}

type NotFoundFallback = (req: FastifyRequest, reply: FastifyReply) => FastifyReply | undefined;

/** Unknown routes: client-side routes of the web app get index.html (via `fallback`); the rest a JSON 404. */
export function installNotFoundHandler(app: FastifyInstance, fallback?: NotFoundFallback): void {
  app.setNotFoundHandler((req, reply) => {
    const page = fallback?.(req, reply);
    if (page) return page;
    const path = req.url.split('?')[0] ?? '/';
    const e = isApiPath(path)
      ? new AppError('ROUTE_NOT_FOUND', `接口不存在：${req.method} ${path}`)
      : new AppError('NOT_FOUND', `页面或文件不存在：${path}`);
    return reply.status(404).send(e.toJSON());
  });
}

export function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  if (hasZodFastifySchemaValidationErrors(err)) {
    const where = (err as { validationContext?: string }).validationContext;
    const details = err.validation.map((v) => ({
      path: [where, ...v.instancePath.split('/').filter(Boolean)].filter(Boolean).join('.'),
      message: v.message ?? '无效',
    }));
    const summary = details
      .slice(0, 3)
      .map((d) => `${d.path || '请求'}：${d.message}`)
      .join('；');
    return new AppError('VALIDATION_FAILED', `请求参数无效：${summary}`, { details });
  }
  const e = err as FastifyError;
  switch (e.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new AppError('PAYLOAD_TOO_LARGE', '请求体过大，超出服务器允许的大小');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new AppError('UNSUPPORTED_MEDIA_TYPE', '不支持的请求内容类型（Content-Type）');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new AppError('BAD_JSON', '请求体为空，但声明为 JSON');
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return new AppError('BAD_JSON', '请求体不是有效的 JSON');
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new AppError('VALIDATION_FAILED', '请求的 Content-Length 与实际内容不符');
    case 'FST_ERR_VALIDATION':
      return new AppError('VALIDATION_FAILED', `请求参数无效：${e.message}`);
    // Text PostgreSQL refused (a NUL, bytes not UTF-8) that reached it by a way the text guard does not see: the
    // statement failed and its transaction rolled back, so nothing was written.
    case '22021':
    case '22P05':
      return new AppError('INVALID_CHARACTER', '请求中含有无法保存的字符（如空字符 \\u0000），请删除后重试');
  }
  if (e instanceof SyntaxError || (e.statusCode === 400 && /JSON/i.test(e.message))) {
    return new AppError('BAD_JSON', '请求体不是有效的 JSON');
  }
  if (e.statusCode === 429) return new AppError('RATE_LIMITED', '请求过于频繁，请稍后再试');
  if (e.statusCode && e.statusCode >= 400 && e.statusCode < 500) {
    return new AppError('BAD_REQUEST', `请求无效：${e.message}`, { status: e.statusCode });
  }
  return new AppError('INTERNAL', '服务器内部错误，请稍后重试或联系管理员', { status: 500 });
}
