import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServer } from '../test/server-process.ts';
import { ensureWebBuild } from '../src/web-build.ts';

/**
 * `npm run bench -- startup`: first start with seeding, cold start on an existing data directory, and idle
 * resident memory of the embedded server — each measured on the real binary, as a user starts it.
 * Targets (issue 2): cold start < 10 s, first start with 20,000 entities < 60 s, idle RSS < 400 MB.
 */
function rssMb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const t0 = performance.now();
  const value = await fn();
  return [value, (performance.now() - t0) / 1000];
}

export async function benchStartup(opts: { entities: number }): Promise<void> {
  ensureWebBuild(); // the build is a one-off of the first `npm start`, not part of start-up time
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rongjian-bench-'));
  const env = {
    RONGJIAN_DATA_DIR: dataDir,
    RONGJIAN_SEED_ENTITIES: String(opts.entities),
    RONGJIAN_DEMO_PASSWORD: 'Bench-Passw0rd',
  };
  try {
    const [first, firstSeconds] = await timed(() => startServer(env, { web: true, timeoutMs: 300_000 }));
    await first.stop();
    const [cold, coldSeconds] = await timed(() => startServer(env, { web: true }));
    await new Promise((r) => setTimeout(r, 5000));
    const rss = rssMb(cold.child.pid!);
    await cold.stop();
    const rows: [string, string, string][] = [
      [`首次启动（含生成 ${opts.entities} 个经营主体）`, `${firstSeconds.toFixed(1)} s`, '< 60 s'],
      ['冷启动（已有数据目录）至 /api/health 正常', `${coldSeconds.toFixed(1)} s`, '< 10 s'],
      ['空闲常驻内存（RSS）', `${rss.toFixed(0)} MB`, '< 400 MB'],
    ];
    console.log(`\n启动基准（${os.cpus().length} 核，Node ${process.version}）`);
    for (const [name, value, target] of rows)
      console.log(`  ${name.padEnd(30)} ${value.padStart(10)}   目标 ${target}`);
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
