import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

describe('configuration from the environment', () => {
  it('defaults to embedded mode on 127.0.0.1:3000 with ./data', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({
      backend: 'pglite',
      port: 3000,
      host: '127.0.0.1',
      seed: true,
      bodyLimit: 1024 * 1024,
    });
    expect(c.dataDir).toBe(path.resolve('./data'));
  });

  it('switches to server mode with DATABASE_URL and listens on all interfaces', () => {
    const c = loadConfig({ DATABASE_URL: 'postgres://u@db:5432/rj' });
    expect(c).toMatchObject({ backend: 'postgresql', host: '0.0.0.0' });
  });

  it('names every invalid variable in one message', () => {
    const attempt = () =>
      loadConfig({
        PORT: '99999',
        DATABASE_URL: 'mysql://x',
        RONGJIAN_SEED: 'yes',
        RONGJIAN_DEMO_PASSWORD: 'short',
      });
    expect(attempt).toThrow(ConfigError);
    try {
      attempt();
    } catch (err) {
      const msg = (err as Error).message;
      for (const name of ['PORT', 'DATABASE_URL', 'RONGJIAN_SEED', 'RONGJIAN_DEMO_PASSWORD'])
        expect(msg).toContain(name);
    }
  });

  it('treats empty values as unset', () => {
    expect(loadConfig({ PORT: '', DATABASE_URL: '' })).toMatchObject({ port: 3000, backend: 'pglite' });
  });
});
