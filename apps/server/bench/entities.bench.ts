import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { PGlite } from '@electric-sql/pglite';
import { sql } from 'kysely';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { loadConfig } from '../src/config.ts';
import { createContext } from '../src/context.ts';
import type { AppContext } from '../src/platform/context.ts';
import { type Database, openDatabase } from '../src/platform/db/database.ts';
import { migrateToLatest } from '../src/platform/db/migrate.ts';
import { buildGrids } from '../src/platform/demo/county.ts';
import { generateEntities } from '../src/platform/demo/entities.ts';
import { createRng } from '../src/platform/demo/random.ts';
import { seedDemoCounty } from '../src/platform/demo/seed.ts';
import { buildApp } from '../src/platform/http/app.ts';
import { runImport } from '../src/support/exchange/exchange.import.ts';
import { BENCH_PASSWORD, percentile, withBenchDatabase } from './bench-support.ts';

/**
 * `npm run bench -- entities [--pg URL] [--rows N] [--pglite-rows N]`: the 经营主体 register at county-and-beyond
 * scale (issue 4). One CSV of demo-generated entities (valid USCCs, realistic names and addresses) is written
 * once; on each backend it is loaded by a raw COPY into a scratch table and then through the real import path
 * (`runImport` streaming the file from its path: parse, validate, resolve, write), and the search and profile
 * APIs are timed through Fastify `inject` as a signed-in user, so session, permission and data-scope checks
 * count. Targets are printed, never asserted.
 */
const HEADER = ['统一社会信用代码', '企业名称', '主体类型', '住所', '成立日期', '登记状态', '经营范围'];
const TYPE_LABEL = { enterprise: '有限责任公司', individual: '个体工商户', cooperative: '农民专业合作社' };

export interface EntitiesBenchOptions {
  pgUrl: string;
  rows: number;
  pgliteRows: number;
  backends: ('postgresql' | 'pglite')[];
  /** Timed requests per query kind (at least 200 for a meaningful p95). */
  queries: number;
  /** Leave the PostgreSQL database in place for EXPLAIN afterwards. */
  keep: boolean;
}

interface Figure {
  name: string;
  value: string;
  target: string;
}

const log = (msg: string) =>
  console.log(`[${new Date().toLocaleTimeString('zh-CN', { hour12: false })}] ${msg}`);
const secs = (t0: number) => (performance.now() - t0) / 1000;

/** Pad to a terminal width where a CJK character takes two columns. */
function pad(text: string, columns: number): string {
  const width = [...text].reduce((w, c) => w + (c.codePointAt(0)! >= 0x2e80 ? 2 : 1), 0);
  return text + ' '.repeat(Math.max(0, columns - width));
}

// ── the data set ─────────────────────────────────────────────────────────────────────────────────────────────

interface DataSet {
  file: string;
  rows: number;
  bytes: number;
  /** Two-character fragments by how many names hold them. */
  fragments: { common: string[]; medium: string[]; rare: string[] };
  /** Fragments of three to five characters cut from real names. */
  longFragments: string[];
  usccPrefixes: string[];
}

const csvCell = (v: string) => (/[",\r\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v);

/**
 * Generate the demo entities once and write the first `n` of them for every size asked for (the larger run
 * extends the smaller one: the generator is sequential), each with search fragments from the names it holds.
 */
async function writeDataSets(dir: string, sizes: number[], seed: number): Promise<Map<number, DataSet>> {
  const max = Math.max(...sizes);
  const grids = buildGrids(createRng(seed, 'grids'));
  const plans = generateEntities(createRng(seed, 'bench-entities'), grids, max);
  const lines = plans.map(
    (e) =>
      `${[e.uscc, e.name, TYPE_LABEL[e.type], e.address, e.establishedOn, '存续', e.businessLines.join('、')]
        .map(csvCell)
        .join(',')}\n`,
  );
  const bigrams = new Map<string, number>();
  const out = new Map<number, DataSet>();
  let counted = 0;
  for (const rows of [...new Set(sizes)].sort((a, b) => a - b)) {
    for (; counted < rows; counted++) {
      const chars = [...plans[counted]!.name.toLowerCase()];
      const seen = new Set<string>();
      for (let k = 0; k + 1 < chars.length; k++) seen.add(chars[k]! + chars[k + 1]!);
      for (const b of seen) bigrams.set(b, (bigrams.get(b) ?? 0) + 1);
    }
    const file = path.join(dir, `entities-${rows}.csv`);
    const fd = fs.openSync(file, 'w');
    fs.writeSync(fd, `${HEADER.join(',')}\n`);
    for (let i = 0; i < rows; i += 10_000)
      fs.writeSync(fd, lines.slice(i, Math.min(rows, i + 10_000)).join(''));
    fs.closeSync(fd);
    out.set(rows, {
      file,
      rows,
      bytes: fs.statSync(file).size,
      ...pickQueries(plans.slice(0, rows), bigrams, seed),
    });
  }
  return out;
}

/** Query inputs drawn from the names and codes present: fragments by frequency band, substrings, code prefixes. */
function pickQueries(plans: { name: string; uscc: string }[], bigrams: Map<string, number>, seed: number) {
  const rows = plans.length;
  const rng = createRng(seed, 'bench-queries');
  const sample = <T>(items: T[], n: number): T[] => {
    const pool = [...items];
    const picked: T[] = [];
    while (picked.length < n && pool.length > 0) picked.push(pool.splice(rng.int(0, pool.length - 1), 1)[0]!);
    return picked;
  };
  const band = (lo: number, hi: number) =>
    [...bigrams.entries()].filter(([, n]) => n >= lo && n < hi).map(([b]) => b);
  const longFragments: string[] = [];
  const usccPrefixes: string[] = [];
  for (let k = 0; k < 40; k++) {
    const e = plans[rng.int(0, rows - 1)]!;
    const chars = [...e.name];
    const len = rng.int(3, 5);
    const start = rng.int(0, Math.max(0, chars.length - len));
    longFragments.push(chars.slice(start, start + len).join(''));
    usccPrefixes.push(e.uscc.slice(0, [8, 10, 12, 14][k % 4]));
  }
  return {
    fragments: {
      common: sample(band(rows * 0.01, Number.POSITIVE_INFINITY), 20),
      medium: sample(band(rows * 0.0005, rows * 0.01), 20),
      // Two that match nothing: an empty answer must be as quick as a short one.
      rare: [...sample(band(1, 21), 18), 'zq', '鑫鑫'],
    },
    longFragments,
    usccPrefixes,
  };
}

// ── one backend ──────────────────────────────────────────────────────────────────────────────────────────────

const RAW_TABLE = `create table bench_raw_copy (
  uscc text, name text, type text, address text, established_on text, status text, business_scope text)`;
const RAW_COPY = `copy bench_raw_copy from stdin with (format csv, header true)`;

/** Raw COPY of the file into a scratch table without indexes: the floor any import path is measured against. */
async function rawCopyPostgres(url: string, file: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(RAW_TABLE);
    const t0 = performance.now();
    await pipeline(fs.createReadStream(file), client.query(copyFrom(RAW_COPY)));
    const s = secs(t0);
    await client.query('drop table bench_raw_copy');
    return s;
  } finally {
    await client.end();
  }
}

/** PGlite: the same COPY in a scratch instance on disk (the Kysely handle does not pass file blobs through). */
async function rawCopyPglite(file: string): Promise<number> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rongjian-bench-copy-'));
  const pglite = await PGlite.create({ dataDir: dir });
  try {
    await pglite.exec(RAW_TABLE);
    const blob = new Blob([fs.readFileSync(file)]);
    const t0 = performance.now();
    await pglite.query(RAW_COPY.replace('stdin', `'/dev/blob'`), [], { blob });
    return secs(t0);
  } finally {
    await pglite.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The real import path: one run over the file, streamed from its path (parse, validate, resolve, write). */
async function importFile(ctx: AppContext, data: DataSet): Promise<{ seconds: number; accepted: number }> {
  const t0 = performance.now();
  let reported = 0;
  const run = await runImport(ctx, {
    source: 'demo-registration',
    fileName: path.basename(data.file),
    path: data.file,
    actor: { id: null, name: '性能基准' },
    onProgress: (done, total) => {
      if (done - reported >= 100_000 || (done === total && done > reported)) {
        reported = done;
        log(`  导入 ${done}/${total} 行（${(done / secs(t0)).toFixed(0)} 行/秒）`);
      }
    },
  });
  if (run.status !== 'succeeded' || run.rejected > 0) {
    throw new Error(`导入失败：${run.error ?? `${run.rejected} 行被拒绝`}`);
  }
  return { seconds: secs(t0), accepted: run.accepted };
}

type Inject = (url: string) => Promise<number>;

async function timeRequests(label: string, n: number, urls: string[], get: Inject): Promise<number[]> {
  for (const u of urls) await get(u); // warm-up: plans, caches
  const samples: number[] = [];
  const byUrl = new Map<string, number[]>();
  for (let i = 0; i < n; i++) {
    const url = urls[i % urls.length]!;
    const ms = await get(url);
    samples.push(ms);
    byUrl.set(url, [...(byUrl.get(url) ?? []), ms]);
  }
  const slowest = [...byUrl.entries()]
    .map(([url, ms]) => [decodeURIComponent(url.replace(/^.*\?/, '')), percentile(ms, 0.5)] as const)
    .sort((a, b) => b[1] - a[1])
    .slice(0, 3)
    .map(([q, ms]) => `${q} ${ms.toFixed(1)} ms`);
  log(
    `  ${label}：p50 ${percentile(samples, 0.5).toFixed(1)} ms，p95 ${percentile(samples, 0.95).toFixed(1)} ms`,
  );
  log(`    最慢（中位）：${slowest.join('；')}`);
  return samples;
}

async function runBackend(
  backend: 'postgresql' | 'pglite',
  data: DataSet,
  opts: EntitiesBenchOptions,
): Promise<Figure[]> {
  let figures: Figure[] = [];
  if (backend === 'postgresql') {
    await withBenchDatabase(
      { pgUrl: opts.pgUrl, suite: 'entities', keep: opts.keep },
      log,
      async (ctx, database, url) => {
        figures = await measureBackend(backend, ctx, database, url, data, opts);
      },
    );
    return figures;
  }
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rongjian-bench-'));
  const database = await openDatabase({ dataDir });
  log(`PGlite：临时数据目录 ${dataDir}`);
  try {
    await migrateToLatest(database.db);
    const config = loadConfig({ RONGJIAN_LOG_LEVEL: 'silent', RONGJIAN_MASTER_KEY: 'ab'.repeat(32) });
    return await measureBackend(backend, await createContext(config, database), database, '', data, opts);
  } finally {
    await database.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Seed, raw COPY, the real import, then the timed searches and profiles on one prepared database. */
async function measureBackend(
  backend: 'postgresql' | 'pglite',
  ctx: AppContext,
  database: Database,
  dbUrl: string,
  data: DataSet,
  opts: EntitiesBenchOptions,
): Promise<Figure[]> {
  const target = backend === 'postgresql' ? 30 : 100;
  const profileTarget = backend === 'postgresql' ? 50 : 100;
  const figures: Figure[] = [];
  await seedDemoCounty(ctx, { seed: 42, entities: 2000, staff: 30, password: BENCH_PASSWORD });
  log('已生成演示县组织、账号与 2000 个带许可证/信用/人员档案的经营主体');

  log(`原始 COPY ${data.rows} 行到无索引的临时表…`);
  const copySeconds =
    backend === 'postgresql' ? await rawCopyPostgres(dbUrl, data.file) : await rawCopyPglite(data.file);
  const copyRate = data.rows / copySeconds;
  log(`  COPY：${copySeconds.toFixed(1)} s，${copyRate.toFixed(0)} 行/秒`);

  log(`经 runImport 导入 ${data.rows} 行（解析、校验、写入）…`);
  const imported = await importFile(ctx, data);
  const importRate = imported.accepted / imported.seconds;
  figures.push(
    {
      name: `导入 ${data.rows.toLocaleString('zh-CN')} 行 CSV（含校验）`,
      value: `${importRate.toFixed(0)} 行/秒（${imported.seconds.toFixed(0)} s）`,
      target: '≥ 20000 行/秒',
    },
    {
      name: '同一文件原始 COPY（无索引临时表）',
      value: `${copyRate.toFixed(0)} 行/秒（${copySeconds.toFixed(1)} s）`,
      target: '—',
    },
    { name: '导入速度 ÷ 原始 COPY', value: `${((importRate / copyRate) * 100).toFixed(1)} %`, target: '—' },
  );

  // Imported entities have no grid yet (the GIS step places them later); the 2,000 demo entities do. The search
  // below runs as the 局长 (data scope: all), so it reads all of them. PostgreSQL's autovacuum would gather
  // statistics after a load this size; PGlite runs none, so the benchmark does it on both.
  const t0 = performance.now();
  await sql`vacuum analyze entity`.execute(database.db);
  log(`VACUUM ANALYZE：${secs(t0).toFixed(1)} s`);

  const app = await buildApp(ctx);
  await app.ready();
  const login = await app.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { username: 'director', password: BENCH_PASSWORD },
  });
  if (login.statusCode !== 200) throw new Error(`登录失败：${login.body}`);
  const cookie = `rj_session=${login.cookies.find((c) => c.name === 'rj_session')!.value}`;
  const get: Inject = async (url) => {
    const a = performance.now();
    const res = await app.inject({ method: 'GET', url, headers: { cookie } });
    const ms = performance.now() - a;
    if (res.statusCode !== 200) throw new Error(`${url} → ${res.statusCode} ${res.body.slice(0, 200)}`);
    return ms;
  };
  const searchUrl = (q: Record<string, string>) =>
    `/api/entities?${new URLSearchParams({ ...q, limit: '20' })}`;
  const total = Number(
    (await sql<{ n: number }>`select count(*) as n from entity`.execute(database.db)).rows[0]!.n,
  );
  log(`检索与一户一档（${total} 个经营主体，局长账号，每类 ${opts.queries} 次）…`);
  log(`  常见片段：${data.fragments.common.join(' ')}`);
  log(`  中等片段：${data.fragments.medium.join(' ')}`);
  log(`  少见片段：${data.fragments.rare.join(' ')}`);
  log(`  长片段：${data.longFragments.join(' ')}`);

  const kinds: [string, string[]][] = [
    ['二字名称片段·常见（≥1% 名称含有）', data.fragments.common.map((q) => searchUrl({ q }))],
    ['二字名称片段·中等（0.05%–1%）', data.fragments.medium.map((q) => searchUrl({ q }))],
    ['二字名称片段·少见（≤20 个名称）', data.fragments.rare.map((q) => searchUrl({ q }))],
    ['三至五字名称片段', data.longFragments.map((q) => searchUrl({ q }))],
    ['信用代码前缀（8/10/12/14 位）', data.usccPrefixes.map((uscc) => searchUrl({ uscc }))],
  ];
  // The second page of common fragments: the keyset cursor, not an offset.
  const second: string[] = [];
  for (const q of data.fragments.common) {
    const res = await app.inject({ method: 'GET', url: searchUrl({ q }), headers: { cookie } });
    const next = (res.json() as { nextAfter: number | null }).nextAfter;
    if (next !== null) second.push(`${searchUrl({ q })}&after=${next}`);
  }
  kinds.push(['二字名称片段·常见，第二页（游标）', second]);
  for (const [label, urls] of kinds) {
    const s = await timeRequests(label, opts.queries, urls, get);
    figures.push({
      name: `检索：${label}`,
      value: `p50 ${percentile(s, 0.5).toFixed(1)} ms / p95 ${percentile(s, 0.95).toFixed(1)} ms`,
      target: `p95 < ${target} ms`,
    });
  }
  // Half demo entities with licences, credit records, personnel and a grid; half bare imported ones.
  const ids = (
    await sql<{
      id: number;
    }>`(select id from entity where station_id is not null order by random() limit 100)
      union all (select id from entity where station_id is null order by random() limit 100)`.execute(
      database.db,
    )
  ).rows.map((r) => `/api/entities/${r.id}`);
  const p = await timeRequests('一户一档', opts.queries, ids, get);
  figures.push({
    name: '一户一档 GET /api/entities/:id',
    value: `p50 ${percentile(p, 0.5).toFixed(1)} ms / p95 ${percentile(p, 0.95).toFixed(1)} ms`,
    target: `p95 < ${profileTarget} ms`,
  });
  await app.close();
  return figures;
}

export async function benchEntities(opts: EntitiesBenchOptions): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rongjian-bench-csv-'));
  const started = performance.now();
  try {
    const sizes = opts.backends.map((b) => (b === 'postgresql' ? opts.rows : opts.pgliteRows));
    let t0 = performance.now();
    log(`生成经营主体 CSV（${sizes.join('、')} 行）…`);
    const sets = await writeDataSets(dir, sizes, 7);
    for (const d of sets.values()) log(`  ${d.file}：${(d.bytes / 1024 / 1024).toFixed(0)} MB`);
    log(`  生成耗时 ${secs(t0).toFixed(1)} s`);
    const results: [string, DataSet, Figure[]][] = [];
    for (const [i, backend] of opts.backends.entries()) {
      const data = sets.get(sizes[i]!)!;
      t0 = performance.now();
      results.push([backend, data, await runBackend(backend, data, opts)]);
      log(`${backend} 完成：${secs(t0).toFixed(0)} s`);
    }
    console.log(
      `\n经营主体基准（${os.cpus().length} 核，Node ${process.version}，总耗时 ${secs(started).toFixed(0)} s）`,
    );
    for (const [backend, data, figures] of results) {
      console.log(
        `\n  ${backend === 'postgresql' ? 'PostgreSQL' : 'PGlite'}，${data.rows.toLocaleString('zh-CN')} 行`,
      );
      for (const f of figures) console.log(`  ${pad(f.name, 44)} ${pad(f.value, 30)}  目标 ${f.target}`);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
