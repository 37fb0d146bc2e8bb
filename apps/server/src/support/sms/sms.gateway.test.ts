import { createHmac } from 'node:crypto';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpSmsGateway } from './sms.gateway.ts';

/** The real HTTP adapter against a stand-in for an SMS provider (a true third party). */
const received: Record<string, string>[] = [];
let answer: { status: number; body: unknown } = { status: 200, body: { code: 0 } };
const provider = Fastify({ logger: false, forceCloseConnections: true });
provider.post('/sms', async (req, reply) => {
  received.push(req.body as Record<string, string>);
  return reply.code(answer.status).send(answer.body);
});
let url = '';
beforeAll(async () => {
  await provider.listen({ port: 0, host: '127.0.0.1' });
  const a = provider.server.address();
  url = `http://127.0.0.1:${typeof a === 'object' && a ? a.port : 0}/sms`;
});
afterAll(async () => {
  await provider.close();
});

const gateway = () =>
  new HttpSmsGateway({ url, account: 'rj', signName: '示范县市场监管', key: 'k-123456', timeoutMs: 2000 });

describe('HTTP SMS gateway', () => {
  it('posts the signed message with the sign name and reads code 0 as sent', async () => {
    answer = { status: 200, body: { code: 0 } };
    expect(await gateway().send('13812345678', '您反映的问题已受理。')).toEqual({ ok: true });
    const m = received.at(-1)!;
    expect(m).toMatchObject({
      account: 'rj',
      mobile: '13812345678',
      content: '【示范县市场监管】您反映的问题已受理。',
    });
    const sign = createHmac('sm3', 'k-123456')
      .update(`rj\n13812345678\n${m.timestamp}\n${m.content}`)
      .digest('hex');
    expect(m.sign).toBe(sign);
  });

  it('reports a refusal, an HTTP error and an unreachable gateway as failures in Chinese', async () => {
    answer = { status: 200, body: { code: 'BALANCE_LOW' } };
    expect(await gateway().send('13812345678', '测试')).toEqual({
      ok: false,
      error: '短信网关拒绝：BALANCE_LOW',
    });
    answer = { status: 503, body: {} };
    expect(await gateway().send('13812345678', '测试')).toEqual({
      ok: false,
      error: '短信网关返回 HTTP 503',
    });
    const gone = new HttpSmsGateway({
      url: 'http://127.0.0.1:1/sms',
      account: 'rj',
      signName: '',
      key: 'k',
      timeoutMs: 2000,
    });
    expect(await gone.send('13812345678', '测试')).toEqual({ ok: false, error: '无法连接短信网关' });
  });
});
