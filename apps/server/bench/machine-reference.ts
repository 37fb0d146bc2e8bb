import { createHash } from 'node:crypto';
import os from 'node:os';
import pg from 'pg';
import { percentile } from './bench-support.ts';

/**
 * How fast this machine is right now, in two fixed pieces of work: the same code on the same machine has run twice
 * as slow on one day as on another (docs/performance.md), so figures from different days compare only next to this.
 * Smaller is faster. Each is the median of five runs.
 */
export interface MachineReference {
  /** One Node thread: JSON, string and hashing work shaped like an import's parsing and planning. */
  nodeMs: number;
  /** One PostgreSQL backend: a fixed aggregate over generated rows (null: no server reachable at `pgUrl`). */
  postgresMs: number | null;
  load: number[];
}

const median = (xs: number[]) => percentile(xs, 0.5);

function nodeWork(): number {
  const t0 = performance.now();
  const rows = Array.from({ length: 20_000 }, (_, i) => ({
    id: i,
    name: `示范县第${i}号便利店有限公司`,
    address: `江苏省苏州市示范县人民路 ${i} 号`,
    fields: { a: i * 3, b: `值${i}`, c: [i, i + 1, i + 2] },
  }));
  let n = 0;
  for (let k = 0; k < 3; k++) {
    const text = JSON.stringify(rows);
    n += (JSON.parse(text) as unknown[]).length;
    for (const r of rows) n += createHash('sha256').update(r.name).digest()[0]!;
  }
  if (n < 0) throw new Error('unreachable');
  return performance.now() - t0;
}

async function postgresWork(client: pg.Client): Promise<number> {
  const t0 = performance.now();
  await client.query(`select sum(length(md5(i::text))) from generate_series(1, 400000) i`);
  return performance.now() - t0;
}

export async function measureMachine(pgUrl?: string): Promise<MachineReference> {
  nodeWork(); // warm-up: JIT
  const nodeMs = median(Array.from({ length: 5 }, nodeWork));
  let postgresMs: number | null = null;
  if (pgUrl) {
    const client = new pg.Client({ connectionString: pgUrl, connectionTimeoutMillis: 3_000 });
    try {
      await client.connect();
      await postgresWork(client);
      const runs: number[] = [];
      for (let i = 0; i < 5; i++) runs.push(await postgresWork(client));
      postgresMs = median(runs);
    } catch {
      postgresMs = null;
    } finally {
      await client.end().catch(() => {});
    }
  }
  return { nodeMs, postgresMs, load: os.loadavg() };
}

export function describeMachine(label: string, m: MachineReference): string {
  const pgPart =
    m.postgresMs === null ? 'PostgreSQL 不可用' : `PostgreSQL 单连接 ${m.postgresMs.toFixed(0)} ms`;
  return (
    `机器速度参照（${label}）：Node 单线程 ${m.nodeMs.toFixed(0)} ms，${pgPart}，` +
    `负载 ${m.load.map((x) => x.toFixed(2)).join(' / ')}（数值越小越快；不同日期的结果只在参照相近时可比）`
  );
}
