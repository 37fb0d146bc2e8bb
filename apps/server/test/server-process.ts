import { type ChildProcess, spawn } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The real `rongjian` binary as a child process — run with its own binary, not through npm/npx, so the PID we
 * signal is the server itself. Used by the process tests, the browser tests and the start-up benchmark.
 */
export const BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../bin/rongjian.mjs');

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

export interface ServerProcess {
  child: ChildProcess;
  port: number;
  url: string;
  output(): string;
  exited: Promise<number | null>;
  /** SIGTERM, then SIGKILL if it has not exited after 20 s. */
  stop(): Promise<number | null>;
}

/** Run a `rongjian` command with a clean environment of our choosing (DATABASE_URL only when given). */
export function runCli(args: string[], env: NodeJS.ProcessEnv): ServerProcess {
  const { DATABASE_URL: _ignored, ...base } = process.env;
  const child = spawn(process.execPath, [BIN, ...args], {
    env: { ...base, RONGJIAN_LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const port = Number(env.PORT ?? 0);
  return {
    child,
    port,
    url: `http://127.0.0.1:${port}`,
    output: () => out,
    exited,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
        await exited;
        clearTimeout(timer);
      }
      return exited;
    },
  };
}

export interface StartOptions {
  /** Build (if needed) and serve the web app, as `npm start` does; off by default to keep API tests fast. */
  web?: boolean;
  timeoutMs?: number;
}

/** Start the server on a free port and wait until /api/health answers. */
export async function startServer(env: NodeJS.ProcessEnv, opts: StartOptions = {}): Promise<ServerProcess> {
  const timeoutMs = opts.timeoutMs ?? 90_000;
  const port = await freePort();
  const p = runCli(['start', ...(opts.web ? [] : ['--no-web'])], {
    HOST: '127.0.0.1',
    ...env,
    PORT: String(port),
  });
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (p.child.exitCode !== null)
      throw new Error(`server exited early (${p.child.exitCode}):\n${p.output()}`);
    try {
      const res = await fetch(`${p.url}/api/health`);
      if (res.ok) return p;
    } catch {
      // not yet listening
    }
    if (Date.now() > deadline) {
      await p.stop();
      throw new Error(`server not healthy within ${timeoutMs} ms:\n${p.output()}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}
