import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * HMAC-SM3 request signing of the 12315/12345 exchange (both directions, docs/workorders.md):
 *   X-Rongjian-Timestamp  unix seconds, accepted within ±300 s of our clock
 *   X-Rongjian-Nonce      8–64 characters [A-Za-z0-9_-], single use within the window
 *   X-Rongjian-Signature  hex HMAC-SM3(secret, `${timestamp}\n${nonce}\n${rawBody}`)
 */
export const TIMESTAMP_HEADER = 'x-rongjian-timestamp';
export const NONCE_HEADER = 'x-rongjian-nonce';
export const SIGNATURE_HEADER = 'x-rongjian-signature';
export const SIGNATURE_WINDOW_SECONDS = 300;
export const NONCE_RE = /^[A-Za-z0-9_-]{8,64}$/;

export function signBody(secret: string, timestamp: string, nonce: string, rawBody: string): string {
  return createHmac('sm3', secret).update(`${timestamp}\n${nonce}\n${rawBody}`).digest('hex');
}

/** The three headers for a body signed now. */
export function signedHeaders(
  secret: string,
  rawBody: string,
  nonce: string,
  now = Date.now(),
): Record<string, string> {
  const timestamp = String(Math.floor(now / 1000));
  return {
    [TIMESTAMP_HEADER]: timestamp,
    [NONCE_HEADER]: nonce,
    [SIGNATURE_HEADER]: signBody(secret, timestamp, nonce, rawBody),
  };
}

/** Why the headers do not authenticate `rawBody` (null: they do; the nonce's single use is checked by the caller). */
export function signatureProblem(
  secret: string,
  headers: Record<string, string | string[] | undefined>,
  rawBody: string,
  now = Date.now(),
): string | null {
  const one = (h: string) => {
    const v = headers[h];
    return typeof v === 'string' ? v : undefined;
  };
  const timestamp = one(TIMESTAMP_HEADER);
  const nonce = one(NONCE_HEADER);
  const signature = one(SIGNATURE_HEADER);
  if (!timestamp || !nonce || !signature) return '缺少签名请求头';
  if (!/^\d{9,11}$/.test(timestamp)) return '时间戳格式无效';
  if (Math.abs(Number(timestamp) - now / 1000) > SIGNATURE_WINDOW_SECONDS)
    return '时间戳超出允许范围（±300 秒）';
  if (!NONCE_RE.test(nonce)) return '随机串格式无效';
  if (!/^[0-9a-fA-F]{64}$/.test(signature)) return '签名格式无效';
  const expected = Buffer.from(signBody(secret, timestamp, nonce, rawBody), 'hex');
  const given = Buffer.from(signature, 'hex');
  return expected.length === given.length && timingSafeEqual(expected, given) ? null : '签名不匹配';
}
