import { COUNTY, TOWNS } from './county.ts';
import { personName } from './names.ts';
import { OFFICES } from './org.ts';
import { dayFromReference, type Rng } from './random.ts';

/** Who works at the 示范县 bureau: the documented demo accounts and everybody else, with roles and posts. */
export interface StaffPlan {
  username: string;
  displayName: string;
  deptKey: string;
  roleCode: string;
  postCodes: string[];
  cert: { no: string; validUntil: string } | null;
  /** One of the documented demo accounts (printed at start-up). */
  named: boolean;
  /** Mobile number (assigned from its own stream after planning; stored encrypted). */
  phone?: string;
}

type Named = [username: string, displayName: string, deptKey: string, roleCode: string, postCodes: string[]];

/** The documented demo accounts, in the order they are printed. */
const NAMED: readonly Named[] = [
  ['admin', '系统管理员', 'office:bgs', 'sysadmin', []],
  ['secadmin', '安全管理员', 'office:bgs', 'secadmin', []],
  ['auditor', '审计管理员', 'office:bgs', 'auditor', []],
  ['director', '周建国', 'bureau', 'director', ['director']],
  ['officer1', '李明', 'station:0', 'officer', ['law_enforcer', 'grid_worker']],
  ['officer2', '王芳', 'station:1', 'officer', ['law_enforcer', 'grid_worker']],
  ['analyst', '赵晓雯', 'office:zhzx', 'analyst', ['analyst']],
  ['dispatcher', '孙志强', 'office:zhzx', 'dispatcher', ['dispatcher']],
];

/** Below this the structure (named accounts, a head for every 所 and 科室) does not fit. */
export const MIN_STAFF = 30;
const STATION_SHARE = 0.65;

/** Split `total` into integers proportional to `weights` (largest remainder; ties go to the earlier item). */
function apportion(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  const exact = weights.map((w) => (total * w) / sum);
  const counts = exact.map(Math.floor);
  let left = total - counts.reduce((a, b) => a + b, 0);
  const order = exact.map((e, i) => ({ i, r: e - Math.floor(e) })).sort((a, b) => b.r - a.r || a.i - b.i);
  for (const { i } of order) {
    if (left-- <= 0) break;
    counts[i]!++;
  }
  return counts;
}

/**
 * About `total` people: the named accounts, 2 副局长 (when there is room), a 所长 and officers in every 所 (the
 * first few of each 所 also serve as 网格员), a 科长 and members in every 科室. Officers carry a 执法证.
 */
export function planStaff(rng: Rng, total: number, gridsPerStation: readonly number[]): StaffPlan[] {
  total = Math.max(total, MIN_STAFF);
  let certSeq = 0;
  const cert = () => {
    certSeq++;
    // Most certificates are valid for years; a few run out within weeks of the reference date (for oversight).
    const days = rng.chance(0.05) ? rng.int(5, 45) : rng.int(120, 5 * 365);
    return {
      no: `${COUNTY.regionCode}${String(certSeq).padStart(5, '0')}`,
      validUntil: dayFromReference(days),
    };
  };
  const staff: StaffPlan[] = NAMED.map(([username, displayName, deptKey, roleCode, postCodes]) => ({
    username,
    displayName,
    deptKey,
    roleCode,
    postCodes: [...postCodes],
    cert: roleCode === 'officer' ? cert() : null,
    named: true,
  }));
  const add = (s: Omit<StaffPlan, 'named' | 'displayName'>) =>
    staff.push({ ...s, displayName: personName(rng), named: false });

  const fixed = staff.length + TOWNS.length + OFFICES.length;
  let remaining = total - fixed;
  const deputies = remaining >= 50 ? 2 : 0;
  remaining -= deputies;
  for (let i = 1; i <= deputies; i++) {
    add({
      username: `fujuzhang${i}`,
      deptKey: 'bureau',
      roleCode: 'director',
      postCodes: ['deputy_director'],
      cert: null,
    });
  }

  const toStations = Math.round(remaining * STATION_SHARE);
  const perStation = apportion(
    toStations,
    TOWNS.map((t, i) => t.density * (gridsPerStation[i] ?? 1)),
  );
  TOWNS.forEach((t, i) => {
    const deptKey = `station:${i}`;
    let gridWorkers = (gridsPerStation[i] ?? 0) - staff.filter((s) => s.deptKey === deptKey).length;
    for (let n = 1; n <= 1 + perStation[i]!; n++) {
      const head = n === 1;
      const postCodes = head ? ['station_head'] : ['law_enforcer'];
      if (!head && gridWorkers-- > 0) postCodes.push('grid_worker');
      const username = `${t.pinyin}${String(n).padStart(2, '0')}`;
      add({ username, deptKey, roleCode: head ? 'station_head' : 'officer', postCodes, cert: cert() });
    }
  });

  const perOffice = apportion(
    remaining - toStations,
    OFFICES.map((o) => o.weight),
  );
  OFFICES.forEach((o, i) => {
    for (let n = 1; n <= 1 + perOffice[i]!; n++) {
      const head = n === 1;
      // The 指挥中心 mixes 调度员 and 研判员.
      const analyst = o.abbr === 'zhzx' && n % 3 === 0;
      add({
        username: `${o.abbr}${String(n).padStart(2, '0')}`,
        deptKey: `office:${o.abbr}`,
        roleCode: analyst ? 'analyst' : o.role,
        postCodes: head ? ['section_chief'] : [analyst ? 'analyst' : o.post],
        cert: o.certified ? cert() : null,
      });
    }
  });
  return staff;
}

/** Demo mobile prefix: 139 + 0512 (苏州), so demo numbers are easy to recognise as such. */
export const DEMO_PHONE_PREFIX = '1390512';
const PHONE_SPACE = 10_000;

/** One distinct mobile number per staff member, `1390512xxxx`, drawn from its own stream (`phones`). */
export function planStaffPhones(rng: Rng, count: number): string[] {
  if (count > PHONE_SPACE) throw new Error(`at most ${PHONE_SPACE} demo phone numbers`);
  const used = new Set<number>();
  const out: string[] = [];
  while (out.length < count) {
    const n = rng.int(0, PHONE_SPACE - 1);
    if (used.has(n)) continue;
    used.add(n);
    out.push(`${DEMO_PHONE_PREFIX}${String(n).padStart(4, '0')}`);
  }
  return out;
}
