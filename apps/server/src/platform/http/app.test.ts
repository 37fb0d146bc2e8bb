import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createTestApp, type TestContext } from '../../../test/support.ts';
import type { App } from './app.ts';
import { buildApp } from './app.ts';

let t: TestContext & { app: App };
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

describe('HTTP foundation', () => {
  it('reports health with the live database backend and version', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/health' });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.status).toBe('ok');
    expect(body.database).toBe(process.env.DATABASE_URL ? 'postgresql' : 'pglite');
    expect(body.version).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('answers unknown API routes with a JSON 404', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/no-such-thing' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ code: 'ROUTE_NOT_FOUND', message: expect.stringContaining('接口不存在') });
  });

  it('rejects malformed JSON with 400 BAD_JSON', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers: { 'content-type': 'application/json' },
      payload: '{"username": "admin", ',
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('BAD_JSON');
  });

  it('rejects unknown fields and wrong types with field-level Chinese details', async () => {
    const extra = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'a', password: 'b', isAdmin: true },
    });
    expect(extra.statusCode).toBe(400);
    expect(extra.json().code).toBe('VALIDATION_FAILED');
    expect(JSON.stringify(extra.json().details)).toContain('isAdmin');

    const wrongType = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 1, password: 'x' },
    });
    expect(wrongType.statusCode).toBe(400);
    const detail = wrongType.json().details[0];
    expect(detail.path).toBe('body.username');
    expect(detail.message).toMatch(/[\u4e00-\u9fa5]/);
  });

  it('refuses bodies over the 1 MiB limit with 413', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'x'.repeat(1024 * 1024 + 10), password: 'y' },
    });
    expect(res.statusCode).toBe(413);
    expect(res.json().code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('refuses an unsupported content type with 415', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers: { 'content-type': 'application/xml' },
      payload: '<a/>',
    });
    expect(res.statusCode).toBe(415);
    expect(res.json().code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it('sends security headers', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/health' });
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    expect(res.headers['x-frame-options']).toBeDefined();
  });

  it('publishes OpenAPI 3 for every route and serves Swagger UI', async () => {
    const spec = await t.app.inject({ method: 'GET', url: '/api/docs/json' });
    expect(spec.statusCode).toBe(200);
    const doc = spec.json();
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/api/health', '/api/auth/login', '/api/events/stream']),
    );
    const login = doc.paths['/api/auth/login'].post;
    expect(login.requestBody.content['application/json'].schema.properties).toHaveProperty('username');
    const ui = await t.app.inject({ method: 'GET', url: '/api/docs/' });
    expect(ui.statusCode).toBe(200);
    expect(ui.body).toContain('swagger');
  });

  it('refuses to start when a route declares no access policy or a lax body schema', async () => {
    const register = async (define: (app: App) => void) => {
      const app = await buildApp(t.ctx);
      define(app);
      try {
        await app.ready();
      } finally {
        await app.close();
      }
    };
    await expect(register((app) => app.get('/api/unguarded', async () => ({})))).rejects.toThrow(/访问策略/);
    await expect(
      register((app) =>
        app.post(
          '/api/lax',
          { config: { policy: 'public' }, schema: { body: z.object({ a: z.string() }) } },
          async () => ({}),
        ),
      ),
    ).rejects.toThrow(/strictObject/);
  });
});
