import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureWebBuild } from '../src/web-build.ts';

/**
 * `npm run bench -- startup`: first start with seeding, cold start on an existing data directory, and idle
 * resident memory of the embedded server — each measured on the real binary, as a user would start it.
 * Targets (issue 2): cold start < 10 s, first start with 20,000 entities < 60 s, idle RSS < 400 MB.
 */
const bin = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../bin/rongjian.mjs');

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

async function startAndWait(
  env: NodeJS.ProcessEnv,
  port: number,
): Promise<{ child: ChildProcess; ms: number }> {
  const t0 = performance.now();
  const child = spawn(process.execPath, [bin, 'start'], {
    env: { ...process.env, ...env, PORT: String(port) },
    stdio: 'ignore',
  });
  const deadline = Date.now() + 300_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
    try {
      const res = await fetch(`http://127.0.0.1:${port}/api/health`);
      if (res.ok) return { child, ms: performance.now() - t0 };
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error('server did not become healthy in 300 s');
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}

function rssMb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return kb / 1024;
}

export async function benchStartup(opts: { entities: number }): Promise<void> {
  ensureWebBuild();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rongjian-bench-'));
  const env = {
    RONGJIAN_DATA_DIR: dataDir,
    RONGJIAN_SEED_ENTITIES: String(opts.entities),
    RONGJIAN_DEMO_PASSWORD: 'Bench-Passw0rd',
    RONGJIAN_LOG_LEVEL: 'warn',
  };
  try {
    const port = await freePort();
    const first = await startAndWait(env, port);
    await stop(first.child);
    const cold = await startAndWait(env, port);
    await new Promise((r) => setTimeout(r, 5000));
    const rss = rssMb(cold.child.pid!);
    await stop(cold.child);
    const rows = [
      [`首次启动（含生成 ${opts.entities} 个经营主体）`, `${(first.ms / 1000).toFixed(1)} s`, '< 60 s'],
      ['冷启动（已有数据目录）至 /api/health 正常', `${(cold.ms / 1000).toFixed(1)} s`, '< 10 s'],
      ['空闲常驻内存（RSS）', `${rss.toFixed(0)} MB`, '< 400 MB'],
    ];
    console.log(`\n启动基准（${os.cpus().length} 核，Node ${process.version}）`);
    for (const [name = '', value = '', target = ''] of rows)
      console.log(`  ${name.padEnd(36)} ${value.padStart(10)}   目标 ${target}`);
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
