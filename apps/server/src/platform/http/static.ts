import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fs from 'node:fs';
import path from 'node:path';

/** Registers the built web app's files; returns the fallback that answers client-side routes with `index.html`. */
export async function serveWebApp(
  app: FastifyInstance,
  distDir: string,
): Promise<(req: FastifyRequest, reply: FastifyReply) => FastifyReply | undefined> {
  const indexHtml = fs.readFileSync(path.join(distDir, 'index.html'), 'utf8');
  await app.register(fastifyStatic, { root: distDir, prefix: '/', wildcard: false, index: false });
  app.get('/', { config: { policy: 'public' }, schema: { hide: true } }, (_req, reply) =>
    sendIndex(reply, indexHtml),
  );
  return (req, reply) => {
    const p = req.url.split('?')[0] ?? '/';
    const isPage = req.method === 'GET' && !isApiPath(p) && !path.extname(p);
    return isPage ? sendIndex(reply, indexHtml) : undefined;
  };
}

function sendIndex(reply: FastifyReply, html: string) {
  return reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(html);
}

export function isApiPath(p: string): boolean {
  return p === '/api' || p.startsWith('/api/') || p.startsWith('/open311/');
}
