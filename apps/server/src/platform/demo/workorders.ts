import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { FakeWorkOrderPlatform } from '../../supervision/clues/clues.workorders.fake-server.ts';
import { getSource, updateSource } from '../../supervision/clues/clues.workorders.ts';
import type { AppContext } from '../context.ts';
import { isDemoDatabase } from './bootstrap.ts';

export const DEMO_WORKORDER_PREFIX = '/api/demo/12315';

/**
 * Demo mode only (embedded database holding the demo county): a fake 12315 platform on our own port receives the
 * result push-backs (`POST /api/demo/12315/results`, HMAC-SM3 checked with the shared key), so closing a 12315
 * clue in the demo shows `结果已回传` on its timeline instead of a failing job. A bureau that pointed the 12315
 * source at another address keeps it; server mode never mounts the fake. Call before `listen`.
 */
export async function mountDemoWorkOrderPlatform(
  app: FastifyInstance,
  ctx: Pick<AppContext, 'db' | 'pii' | 'config'>,
  opts: { port: number },
): Promise<FakeWorkOrderPlatform | null> {
  if (ctx.config.backend !== 'pglite' || !(await isDemoDatabase(ctx.db))) return null;
  const url = `http://127.0.0.1:${opts.port}${DEMO_WORKORDER_PREFIX}/results`;
  const source = await getSource(ctx.db, '12315');
  if (source.outbound_url && source.outbound_url !== url) return null;
  const secret = source.push_secret_enc
    ? ctx.pii.decrypt(source.push_secret_enc)
    : randomBytes(24).toString('base64url');
  if (!source.push_secret_enc || !source.outbound_enabled || source.outbound_url !== url) {
    await updateSource(ctx, '12315', {
      ...(source.push_secret_enc ? {} : { secret }),
      outboundUrl: url,
      outboundEnabled: true,
    });
  }
  const fake = new FakeWorkOrderPlatform(secret);
  await app.register(async (scope) => {
    // The signature covers the raw body: keep it as text in this scope only.
    scope.removeContentTypeParser('application/json');
    scope.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) =>
      done(null, body),
    );
    scope.post(`${DEMO_WORKORDER_PREFIX}/results`, { config: { policy: 'public' } }, async (req, reply) => {
      const a = fake.answer(req.headers, String(req.body ?? ''));
      return reply.code(a.status).send(a.body);
    });
  });
  return fake;
}
