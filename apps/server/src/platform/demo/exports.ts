import { usccCheckChar } from '@rongjian/shared';
import type { CreditKind, LicenceKind, PersonRole } from '../../fusion/entities/entities.tables.ts';
import { registrationNoCheckDigit } from '../../support/exchange/exchange.checks.ts';
import { COUNTY } from './county.ts';
import type { DossierPlan } from './dossier.ts';
import type { EntityPlan } from './entities.ts';
import type { Rng } from './random.ts';

/**
 * The demo county's government data exchange exports (政务信息网 导出文件), as a real bureau receives them: one
 * file per dataset with the exchange's own Chinese column names, and the dirt such exports carry — mistyped
 * USCC check characters, rows exported twice, missing and impossible values, older 个体工商户 registrations that
 * only have a 注册号 and spell the same shop differently, ID numbers with a wrong check digit, a formula planted in
 * a spreadsheet cell. The demo imports these files through the same exchange adapters a bureau uses, so the
 * quality page and the merge queue have something real to show. Deterministic for a seed.
 */
export type ExportRow = Record<string, string>;

export interface DemoExports {
  registration: ExportRow[];
  licence: ExportRow[];
  credit: ExportRow[];
  person: ExportRow[];
  /** Registration changes after the file export, served by the demo's fake exchange API (incremental sync). */
  apiUpdates: ExportRow[];
  /** What was planted, so tests and the README can say what the quality page should show. */
  dirt: {
    badCheckChar: number;
    duplicateRows: number;
    missingAddress: number;
    impossibleDate: number;
    legacyVariants: number;
    legacyOnly: number;
    withoutCoordinates: number;
    unknownEntityLicences: number;
    formulaCells: number;
    badIdCards: number;
    badPhones: number;
    badCreditKinds: number;
  };
}

export const REGISTRATION_COLUMNS = [
  '统一社会信用代码',
  '企业名称',
  '主体类型',
  '住所',
  '成立日期',
  '登记状态',
  '经营范围',
  '注册号',
  '行政区划代码',
  '经度',
  '纬度',
  '更新时间',
] as const;
export const LICENCE_COLUMNS = [
  '统一社会信用代码',
  '经营者名称',
  '许可类别',
  '许可证编号',
  '发证日期',
  '有效期至',
  '许可状态',
  '发证机关',
  '更新时间',
] as const;
export const CREDIT_COLUMNS = [
  '统一社会信用代码',
  '主体名称',
  '信用类别',
  '决定日期',
  '移出日期',
  '决定机关',
  '事由',
  '决定书文号',
  '罚没金额（元）',
  '更新时间',
] as const;
export const PERSON_COLUMNS = [
  '统一社会信用代码',
  '主体名称',
  '人员类别',
  '姓名',
  '身份证号',
  '联系电话',
  '更新时间',
] as const;

const TYPE_LABEL = {
  enterprise: '有限责任公司',
  individual: '个体工商户',
  cooperative: '农民专业合作社',
} as const;
const LICENCE_LABEL: Record<LicenceKind, string> = {
  food_business: '食品经营许可证',
  drug_business: '药品经营许可证',
  special_equipment_use: '特种设备使用登记证',
  medical_device: '医疗器械经营许可证',
  other: '其他许可',
};
const CREDIT_LABEL: Record<CreditKind, string> = {
  abnormal_operation: '列入经营异常名录',
  serious_violation: '严重违法失信名单',
  administrative_penalty: '行政处罚',
};
const ROLE_LABEL: Record<PersonRole, string> = {
  legal_rep: '法定代表人',
  principal: '负责人',
  employee: '从业人员',
};
const AUTHORITY = `${COUNTY.name}市场监督管理局`;

/** 经营范围 wording per 业务条线, as registration authorities phrase it (the fusion rules read these keywords). */
const SCOPE_PHRASES: Record<string, readonly string[]> = {
  食品: ['食品销售', '餐饮服务', '食品经营（销售预包装食品）', '农副产品销售'],
  产品质量: ['日用百货销售', '五金产品零售', '机械设备制造', '服装服饰零售'],
  计量: ['衡器使用', '成品油零售（计量器具）'],
  特种设备: ['特种设备使用', '电梯维修保养'],
  '药品/医疗器械/化妆品': ['药品零售', '第二类医疗器械销售', '化妆品零售'],
  广告: ['广告设计、代理、发布'],
  网络交易: ['互联网销售（除销售需要许可的商品）'],
  知识产权: ['商标代理', '知识产权服务'],
  '价格/反不正当竞争': ['烟草制品零售', '预付卡销售'],
  消费者权益保护: ['生活美容服务', '家用电器修理', '洗染服务', '居民日常生活服务'],
  '认证认可/检验检测': ['检验检测服务'],
  标准化: ['企业标准制定服务'],
};

const CN_DIGITS = '〇一二三四五六七八九';
/** 88 → 八十八, 105 → 一百零五: how a clerk once typed house numbers. */
export function chineseNumber(n: number): string {
  if (n < 10) return CN_DIGITS[n]!;
  if (n < 20) return `十${n % 10 ? CN_DIGITS[n % 10] : ''}`;
  if (n < 100) return `${CN_DIGITS[Math.floor(n / 10)]}十${n % 10 ? CN_DIGITS[n % 10] : ''}`;
  const h = Math.floor(n / 100);
  const rest = n % 100;
  if (rest === 0) return `${CN_DIGITS[h]}百`;
  if (rest < 10) return `${CN_DIGITS[h]}百零${CN_DIGITS[rest]}`;
  return `${CN_DIGITS[h]}百${rest < 20 ? '一' : ''}${chineseNumber(rest)}`;
}

const pad = (n: number, w: number) => String(n).padStart(w, '0');
const digits = (rng: Rng, n: number) => Array.from({ length: n }, () => rng.int(0, 9)).join('');
const DAY_MS = 86_400_000;
const shift = (day: string, n: number) =>
  new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);
/** `YYYY-MM-DD HH:mm:ss` some days before `today`, as exchanges print their 更新时间. */
const stamp = (rng: Rng, today: string, maxDaysAgo: number) =>
  `${shift(today, -rng.int(1, maxDaysAgo))} ${pad(rng.int(8, 18), 2)}:${pad(rng.int(0, 59), 2)}:${pad(rng.int(0, 59), 2)}`;

function scopeOf(rng: Rng, e: EntityPlan): string {
  return e.businessLines
    .map((line) => rng.pick(SCOPE_PHRASES[line] ?? ['其他经营活动']))
    .filter((p, i, all) => all.indexOf(p) === i)
    .join('；');
}

/** Another clerk's spelling of the same shop: prefix dropped, 「（个体工商户）」 added, brackets half-width. */
function variantName(rng: Rng, name: string): string {
  const short = name.startsWith(COUNTY.name) ? name.slice(COUNTY.name.length) : name;
  switch (rng.int(0, 2)) {
    case 0:
      return `${short}（个体工商户）`;
    case 1:
      return `${short.replace(/店$/, '')} (个体)`;
    default:
      return short;
  }
}

/** The same address typed differently: house number in Chinese numerals, province and city added. */
function variantAddress(rng: Rng, address: string): string {
  const spelled = address.replace(/(\d+)号/, (_, n: string) => `${chineseNumber(Number(n))}号`);
  return rng.chance(0.5) ? `江苏省苏州市${spelled}` : spelled;
}

/** A plausible USCC with one character mistyped, so its check character no longer fits. */
function mistype(rng: Rng, uscc: string): string {
  const i = rng.int(9, 16);
  const c = uscc[i] === '0' ? '1' : '0';
  return uscc.slice(0, i) + c + uscc.slice(i + 1);
}

export function planDemoExports(
  rng: Rng,
  entities: readonly EntityPlan[],
  dossier: DossierPlan,
  today: string,
): DemoExports {
  const dirt: DemoExports['dirt'] = {
    badCheckChar: 0,
    duplicateRows: 0,
    missingAddress: 0,
    impossibleDate: 0,
    legacyVariants: 0,
    legacyOnly: 0,
    withoutCoordinates: 0,
    unknownEntityLicences: 0,
    formulaCells: 0,
    badIdCards: 0,
    badPhones: 0,
    badCreditKinds: 0,
  };
  let regSeq = 0;
  const registrationNo = () => {
    const body = `${COUNTY.regionCode}${pad(600000 + ++regSeq, 8)}`;
    return body + registrationNoCheckDigit(body);
  };

  // ── 登记注册 ──
  const registration: ExportRow[] = [];
  const row = (e: EntityPlan, over: Partial<ExportRow> = {}): ExportRow => {
    const located = rng.chance(0.85);
    if (!located) dirt.withoutCoordinates++;
    return {
      统一社会信用代码: e.uscc,
      企业名称: e.name,
      主体类型: TYPE_LABEL[e.type],
      住所: e.address,
      成立日期: rng.chance(0.03) ? '' : e.establishedOn,
      登记状态: e.status === '存续' ? '存续（在营、开业、在册）' : e.status,
      经营范围: scopeOf(rng, e),
      注册号: '',
      行政区划代码: COUNTY.regionCode,
      经度: located ? e.lon.toFixed(6) : '',
      纬度: located ? e.lat.toFixed(6) : '',
      更新时间: stamp(rng, today, 400),
      ...over,
    };
  };
  for (const e of entities) registration.push(row(e));

  const sample = (n: number, pred: (e: EntityPlan) => boolean = () => true) => {
    const pool = entities.filter(pred);
    return Array.from({ length: Math.min(n, pool.length) }, () => rng.pick(pool));
  };
  const per10k = (n: number) => Math.max(1, Math.round((entities.length * n) / 10_000));

  for (const e of sample(per10k(30))) {
    registration.push(row(e, { 统一社会信用代码: mistype(rng, e.uscc) }));
    dirt.badCheckChar++;
  }
  for (const e of sample(per10k(20))) {
    registration.push(row(e));
    dirt.duplicateRows++;
  }
  for (const e of sample(per10k(10))) {
    registration.push(row(e, { 统一社会信用代码: '', 注册号: registrationNo(), 住所: '' }));
    dirt.missingAddress++;
  }
  for (const e of sample(per10k(8))) {
    registration.push(row(e, { 统一社会信用代码: '', 注册号: registrationNo(), 成立日期: '2023-02-30' }));
    dirt.impossibleDate++;
  }
  // The same shop once more from the old 个体工商户 register: no USCC, its 注册号, another spelling.
  const legacyPicked = new Set<EntityPlan>();
  for (const e of sample(per10k(60), (x) => x.type === 'individual')) {
    if (legacyPicked.has(e)) continue;
    legacyPicked.add(e);
    registration.push(
      row(e, {
        统一社会信用代码: '',
        注册号: registrationNo(),
        企业名称: variantName(rng, e.name),
        住所: variantAddress(rng, e.address),
        经度: '',
        纬度: '',
        更新时间: stamp(rng, shift(today, -900), 2000),
      }),
    );
    dirt.legacyVariants++;
  }
  // Shops only the old register knows (never re-registered with a USCC): new entities without a USCC.
  for (const e of sample(per10k(25), (x) => x.type === 'individual' && !legacyPicked.has(x))) {
    registration.push(
      row(e, {
        统一社会信用代码: '',
        注册号: registrationNo(),
        企业名称: `${e.name.replace(/店$/, '')}${rng.pick(['商店', '经营部', '小店'])}`,
        住所: e.address.replace(/(\d+)号/, (_, n: string) => `${Number(n) + 1000}号`),
      }),
    );
    dirt.legacyOnly++;
  }

  // ── 许可 ──
  const licence: ExportRow[] = dossier.licences.map((l) => {
    const e = entities[l.entityIndex]!;
    return {
      统一社会信用代码: e.uscc,
      经营者名称: e.name,
      许可类别: LICENCE_LABEL[l.kind],
      许可证编号: l.licenceNo,
      发证日期: l.issuedOn,
      有效期至: l.validUntil,
      许可状态: l.status,
      发证机关: l.issuer,
      更新时间: stamp(rng, today, 200),
    };
  });
  for (let i = 0; i < per10k(6); i++) {
    // A licence of a 主体 registered elsewhere: its USCC is valid but no entity of the county has it.
    const body = `91320500${'MA'}${digits(rng, 7)}`;
    licence.push({
      ...licence[rng.int(0, licence.length - 1)]!,
      统一社会信用代码: body + usccCheckChar(body),
      经营者名称: '苏州外县某某食品有限公司',
      许可证编号: `JY9${digits(rng, 13)}`,
    });
    dirt.unknownEntityLicences++;
  }
  // A cell someone "helpfully" turned into a link: it must come out as text in every report.
  for (let i = 0; i < 2; i++) {
    licence.push({
      ...licence[rng.int(0, licence.length - 1)]!,
      许可证编号: `JY9${digits(rng, 13)}`,
      发证日期: '2024-13-01',
      发证机关: '=HYPERLINK("http://example.invalid/x","点击查看")',
    });
    dirt.formulaCells++;
  }

  // ── 信用 ──
  const credit: ExportRow[] = dossier.credit.map((c) => {
    const e = entities[c.entityIndex]!;
    return {
      统一社会信用代码: e.uscc,
      主体名称: e.name,
      信用类别: CREDIT_LABEL[c.kind],
      决定日期: c.decidedOn,
      移出日期: c.removedOn ?? '',
      决定机关: AUTHORITY,
      事由: c.reason,
      决定书文号: c.documentNo,
      '罚没金额（元）': c.amount === null ? '' : String(c.amount),
      更新时间: stamp(rng, today, 300),
    };
  });
  for (let i = 0; i < 3 && credit.length > 0; i++) {
    credit.push({
      ...credit[rng.int(0, credit.length - 1)]!,
      信用类别: '黑名单（旧）',
      决定书文号: `旧〔2015〕${i + 1}号`,
    });
    dirt.badCreditKinds++;
  }

  // ── 人员 ──
  const person: ExportRow[] = dossier.persons.map((p) => {
    const e = entities[p.entityIndex]!;
    let idCard = p.idCard;
    let phone = p.phone;
    const dirty = rng.next();
    if (dirty < 0.004) {
      idCard = idCard.slice(0, 17) + (idCard[17] === '0' ? '1' : '0');
      dirt.badIdCards++;
    } else if (dirty < 0.008) {
      phone = phone.slice(0, 9);
      dirt.badPhones++;
    }
    return {
      统一社会信用代码: e.uscc,
      主体名称: e.name,
      人员类别: ROLE_LABEL[p.role],
      姓名: p.name,
      身份证号: idCard,
      联系电话: phone,
      更新时间: stamp(rng, today, 400),
    };
  });

  // ── 增量接口：登记变更 after the export ──
  const apiUpdates: ExportRow[] = sample(per10k(40)).map((e) => {
    const closing = rng.chance(0.3);
    return row(e, {
      登记状态: closing ? '注销' : '存续（在营、开业、在册）',
      住所: closing ? e.address : e.address.replace(/(\d+)号/, (_, n: string) => `${Number(n) + 2}号`),
      更新时间: `${today} ${pad(rng.int(0, 7), 2)}:${pad(rng.int(0, 59), 2)}:00`,
    });
  });

  return { registration, licence, credit, person, apiUpdates, dirt };
}

export interface DemoExportFile {
  source: string;
  /** Data rows in the file (an empty dataset is not delivered at all). */
  rows: number;
  fileName: string;
  data: Buffer;
}

const csvCell = (v: string) => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
function csv(columns: readonly string[], rows: readonly ExportRow[]): string {
  return [columns.join(','), ...rows.map((r) => columns.map((c) => csvCell(r[c] ?? '')).join(','))].join(
    '\r\n',
  );
}

/**
 * The files as the exchange delivers them: 登记注册 as GBK CSV (what government exports usually are), 许可 as
 * XLSX, 信用 as JSON lines, 人员 as UTF-8 CSV with a BOM. Each names the demo source it is imported through.
 */
export async function encodeDemoExports(x: DemoExports): Promise<DemoExportFile[]> {
  const [{ default: iconv }, { default: ExcelJS }] = await Promise.all([
    import('iconv-lite'),
    import('exceljs'),
  ]);
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('许可信息');
  ws.addRow([...LICENCE_COLUMNS]);
  for (const r of x.licence) ws.addRow(LICENCE_COLUMNS.map((c) => r[c] ?? ''));
  return [
    {
      source: 'demo-registration',
      rows: x.registration.length,
      fileName: '示范县_登记注册_导出.csv',
      data: iconv.encode(csv(REGISTRATION_COLUMNS, x.registration), 'gbk'),
    },
    {
      source: 'demo-licence',
      rows: x.licence.length,
      fileName: '示范县_许可信息_导出.xlsx',
      data: Buffer.from(await wb.xlsx.writeBuffer()),
    },
    {
      source: 'demo-credit',
      rows: x.credit.length,
      fileName: '示范县_信用信息_导出.jsonl',
      data: Buffer.from(x.credit.map((r) => JSON.stringify(r)).join('\n'), 'utf8'),
    },
    {
      source: 'demo-person',
      rows: x.person.length,
      fileName: '示范县_人员信息_导出.csv',
      data: Buffer.concat([
        Buffer.from([0xef, 0xbb, 0xbf]),
        Buffer.from(csv(PERSON_COLUMNS, x.person), 'utf8'),
      ]),
    },
  ];
}
