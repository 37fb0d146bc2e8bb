import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { parseDateTime } from './exchange.checks.ts';

/**
 * A fake government data exchange API speaking the pull protocol of `exchange.http.ts` over an array of records
 * (any dataset, keyed by the exchange's own column names), with failure injection for tests and demos: a delay
 * beyond the client's timeout, HTTP 500, a garbage body, truncated JSON, or JSON of the wrong shape — on page N,
 * for a number of requests. Tests start it on a random port; the demo mounts it on the platform's own server.
 */

export type FakeFailureKind = 'delay' | 'error500' | 'garbage' | 'truncated' | 'wrong-shape';

export interface FakeFailure {
  /** 1-based page of a listing (offset / limit + 1). */
  page: number;
  kind: FakeFailureKind;
  /** How many requests of that page fail (default: all). */
  times?: number;
  /** For `delay` (default 60 s). */
  delayMs?: number;
}

export interface FakeExchangeOptions {
  records: Record<string, unknown>[];
  /** Serve only this dataset (another one is a 400); default: any dataset gets the records. */
  dataset?: string;
  /** The records' 更新时间 column, for `updated_since` (default `更新时间`). */
  updatedField?: string;
  /** Require `Authorization: Bearer <token>`. */
  token?: string;
  /** The server's clock (`server_time`). */
  now?: () => Date;
}

export interface FakeRequest {
  page: number;
  dataset: string;
  updatedSince: string | null;
  cursor: string | null;
  limit: number;
}

interface Answer {
  status: number;
  body: string;
  type: string;
}

const MAX_LIMIT = 5000;

export class FakeExchange {
  records: Record<string, unknown>[];
  failures: FakeFailure[] = [];
  /** Every request answered, in order. */
  readonly requests: FakeRequest[] = [];
  private readonly pendingDelays = new Set<() => void>();

  constructor(private readonly opts: FakeExchangeOptions) {
    this.records = opts.records;
  }

  private timeOf(r: Record<string, unknown>): number {
    const text = r[this.opts.updatedField ?? '更新时间'];
    const iso = typeof text === 'string' ? parseDateTime(text.trim()) : null;
    return iso ? Date.parse(iso) : Number.NEGATIVE_INFINITY;
  }

  private injected(page: number): FakeFailure | undefined {
    const f = this.failures.find((x) => x.page === page && (x.times === undefined || x.times > 0));
    if (f && f.times !== undefined) f.times--;
    return f;
  }

  private delay(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.pendingDelays.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.pendingDelays.add(done);
    });
  }

  /** End injected delays at once (before closing a server). */
  releaseDelays(): void {
    for (const done of [...this.pendingDelays]) done();
  }

  async answer(
    query: Record<string, string | undefined>,
    authorization: string | undefined,
  ): Promise<Answer> {
    const json = (status: number, value: unknown): Answer => ({
      status,
      body: JSON.stringify(value),
      type: 'application/json; charset=utf-8',
    });
    if (this.opts.token && authorization !== `Bearer ${this.opts.token}`) {
      return json(401, { code: 'UNAUTHENTICATED', message: '访问令牌无效' });
    }
    const dataset = query.dataset ?? '';
    if (!dataset || (this.opts.dataset && dataset !== this.opts.dataset)) {
      return json(400, { code: 'BAD_DATASET', message: `不提供数据集“${dataset}”` });
    }
    const limit = Math.min(Math.max(Number(query.limit) || 100, 1), MAX_LIMIT);
    let since = Number.NEGATIVE_INFINITY;
    if (query.updated_since) {
      since = Date.parse(query.updated_since);
      if (Number.isNaN(since))
        return json(400, { code: 'BAD_SINCE', message: 'updated_since 不是 ISO 时间' });
    }
    let offset = 0;
    if (query.cursor) {
      const decoded = Number(Buffer.from(query.cursor, 'base64url').toString('utf8').replace(/^o:/, ''));
      if (!Number.isInteger(decoded) || decoded < 0)
        return json(400, { code: 'BAD_CURSOR', message: '游标无效' });
      offset = decoded;
    }
    const page = Math.floor(offset / limit) + 1;
    this.requests.push({
      page,
      dataset,
      updatedSince: query.updated_since ?? null,
      cursor: query.cursor ?? null,
      limit,
    });
    const failure = this.injected(page);
    if (failure?.kind === 'delay') await this.delay(failure.delayMs ?? 60_000);
    if (failure?.kind === 'error500') return json(500, { code: 'INTERNAL', message: '交换平台内部错误' });
    if (failure?.kind === 'garbage') {
      return { status: 200, body: '<html><body>502 Bad Gateway（网关）</body></html>', type: 'text/html' };
    }

    const listed = this.records
      .map((r, i) => ({ r, i, t: this.timeOf(r) }))
      .filter((x) => x.t >= since)
      .sort((a, b) => a.t - b.t || a.i - b.i);
    const slice = listed.slice(offset, offset + limit).map((x) => x.r);
    const end = offset + slice.length;
    const body = {
      records: slice,
      next_cursor: end < listed.length ? Buffer.from(`o:${end}`).toString('base64url') : null,
      server_time: (this.opts.now?.() ?? new Date()).toISOString(),
    };
    if (failure?.kind === 'wrong-shape') return json(200, { data: slice, total: listed.length });
    const answer = json(200, body);
    if (failure?.kind === 'truncated') answer.body = answer.body.slice(0, Math.floor(answer.body.length / 2));
    return answer;
  }
}

/** Serve `fake` at `{prefix}/records` on an existing Fastify app (public: the demo's stand-in for the exchange). */
export function mountFakeExchange(app: FastifyInstance, prefix: string, fake: FakeExchange): void {
  app.get(
    `${prefix.replace(/\/+$/, '')}/records`,
    { config: { policy: 'public' } },
    async (req: FastifyRequest, reply: FastifyReply) => {
      const a = await fake.answer(req.query as Record<string, string | undefined>, req.headers.authorization);
      return reply.code(a.status).type(a.type).send(a.body);
    },
  );
}

/** A stand-alone fake exchange on `port` (0: a free one). `url` is the base URL a source is configured with. */
export async function startFakeExchangeServer(
  opts: FakeExchangeOptions & { port?: number; host?: string },
): Promise<{ url: string; fake: FakeExchange; close: () => Promise<void> }> {
  const fake = new FakeExchange(opts);
  const app = Fastify({ logger: false, forceCloseConnections: true });
  mountFakeExchange(app, '', fake);
  const host = opts.host ?? '127.0.0.1';
  await app.listen({ port: opts.port ?? 0, host });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : opts.port;
  return {
    url: `http://${host}:${port}`,
    fake,
    async close() {
      fake.releaseDelays();
      await app.close();
    },
  };
}
