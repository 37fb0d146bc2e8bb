import Fastify from 'fastify';
import type { WorkOrderResult } from './clues.workorders.exchange.ts';
import { signatureProblem } from './clues.workorders.sign.ts';

/**
 * A fake 12315/12345 platform receiving result push-backs (`POST /results`), for tests and the demo: it checks
 * the signature with the shared key, records what it received, and fails on request (`failNext`).
 */
export class FakeWorkOrderPlatform {
  /** Results accepted, in order. */
  readonly received: WorkOrderResult[] = [];
  /** Requests refused (bad signature) or failed on purpose. */
  refused = 0;
  private failures = 0;
  private failStatus = 500;

  constructor(private readonly secret: string) {}

  /** The next `n` requests answer `status` (default 500). */
  failNext(n: number, status = 500): void {
    this.failures = n;
    this.failStatus = status;
  }

  answer(
    headers: Record<string, string | string[] | undefined>,
    rawBody: string,
  ): { status: number; body: unknown } {
    if (this.failures > 0) {
      this.failures--;
      this.refused++;
      return { status: this.failStatus, body: { code: 'UNAVAILABLE', message: '平台维护中' } };
    }
    const problem = signatureProblem(this.secret, headers, rawBody);
    if (problem) {
      this.refused++;
      return { status: 401, body: { code: 'SIGNATURE_INVALID', message: problem } };
    }
    this.received.push(JSON.parse(rawBody) as WorkOrderResult);
    return { status: 200, body: { code: '0', message: '接收成功' } };
  }
}

/** A stand-alone fake platform on `port` (0: a free one); `url` is the outbound URL to configure. */
export async function startFakeWorkOrderPlatform(opts: {
  secret: string;
  port?: number;
  host?: string;
}): Promise<{ url: string; fake: FakeWorkOrderPlatform; close: () => Promise<void> }> {
  const fake = new FakeWorkOrderPlatform(opts.secret);
  const app = Fastify({ logger: false, forceCloseConnections: true });
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => done(null, body));
  app.post('/results', async (req, reply) => {
    const a = fake.answer(req.headers, String(req.body ?? ''));
    return reply.code(a.status).send(a.body);
  });
  const host = opts.host ?? '127.0.0.1';
  await app.listen({ port: opts.port ?? 0, host });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : opts.port;
  return { url: `http://${host}:${port}/results`, fake, close: () => app.close() };
}
