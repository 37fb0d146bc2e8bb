import { applyRegistrations, type RegistrationRecord } from '../../fusion/resolution/resolution.apply.ts';
import type { EntityType } from '../../platform/db/schema.ts';
import { isRegionCode, parseCoordinate, registrationNoProblem } from './exchange.checks.ts';
import { optionalDate, UPDATED_AT_FIELD, updatedAt, usccProblem } from './exchange.dataset.common.ts';
import type { DatasetHandler } from './exchange.datasets.ts';

/** 登记注册: one record per 经营主体, handed to data fusion (`applyRegistrations`), which decides the entity. */
export type RegistrationRow = RegistrationRecord & { updatedAt: string | null };

function entityType(text: string, uscc: string): EntityType {
  if (text.includes('个体')) return 'individual';
  if (text.includes('合作社')) return 'cooperative';
  if (text !== '') return 'enterprise';
  // 机构类别 under 登记管理部门 9: 2 = 个体工商户, 3 = 农民专业合作社 (GB 32100-2015).
  if (uscc[0] === '9' && uscc[1] === '2') return 'individual';
  if (uscc[0] === '9' && uscc[1] === '3') return 'cooperative';
  return 'enterprise';
}

const CHINA_LON: [number, number] = [73, 136];
const CHINA_LAT: [number, number] = [3, 54];

export const registrationDataset: DatasetHandler<RegistrationRow> = {
  dataset: 'registration',
  label: '登记注册',
  fields: [
    { key: 'uscc', label: '统一社会信用代码', required: false },
    { key: 'name', label: '名称', required: true, max: 200 },
    { key: 'type', label: '主体类型', required: false, max: 40 },
    { key: 'address', label: '住所/经营场所', required: true, max: 500 },
    { key: 'establishedOn', label: '成立日期', required: false },
    { key: 'status', label: '登记状态', required: false, max: 40 },
    { key: 'businessScope', label: '经营范围', required: false, max: 4000 },
    { key: 'registrationNo', label: '注册号', required: false },
    { key: 'regionCode', label: '行政区划代码', required: false },
    { key: 'lon', label: '经度', required: false },
    { key: 'lat', label: '纬度', required: false },
    UPDATED_AT_FIELD,
  ],

  oneOf: [['uscc', 'registrationNo']],
  build(v, rowNo, fail, today) {
    const uscc = v.uscc!;
    const regNo = v.registrationNo!;
    if (uscc !== '') {
      const problem = usccProblem(uscc);
      if (problem) fail('uscc', problem);
    }
    if (regNo !== '') {
      const problem = registrationNoProblem(regNo);
      if (problem) fail('registrationNo', `注册号“${regNo}”无效：${problem}`);
    }
    if (uscc === '' && regNo === '') fail('uscc', '统一社会信用代码和注册号至少应填写一项');

    let regionCode: string;
    if (v.regionCode !== '') {
      regionCode = v.regionCode!;
      if (!isRegionCode(regionCode))
        fail(
          'regionCode',
          `行政区划代码“${regionCode}”不是有效的 GB/T 2260 代码（6 位数字，前两位为省级代码）`,
        );
    } else if (uscc !== '') regionCode = uscc.slice(2, 8);
    else {
      regionCode = regNo.slice(0, 6);
      if (regNo !== '' && !isRegionCode(regionCode))
        fail('registrationNo', `注册号前六位“${regionCode}”不是有效的行政区划代码`);
    }

    let lon: number | null = null;
    let lat: number | null = null;
    if (v.lon !== '' || v.lat !== '') {
      if (v.lon === '' || v.lat === '') fail(v.lon === '' ? 'lon' : 'lat', '经度和纬度应同时填写');
      else {
        lon = parseCoordinate(v.lon!, CHINA_LON[0], CHINA_LON[1]);
        lat = parseCoordinate(v.lat!, CHINA_LAT[0], CHINA_LAT[1]);
        if (lon === null) fail('lon', `经度“${v.lon}”不在我国境内（应为 73–136 之间的十进制度数）`);
        if (lat === null) fail('lat', `纬度“${v.lat}”不在我国境内（应为 3–54 之间的十进制度数）`);
      }
    }

    return {
      rowNo,
      uscc: uscc || null,
      sourceKey: uscc === '' ? regNo : null,
      name: v.name!,
      type: entityType(v.type!, uscc),
      address: v.address!,
      regionCode,
      establishedOn: optionalDate(v, 'establishedOn', '成立日期', fail, today),
      status: v.status || '存续',
      businessScope: v.businessScope || null,
      lon,
      lat,
      updatedAt: updatedAt(v, fail),
    };
  },

  key: (r) =>
    r.uscc
      ? { key: r.uscc, field: 'uscc', label: '统一社会信用代码' }
      : { key: `注册号:${r.sourceKey}`, field: 'registrationNo', label: '注册号' },

  updatedAt: (r) => r.updatedAt,

  // Records with a USCC link to the entity holding their code, and one file never has a code twice. A record
  // without one is matched by similarity against every entity, those of the batch before it included: it waits.
  independent: (batch) => batch.every((r) => r.uscc !== null),

  async apply(c, batch) {
    // In the run's transaction: the batch, its row errors, the counters and the sync cursor commit together.
    const r = await applyRegistrations(
      c.tx,
      batch,
      { source: c.source, runId: c.runId, trustedRank: c.trustedRank, receivedAt: c.receivedAt },
      { settings: c.settings },
    );
    return { inserted: r.inserted, updated: r.updated, queued: r.queued, rejected: [] };
  },
};
