import type { DepartmentKind } from '../db/schema.ts';
import { COUNTY, TOWNS } from './county.ts';

/** The 示范县 bureau's organisation: departments (局, 科室, 市场监管所) and posts (岗位). Staff are in staff.ts. */

export interface DepartmentPlan {
  /** Stable key inside the generator: `bureau`, `office:bgs`, `station:0`. */
  key: string;
  parentKey: string | null;
  name: string;
  kind: DepartmentKind;
  code: string;
  regionCode: string;
  sort: number;
}

export interface OfficeDef {
  abbr: string;
  name: string;
  /** Role and post of the members (the head gets 科长). */
  role: string;
  post: string;
  /** Relative share of the staff that are not 所 staff. */
  weight: number;
  certified?: boolean;
}

export const OFFICES: readonly OfficeDef[] = [
  { abbr: 'bgs', name: '办公室', role: 'clerk', post: 'section_staff', weight: 3 },
  { abbr: 'djzc', name: '登记注册科', role: 'clerk', post: 'section_staff', weight: 3 },
  { abbr: 'xyjg', name: '信用监管科', role: 'clerk', post: 'section_staff', weight: 2 },
  { abbr: 'spaq', name: '食品安全监管科', role: 'clerk', post: 'section_staff', weight: 3 },
  { abbr: 'cpzl', name: '产品质量安全监管科', role: 'clerk', post: 'section_staff', weight: 2 },
  { abbr: 'tzsb', name: '特种设备安全监察科', role: 'clerk', post: 'section_staff', weight: 2 },
  { abbr: 'ypqx', name: '药品医疗器械监管科', role: 'clerk', post: 'section_staff', weight: 2 },
  { abbr: 'jgjc', name: '价格监督检查和反不正当竞争科', role: 'clerk', post: 'section_staff', weight: 2 },
  { abbr: 'zscq', name: '知识产权科', role: 'clerk', post: 'section_staff', weight: 1 },
  { abbr: 'fzk', name: '法制科', role: 'clerk', post: 'section_staff', weight: 2 },
  { abbr: 'zhzx', name: '指挥中心', role: 'dispatcher', post: 'dispatcher', weight: 3 },
  { abbr: 'zfdd', name: '综合执法大队', role: 'officer', post: 'law_enforcer', weight: 6, certified: true },
];

export const BUREAU_NAME = `${COUNTY.name}市场监督管理局`;
export const stationName = (i: number) => `${TOWNS[i]!.short}市场监管所`;

export function planDepartments(): DepartmentPlan[] {
  const depts: DepartmentPlan[] = [
    {
      key: 'bureau',
      parentKey: null,
      name: BUREAU_NAME,
      kind: 'bureau',
      code: 'SFX',
      regionCode: COUNTY.regionCode,
      sort: 0,
    },
  ];
  OFFICES.forEach((o, i) => {
    const code = `SFX-${o.abbr.toUpperCase()}`;
    depts.push({
      key: `office:${o.abbr}`,
      parentKey: 'bureau',
      name: o.name,
      kind: 'office',
      code,
      regionCode: COUNTY.regionCode,
      sort: 10 + i,
    });
  });
  TOWNS.forEach((t, i) => {
    const code = `SFX-S${t.code.slice(6)}`;
    depts.push({
      key: `station:${i}`,
      parentKey: 'bureau',
      name: stationName(i),
      kind: 'station',
      code,
      regionCode: t.code,
      sort: 100 + i,
    });
  });
  return depts;
}

export const POSTS = [
  { code: 'director', name: '局长' },
  { code: 'deputy_director', name: '副局长' },
  { code: 'section_chief', name: '科长' },
  { code: 'section_staff', name: '科员' },
  { code: 'station_head', name: '所长' },
  { code: 'law_enforcer', name: '执法人员' },
  { code: 'grid_worker', name: '网格员' },
  { code: 'analyst', name: '研判员' },
  { code: 'dispatcher', name: '调度员' },
] as const;
