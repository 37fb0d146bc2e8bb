import { randomBytes } from 'node:crypto';
import { signedHeaders } from './clues.workorders.sign.ts';

/** The result of a clue raised from a 12315/12345 order, as pushed back to the platform it came from. */
export interface WorkOrderResult {
  source: string;
  orderNo: string;
  clueNumber: string;
  /** Our status code (`closed`, `direct`, `rejected`, `transferred`, `feedback`) and its Chinese label. */
  status: string;
  statusLabel: string;
  result: string;
  closedAt: string | null;
  satisfaction?: 'satisfied' | 'basically' | 'unsatisfied';
}

/** The outbound side of the work-order exchange. Throws when the result did not arrive (the job retries). */
export interface WorkOrderExchange {
  pushResult(order: WorkOrderResult): Promise<void>;
}

export const PUSH_TIMEOUT_MS = 10_000;

/**
 * The real adapter: `POST <outbound_url>` with the result as JSON, signed like inbound pushes (HMAC-SM3 over
 * timestamp, nonce and the raw body). A non-2xx answer, a timeout or a refused connection is a failure.
 */
export class HttpWorkOrderExchange implements WorkOrderExchange {
  constructor(
    private readonly url: string,
    private readonly secret: string,
    private readonly timeoutMs = PUSH_TIMEOUT_MS,
  ) {}

  async pushResult(order: WorkOrderResult): Promise<void> {
    const body = JSON.stringify(order);
    let res: Response;
    try {
      res = await fetch(this.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json; charset=utf-8',
          ...signedHeaders(this.secret, body, randomBytes(16).toString('hex')),
        },
        body,
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (err) {
      const timeout = (err as { name?: string }).name === 'TimeoutError';
      throw new Error(timeout ? `回推超时（${this.timeoutMs / 1000} 秒）` : '无法连接回推地址');
    }
    const text = await res.text().catch(() => '');
    if (!res.ok) throw new Error(`回推地址返回 HTTP ${res.status}${text ? `：${text.slice(0, 200)}` : ''}`);
  }
}
