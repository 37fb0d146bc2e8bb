import { sql, type Transaction } from 'kysely';
import type { DB } from '../db/schema.ts';
import { hashPassword } from '../auth/password.ts';
import type { AppContext } from '../context.ts';
import { appendEvent, systemActor } from '../ledger/ledger.service.ts';
import { BUILTIN_ROLES } from '../org/roles.ts';
import { ensureBuiltinRoles, isOrgEmpty } from './bootstrap.ts';
import { buildGrids, COUNTY, TOWNS } from './county.ts';
import { todayInChina } from '../calendar/calendar.rules.ts';
import { type DossierPlan, planDossier, planRevocationRecords, writeDossier } from './dossier.ts';
import { importDemoExports } from './exchange.ts';
import { planDemoExports } from './exports.ts';
import { type EntityPlan, generateEntities, planStatuses } from './entities.ts';
import { planDepartments, POSTS } from './org.ts';
import { planStaff, planStaffPhones } from './staff.ts';
import { createRng } from './random.ts';
import { writeDepartments, writeEntities, writeGrids, writePosts, writeStaff } from './write.ts';
import { recomputeRisk } from '../../fusion/risk/risk.compute.ts';
import { demoClueRefs, writeDemoClues } from './clues.ts';
import { planDemoClues } from './clues.plan.ts';
import { seedDispatchDefaults } from '../../supervision/dispatch/dispatch.seed.ts';

export { printDemoAccounts } from './print.ts';

/**
 * The demo county 示范县: organisation, grids, staff and 经营主体, generated deterministically from a seed. With
 * `via: 'direct'` everything is written in one transaction; with `via: 'exchange'` the organisation and grids are
 * written first, the 经营主体 arrive through the data exchange (whose runs commit batch by batch, as any import),
 * and the staff come last. Only ever into an empty organisation (first start of an embedded database, or
 * `rongjian seed`); every account it creates is marked `is_demo`.
 */
export interface SeedOptions {
  seed: number;
  entities: number;
  /** The one password of every demo account. */
  password: string;
  /** About this many staff (default 300, at least MIN_STAFF). */
  staff?: number;
  /** Day the licence expiries and credit dates are planned around (default: today in China time). */
  today?: string;
  /** Progress lines for a terminal. */
  onProgress?: (message: string) => void;
  /**
   * How the 经营主体 come in. `exchange` (first start, `rongjian seed`): the county's exchange export files are
   * generated and imported through the data exchange like a bureau's, then located, classified and fused.
   * `direct`: written straight from the plan with their grids — a fast county for tests of other modules.
   */
  via?: 'exchange' | 'direct';
  /** With `exchange`: also keep the generated export files here (the demo's 数据交换 examples). */
  exportDir?: string;
  /**
   * Six months of 线索 (default 0). Needs the whole application context: the last two weeks go through the clue
   * service (sorting, duplicates, deadlines), older ones are written as history (platform/demo/clues.ts).
   */
  clues?: number;
}

/** The seed writes organisation data itself; with `via: 'exchange'` it needs the whole application context. */
export type SeedContext = Pick<AppContext, 'db' | 'pii'> & Partial<AppContext>;

export interface DemoAccount {
  username: string;
  displayName: string;
  roleCode: string;
  roleName: string;
  departmentName: string;
}

export interface SeedResult {
  seed: number;
  /** The documented demo accounts, in the order they are printed. */
  accounts: DemoAccount[];
  counts: {
    departments: number;
    offices: number;
    stations: number;
    grids: number;
    posts: number;
    staff: number;
    entities: number;
    licences: number;
    creditRecords: number;
    personnel: number;
  };
  /** Ids of what was created, for generators that add their own history on top. */
  ids: { bureau: number; stations: number[]; grids: number[] };
}

export class OrgNotEmptyError extends Error {
  constructor() {
    super('数据库中已有组织机构数据，演示数据只能生成到空数据库中（请换一个空的数据目录或数据库）。');
  }
}

const DEFAULT_STAFF = 300;
/** Parallel PBKDF2 computations (libuv's thread pool has 4 threads by default). */
const HASH_CONCURRENCY = 4;

/** One hash per account, each with its own salt, computed off the main thread in parallel. */
async function hashMany(password: string, count: number): Promise<string[]> {
  const out = new Array<string>(count);
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      out[i] = await hashPassword(password);
    }
  };
  await Promise.all(Array.from({ length: Math.min(HASH_CONCURRENCY, count) }, worker));
  return out;
}

export async function seedDemoCounty(ctx: SeedContext, opts: SeedOptions): Promise<SeedResult> {
  if (!Number.isInteger(opts.seed)) throw new Error('seed must be an integer');
  if (!Number.isInteger(opts.entities) || opts.entities < 0)
    throw new Error('entities must be a non-negative integer');
  const progress = opts.onProgress ?? (() => {});
  if (!(await isOrgEmpty(ctx.db))) throw new OrgNotEmptyError();

  // Plan everything first (pure, from the seed), then write.
  const grids = buildGrids(createRng(opts.seed, 'grids'));
  const gridsPerStation = TOWNS.map((_, i) => grids.filter((g) => g.townIndex === i).length);
  const departments = planDepartments();
  const planned = planStaff(createRng(opts.seed, 'staff'), opts.staff ?? DEFAULT_STAFF, gridsPerStation);
  const phones = planStaffPhones(createRng(opts.seed, 'phones'), planned.length);
  const staff = planned.map((s, i) => ({ ...s, phone: phones[i]! }));
  const today = opts.today ?? todayInChina();
  const { entities, dossier } = planCountyEntities(opts.seed, grids, opts.entities, today);
  progress(
    `已生成数据方案：${departments.length} 个部门、${grids.length} 个网格、${staff.length} 名工作人员、${entities.length} 个经营主体`,
  );

  // Password hashing runs on the thread pool while the main thread writes departments, grids and entities.
  const hashes = hashMany(opts.password, staff.length);
  hashes.catch(() => {});

  const via = opts.via ?? 'exchange';
  const ids = await ctx.db.transaction().execute(async (tx) => {
    if (!(await isOrgEmpty(tx))) throw new OrgNotEmptyError();
    const roles = await ensureBuiltinRoles(tx);
    const deptIds = await writeDepartments(tx, departments);
    const stationIds = TOWNS.map((_, i) => deptIds.get(`station:${i}`)!);
    const postIds = await writePosts(tx, POSTS);
    progress(
      `已写入组织机构：${departments.length} 个部门、${POSTS.length} 个岗位、${roles.size} 个内置角色`,
    );

    const gridIds = await writeGrids(tx, grids, stationIds);
    progress(`已写入 ${grids.length} 个网格`);

    const seal = (kind: 'name' | 'idcard' | 'phone', value: string) => ({
      enc: ctx.pii.encrypt(kind, value),
      bidx: ctx.pii.blindIndex(kind, value),
    });
    const sealPhone = (phone: string) => seal('phone', phone);
    if (via === 'direct') {
      await writePlannedEntities(tx, {
        entities,
        dossier,
        gridIds,
        stationIds,
        seal,
        settings: ctx.settings,
        today,
        progress,
      });
    }
    const staffRefs = { departments: deptIds, roles, posts: postIds };
    if (via === 'direct') {
      await writeStaff(tx, staff, await hashes, staffRefs, sealPhone);
      progress(`已写入 ${staff.length} 名工作人员（含演示账号）`);
    }
    return { deptIds, stationIds, gridIds, staffRefs, sealPhone };
  });

  let dossierCounts = {
    entities: entities.length,
    licences: dossier.licences.length,
    creditRecords: dossier.credit.length,
    personnel: dossier.persons.length,
  };
  if (via === 'exchange') {
    const exports = planDemoExports(createRng(opts.seed, 'exports'), entities, dossier, today);
    dossierCounts = await importDemoExports(ctx, exports, { exportDir: opts.exportDir, progress });
    // Staff last: their password hashes were computed on the thread pool while the exchange imports ran.
    const staffHashes = await hashes;
    await ctx.db.transaction().execute(async (tx) => {
      await writeStaff(tx, staff, staffHashes, ids.staffRefs, ids.sealPhone);
    });
    progress(`已写入 ${staff.length} 名工作人员（含演示账号）`);
  }
  await seedDispatchDefaults(ctx.db);
  let clueCount = 0;
  if ((opts.clues ?? 0) > 0) {
    clueCount = await seedClues(ctx as AppContext, {
      seed: opts.seed,
      count: opts.clues!,
      entities,
      grids,
      bureauId: ids.deptIds.get('bureau')!,
      today,
      progress,
    });
  }
  const counts = {
    departments: departments.length,
    offices: departments.filter((d) => d.kind === 'office').length,
    stations: ids.stationIds.length,
    grids: grids.length,
    posts: POSTS.length,
    staff: staff.length,
    ...dossierCounts,
    clues: clueCount,
  };
  await appendEvent(ctx.db, {
    actor: systemActor,
    subjectType: 'demo',
    subjectId: COUNTY.regionCode,
    kind: 'demo.seeded',
    payload: { county: COUNTY.name, seed: opts.seed, via, ...counts },
  });

  const deptName = new Map(departments.map((d) => [d.key, d.name]));
  const roleName = new Map(BUILTIN_ROLES.map((r) => [r.code, r.name]));
  return {
    seed: opts.seed,
    accounts: staff
      .filter((s) => s.named)
      .map((s) => ({
        username: s.username,
        displayName: s.displayName,
        roleCode: s.roleCode,
        roleName: roleName.get(s.roleCode) ?? s.roleCode,
        departmentName: deptName.get(s.deptKey) ?? '',
      })),
    counts,
    ids: { bureau: ids.deptIds.get('bureau')!, stations: ids.stationIds, grids: ids.gridIds },
  };
}

/** The county's 经营主体 and their 一户一档 as planned from the seed (pure; the exports are made from this). */
export function planCountyEntities(
  seed: number,
  grids: ReturnType<typeof buildGrids>,
  count: number,
  today: string,
): { entities: EntityPlan[]; dossier: DossierPlan } {
  const entities = planStatuses(
    createRng(seed, 'status'),
    generateEntities(createRng(seed, 'entities'), grids, count),
  );
  const plannedDossier = planDossier(createRng(seed, 'dossier'), entities, today);
  const revoked = planRevocationRecords(createRng(seed, 'revocations'), entities, today);
  return { entities, dossier: { ...plannedDossier, credit: [...plannedDossier.credit, ...revoked] } };
}

type Seal = (kind: 'name' | 'idcard' | 'phone', value: string) => { enc: string; bidx: string };

/** `via: 'direct'`: entities with their planned grids, their dossier, and risk classes, in the seed's transaction. */
async function writePlannedEntities(
  tx: Transaction<DB>,
  p: {
    entities: EntityPlan[];
    dossier: DossierPlan;
    gridIds: number[];
    stationIds: number[];
    seal: Seal;
    settings: SeedContext['settings'];
    today: string;
    progress: (message: string) => void;
  },
): Promise<void> {
  const { entities, dossier, progress } = p;
  const step = Math.max(5000, Math.ceil(entities.length / 4));
  let reported = 0;
  const entityIds = await writeEntities(tx, entities, p.gridIds, p.stationIds, (written) => {
    if (written - reported >= step || written === entities.length) {
      reported = written;
      progress(`已写入经营主体 ${written}/${entities.length}`);
    }
  });
  await writeDossier(
    tx,
    dossier,
    { entityIds, stationIds: entities.map((e) => p.stationIds[e.townIndex]!) },
    p.seal,
  );
  progress(
    `已写入一户一档：${dossier.licences.length} 张许可证、${dossier.credit.length} 条信用记录、${dossier.persons.length} 名人员`,
  );
  // Risk classes are computed from the dossier by the model (fusion/risk), as the nightly job would. Freshly
  // bulk-loaded tables have no planner statistics yet (PGlite runs no autovacuum): gather them first.
  await sql`analyze entity, entity_licence, entity_credit_record`.execute(tx);
  const risk = await recomputeRisk({ db: tx, settings: p.settings }, { all: true }, { asOf: p.today });
  progress(`已计算信用风险分类：${risk.examined} 户`);
}

/** The demo's clue history against the entities as they arrived (some dirty rows were rejected by the exchange). */
async function seedClues(
  ctx: AppContext,
  p: {
    seed: number;
    count: number;
    entities: readonly EntityPlan[];
    grids: ReturnType<typeof buildGrids>;
    bureauId: number;
    today: string;
    progress: (m: string) => void;
  },
): Promise<number> {
  const planned = planDemoClues(p.seed, p.entities, p.grids, p.count, p.today);
  await writeDemoClues(ctx, planned, await demoClueRefs(ctx, p.entities, p.bureauId, '投诉举报受理中心'), {
    progress: p.progress,
    today: p.today,
  });
  return planned.length;
}
