import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../errors.ts';

/** Serves the built web app; any non-API GET that is not a file gets `index.html` (client-side routes). */
export async function serveWebApp(app: FastifyInstance, distDir: string): Promise<void> {
  const indexHtml = fs.readFileSync(path.join(distDir, 'index.html'), 'utf8');
  await app.register(fastifyStatic, { root: distDir, prefix: '/', wildcard: false, index: false });
  app.setNotFoundHandler((req, reply) => {
    const p = req.url.split('?')[0] ?? '/';
    if (req.method !== 'GET' || p.startsWith('/api/') || p === '/api' || p.startsWith('/open311/')) {
      const e = new AppError('ROUTE_NOT_FOUND', `接口不存在：${req.method} ${p}`);
      return reply.status(404).send(e.toJSON());
    }
    if (path.extname(p)) {
      return reply.status(404).send(new AppError('NOT_FOUND', `文件不存在：${p}`).toJSON());
    }
    return reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(indexHtml);
  });
}
