import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../../../test/support.ts';
import { type App, buildApp } from './app.ts';

/** The built web app and the API share one port: pages fall back to index.html, the API keeps JSON 404s. */
let t: TestContext;
let app: App;
const dist = fs.mkdtempSync(path.join(os.tmpdir(), 'rongjian-dist-'));
beforeAll(async () => {
  fs.writeFileSync(
    path.join(dist, 'index.html'),
    '<!doctype html><html lang="zh-CN"><title>融监</title></html>',
  );
  fs.mkdirSync(path.join(dist, 'assets'));
  fs.writeFileSync(path.join(dist, 'assets/app.js'), 'console.log(1)');
  t = await createTestContext();
  app = await buildApp(t.ctx, { webDist: dist });
  await app.ready();
});
afterAll(async () => {
  await app.close();
  await t.close();
  fs.rmSync(dist, { recursive: true, force: true });
});

describe('web app on the API port', () => {
  it('serves index.html at / and for client-side routes', async () => {
    for (const url of ['/', '/login', '/system/calendar?year=2027']) {
      const res = await app.inject({ method: 'GET', url });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toContain('text/html');
      expect(res.body).toContain('融监');
    }
  });

  it('serves built assets as files', async () => {
    const res = await app.inject({ method: 'GET', url: '/assets/app.js' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toBe('console.log(1)');
  });

  it('keeps JSON 404s for unknown API routes and missing files', async () => {
    const api = await app.inject({ method: 'GET', url: '/api/nope' });
    expect(api.statusCode).toBe(404);
    expect(api.json().code).toBe('ROUTE_NOT_FOUND');
    const file = await app.inject({ method: 'GET', url: '/assets/missing.js' });
    expect(file.statusCode).toBe(404);
    expect(file.json().code).toBe('NOT_FOUND');
  });

  it('still answers the API', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/health' });
    expect(res.json().status).toBe('ok');
  });
});
