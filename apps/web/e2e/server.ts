import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer as startRealServer } from '../../server/test/server-process.ts';

/**
 * Boots the real server the way `npm start` does — its own binary, not npm/npx, so the PID we stop is the
 * server — on a free port with a fresh data directory, so the demo seed runs and the web app is built/served.
 */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/**
 * Password of every demo account in the test server (RONGJIAN_DEMO_PASSWORD); satisfies the password policy.
 * Against an already running instance (RONGJIAN_E2E_URL), that instance's demo password must be exported.
 */
export const DEMO_PASSWORD = process.env.RONGJIAN_E2E_URL
  ? (process.env.RONGJIAN_DEMO_PASSWORD ?? '')
  : 'Rj-E2e-Demo#2024';
export const SEED_ENTITIES = 2000;

export interface TestServer {
  url: string;
  port: number;
  dataDir: string;
  /** Everything the server printed so far (for failure messages). */
  output(): string;
  stop(): Promise<void>;
}

export async function startServer(timeoutMs = 240_000): Promise<TestServer> {
  // RONGJIAN_E2E_URL=http://127.0.0.1:5173 runs the suite against a running instance (e.g. the Vite dev server
  // in front of `npm start`) instead of booting one; it must hold the demo seed and nothing else is cleaned up.
  const external = process.env.RONGJIAN_E2E_URL;
  if (external) {
    const res = await fetch(`${external}/api/health`).catch(() => null);
    if (!res?.ok) throw new Error(`RONGJIAN_E2E_URL=${external} 不可用（/api/health 无响应）`);
    return {
      url: external.replace(/\/$/, ''),
      port: Number(new URL(external).port),
      dataDir: '',
      output: () => '',
      stop: async () => {},
    };
  }
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rongjian-e2e-'));
  const server = await startRealServer(
    {
      RONGJIAN_DATA_DIR: dataDir,
      RONGJIAN_SEED: '1',
      RONGJIAN_SEED_ENTITIES: String(SEED_ENTITIES),
      // The pages are tested on a county written straight from the plan (known counts, an empty merge queue);
      // the demo's import through the exchange is tested on the server (platform/demo/exchange.test.ts).
      RONGJIAN_SEED_VIA: 'direct',
      // Six months of clues at a tenth of the demo's volume: the clue pages have history, the start stays quick.
      RONGJIAN_SEED_CLUES: '300',
      RONGJIAN_DEMO_PASSWORD: DEMO_PASSWORD,
    },
    { web: true, timeoutMs },
  ).catch((err: Error) => {
    fs.rmSync(dataDir, { recursive: true, force: true });
    throw new Error(`服务器未能启动：${err.message}`);
  });
  return {
    url: server.url,
    port: server.port,
    dataDir,
    output: server.output,
    async stop() {
      await server.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
