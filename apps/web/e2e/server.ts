import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Boots the real server the way `npm start` does — its own binary, not npm/npx, so the PID we stop is the
 * server — on a free port with a fresh data directory, so the demo seed runs and the web app is built/served.
 */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const BIN = path.join(REPO_ROOT, 'apps/server/bin/rongjian.mjs');

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

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

function waitForExit(child: ChildProcess, ms: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
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
  const port = await freePort();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rongjian-e2e-'));
  const { DATABASE_URL: _ignored, ...env } = process.env;
  const child = spawn(process.execPath, [BIN, 'start'], {
    cwd: REPO_ROOT,
    env: {
      ...env,
      PORT: String(port),
      HOST: '127.0.0.1',
      RONGJIAN_DATA_DIR: dataDir,
      RONGJIAN_SEED: '1',
      RONGJIAN_SEED_ENTITIES: String(SEED_ENTITIES),
      RONGJIAN_DEMO_PASSWORD: DEMO_PASSWORD,
      RONGJIAN_LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (d) => {
    out += d;
  });
  child.stderr?.on('data', (d) => {
    out += d;
  });
  const url = `http://127.0.0.1:${port}`;

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      if (!(await waitForExit(child, 20_000))) {
        child.kill('SIGKILL');
        await waitForExit(child, 5_000);
      }
    }
    fs.rmSync(dataDir, { recursive: true, force: true });
  };

  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) {
      await stop();
      throw new Error(`服务器提前退出（退出码 ${child.exitCode}）：\n${out}`);
    }
    try {
      const res = await fetch(`${url}/api/health`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`服务器在 ${timeoutMs} ms 内未就绪：\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return { url, port, dataDir, output: () => out, stop };
}
