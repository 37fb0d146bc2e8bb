import { createHmac } from 'node:crypto';
import type { AppContext } from '../../platform/context.ts';
import { smsGatewaySetting } from './sms.settings.ts';

/** What a gateway answered for one message. */
export type SmsSendResult = { ok: true } | { ok: false; error: string };

/** Sends one text message to one phone number. */
export interface SmsGateway {
  /** Recorded on each outbox row (`fake`, `http`). */
  readonly name: string;
  send(phone: string, text: string): Promise<SmsSendResult>;
}

/** Records only: the outbox row is the message (tests, the demo, a county without a gateway contract). */
export class FakeSmsGateway implements SmsGateway {
  readonly name = 'fake';
  async send(): Promise<SmsSendResult> {
    return { ok: true };
  }
}

export interface HttpSmsConfig {
  url: string;
  account: string;
  signName: string;
  key: string;
  timeoutMs: number;
}

/**
 * A generic HTTP SMS gateway: `POST url` with JSON `{account, mobile, content, timestamp, sign}` where `sign` is
 * hex HMAC-SM3(key, `${account}\n${mobile}\n${timestamp}\n${content}`) and `content` starts with 【signName】.
 * A 2xx answer whose JSON has no `code` or `code` 0 / "0" / "OK" is success; anything else is a failure.
 */
export class HttpSmsGateway implements SmsGateway {
  readonly name = 'http';
  constructor(private readonly cfg: HttpSmsConfig) {}

  async send(phone: string, text: string): Promise<SmsSendResult> {
    const content = this.cfg.signName ? `【${this.cfg.signName}】${text}` : text;
    const timestamp = String(Math.floor(Date.now() / 1000));
    const sign = createHmac('sm3', this.cfg.key)
      .update(`${this.cfg.account}\n${phone}\n${timestamp}\n${content}`)
      .digest('hex');
    try {
      const res = await fetch(this.cfg.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json; charset=utf-8' },
        body: JSON.stringify({ account: this.cfg.account, mobile: phone, content, timestamp, sign }),
        signal: AbortSignal.timeout(this.cfg.timeoutMs),
      });
      const body = await res.text();
      if (!res.ok) return { ok: false, error: `短信网关返回 HTTP ${res.status}` };
      let code: unknown;
      try {
        code = (JSON.parse(body) as { code?: unknown }).code;
      } catch {
        code = undefined;
      }
      if (code === undefined || code === 0 || code === '0' || code === 'OK') return { ok: true };
      return { ok: false, error: `短信网关拒绝：${String(code).slice(0, 100)}` };
    } catch (err) {
      const timeout = (err as { name?: string }).name === 'TimeoutError';
      return { ok: false, error: timeout ? '短信网关超时' : '无法连接短信网关' };
    }
  }
}

/** The gateway the `sms.gateway` setting selects (the HTTP one needs its key set). */
export async function smsGateway(ctx: Pick<AppContext, 'db' | 'pii' | 'settings'>): Promise<SmsGateway> {
  const cfg = ctx.settings.get(smsGatewaySetting);
  if (cfg.mode !== 'http') return new FakeSmsGateway();
  const cred = await ctx.db
    .selectFrom('sms_credential')
    .select('key_enc')
    .where('id', '=', 1)
    .executeTakeFirst();
  return new HttpSmsGateway({
    url: cfg.url,
    account: cfg.account,
    signName: cfg.signName,
    key: cred?.key_enc ? ctx.pii.decrypt(cred.key_enc) : '',
    timeoutMs: cfg.timeoutMs,
  });
}
