import { createHash, randomBytes } from 'node:crypto';
import {
  CLUE_KIND_LABELS,
  type ClueIntake,
  type ClueKind,
  type ClueStatus,
  CLUE_CONTENT_MAX,
  PHONE_RE,
} from '@rongjian/shared/api';
import { type Kysely, sql } from 'kysely';
import { isDemoDatabase } from '../../platform/demo/bootstrap.ts';
import type { AppContext } from '../../platform/context.ts';
import type { DB } from '../../platform/db/schema.ts';
import { publicEvent } from './clues.public.ts';

/**
 * Open311 GeoReport v2 (http://wiki.open311.org/GeoReport_v2) over our clues: services are the business lines,
 * a service request is a clue of channel `open311`, its id is the clue number. GET answers never carry personal
 * data nor the citizen's free text (description, address): only what the request is about and where it stands.
 */

export type Open311Format = 'json' | 'xml';

/** An error in the spec's shape: `[{code, description}]` / `<errors><error>…</error></errors>`. */
export class Open311Error extends Error {
  constructor(
    readonly status: number,
    description: string,
  ) {
    super(description);
  }
}

export const CLOSED_STATUSES: readonly ClueStatus[] = [
  'direct',
  'closed',
  'rejected',
  'merged',
  'transferred',
];
export const open311Status = (s: string): 'open' | 'closed' =>
  CLOSED_STATUSES.includes(s as ClueStatus) ? 'closed' : 'open';

/** `requests.json` → `{ name: 'requests', format: 'json' }`; any other extension is a 404 in the spec's format. */
export function splitFormat(file: string): { name: string; format: Open311Format } {
  const m = /^(.+)\.(json|xml)$/i.exec(file);
  if (!m) throw new Open311Error(404, '不支持的格式：请在资源名后加 .json 或 .xml');
  return { name: m[1]!, format: m[2]!.toLowerCase() as Open311Format };
}

/** Format of a request's URL (for errors raised before the route parsed it); XML, the required one, by default. */
export function formatOfUrl(url: string): Open311Format {
  return /\.json(?:$|\?)/i.test(url) ? 'json' : 'xml';
}

// ---------------------------------------------------------------- XML

/** Characters XML 1.0 does not allow, even escaped. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: these are exactly the characters to remove
const XML_INVALID = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g;

export function escapeXml(s: string): string {
  return s
    .replace(XML_INVALID, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/** Element name of the items of each list of the spec. */
const ITEM_NAMES: Record<string, string> = {
  errors: 'error',
  services: 'service',
  attributes: 'attribute',
  values: 'value',
  service_requests: 'request',
  endpoints: 'endpoint',
  formats: 'format',
};

type XmlValue = string | number | boolean | null | undefined | XmlValue[] | { [k: string]: XmlValue };

function element(name: string, value: XmlValue): string {
  if (value === null || value === undefined) return `<${name}></${name}>`;
  if (Array.isArray(value)) {
    const item = ITEM_NAMES[name] ?? 'item';
    return `<${name}>${value.map((v) => element(item, v)).join('')}</${name}>`;
  }
  if (typeof value === 'object') {
    return `<${name}>${Object.entries(value)
      .map(([k, v]) => element(k, v))
      .join('')}</${name}>`;
  }
  return `<${name}>${escapeXml(String(value))}</${name}>`;
}

/** The XML document of one answer: declaration, then the root element as the spec names it. */
export function toXml(root: string, value: XmlValue): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n${element(root, value)}`;
}

export function errorsBody(status: number, description: string) {
  return [{ code: status, description }];
}

// ---------------------------------------------------------------- services

export interface Open311Service {
  service_code: string;
  service_name: string;
  description: string;
  metadata: boolean;
  type: 'realtime';
  keywords: string;
  group: string;
}

/** A stable, URL-safe code for a business line (the dictionary's values are Chinese and may contain `/`). */
export const serviceCodeOf = (businessLine: string) =>
  `bl-${createHash('sha256').update(businessLine).digest('hex').slice(0, 8)}`;

export function services(ctx: Pick<AppContext, 'dicts'>): (Open311Service & { value: string })[] {
  return ctx.dicts
    .items('business_line')
    .filter((i) => i.enabled)
    .map((i) => ({
      service_code: serviceCodeOf(i.value),
      service_name: i.label,
      description: `向市场监管部门反映${i.label}方面的投诉、举报、咨询或建议`,
      metadata: true,
      type: 'realtime' as const,
      keywords: ['投诉', '举报', '咨询', '建议', i.label].join(','),
      group: '市场监管',
      value: i.value,
    }));
}

export function serviceByCode(ctx: Pick<AppContext, 'dicts'>, code: string) {
  return services(ctx).find((s) => s.service_code === code);
}

const KIND_VALUES = (['complaint', 'report', 'inquiry', 'suggestion'] as const).map((k) => ({
  key: k,
  name: CLUE_KIND_LABELS[k],
}));

/** The attributes every service takes (`attribute[code]=…` in a POST). */
export function serviceDefinition(code: string) {
  return {
    service_code: code,
    attributes: [
      {
        variable: true,
        code: 'kind',
        datatype: 'singlevaluelist',
        required: false,
        datatype_description: '默认为投诉',
        order: 1,
        description: '诉求类型',
        values: KIND_VALUES,
      },
      {
        variable: true,
        code: 'respondent_name',
        datatype: 'string',
        required: false,
        datatype_description: '经营者名称或统一社会信用代码，最多 100 个字',
        order: 2,
        description: '被投诉（举报）对象名称',
        values: [],
      },
      {
        variable: true,
        code: 'respondent_address',
        datatype: 'string',
        required: false,
        datatype_description: '最多 200 个字',
        order: 3,
        description: '被投诉（举报）对象地址',
        values: [],
      },
      {
        variable: true,
        code: 'request',
        datatype: 'text',
        required: false,
        datatype_description: '最多 2000 个字',
        order: 4,
        description: '具体诉求',
        values: [],
      },
      {
        variable: true,
        code: 'confidential',
        datatype: 'singlevaluelist',
        required: false,
        datatype_description: '仅举报有效',
        order: 5,
        description: '举报人要求保密',
        values: [
          { key: 'yes', name: '是' },
          { key: 'no', name: '否' },
        ],
      },
    ],
  };
}

// ---------------------------------------------------------------- POST requests

/** Fields of a POST (form-encoded or JSON), flattened: `attribute[kind]` stays a key of its own. */
export type Open311Fields = Record<string, string>;

export function flattenBody(body: unknown): Open311Fields {
  const out: Open311Fields = {};
  if (!body || typeof body !== 'object') return out;
  for (const [k, v] of Object.entries(body as Record<string, unknown>)) {
    if (v === null || v === undefined) continue;
    if (k === 'attribute' && typeof v === 'object' && !Array.isArray(v)) {
      for (const [ak, av] of Object.entries(v as Record<string, unknown>)) {
        if (av !== null && av !== undefined) out[`attribute[${ak}]`] = String(Array.isArray(av) ? av[0] : av);
      }
    } else {
      out[k] = String(Array.isArray(v) ? v[0] : v);
    }
  }
  return out;
}

const bad = (description: string) => new Open311Error(400, description);
const field = (f: Open311Fields, k: string) => {
  const v = f[k]?.trim();
  return v ? v : undefined;
};

/** The POST's fields as a clue intake of channel `open311`; every problem is a 400 in the spec's format. */
export function open311ToIntake(ctx: Pick<AppContext, 'dicts'>, f: Open311Fields): ClueIntake {
  const code = field(f, 'service_code');
  if (!code) throw bad('service_code 必填');
  const service = serviceByCode(ctx, code);
  if (!service) throw bad(`service_code 无效：${code.slice(0, 60)}`);

  const latRaw = field(f, 'lat');
  const longRaw = field(f, 'long');
  const addressString = field(f, 'address_string');
  const addressId = field(f, 'address_id');
  let location: { lng: number; lat: number } | undefined;
  if (latRaw !== undefined || longRaw !== undefined) {
    const lat = Number(latRaw);
    const lng = Number(longRaw);
    if (latRaw === undefined || longRaw === undefined || !Number.isFinite(lat) || !Number.isFinite(lng)) {
      throw bad('lat 与 long 须同时提供且为数字');
    }
    if (lng < 73 || lng > 136 || lat < 3 || lat > 54) throw bad('lat/long 超出服务范围');
    location = { lng, lat };
  }
  if (!location && !addressString && !addressId) {
    throw bad('缺少位置：请提供 lat 和 long、address_string 或 address_id 之一');
  }
  const address = addressString ?? (addressId ? `地址编号 ${addressId}` : undefined);
  if (address && address.length > 200) throw bad('address_string 最多 200 个字');

  const description = field(f, 'description');
  if (!description || description.length < 5) throw bad('description 必填，至少 5 个字');
  const mediaUrl = field(f, 'media_url');
  if (mediaUrl && (!/^https?:\/\/\S+$/i.test(mediaUrl) || mediaUrl.length > 1000)) {
    throw bad('media_url 应为 http(s) 链接');
  }
  const content = mediaUrl ? `${description}\n\n附件链接（media_url，未下载）：${mediaUrl}` : description;
  if (content.length > CLUE_CONTENT_MAX) throw bad(`description 最多 ${CLUE_CONTENT_MAX} 个字`);

  const kindRaw = field(f, 'attribute[kind]') ?? 'complaint';
  const kind = KIND_VALUES.find((k) => k.key === kindRaw)?.key;
  if (!kind) throw bad('attribute[kind] 应为 complaint、report、inquiry 或 suggestion');
  const respondentName = field(f, 'attribute[respondent_name]');
  const respondentAddress = field(f, 'attribute[respondent_address]');
  if (respondentName && respondentName.length > 100) throw bad('attribute[respondent_name] 最多 100 个字');
  if (respondentAddress && respondentAddress.length > 200)
    throw bad('attribute[respondent_address] 最多 200 个字');
  const request = field(f, 'attribute[request]');
  if (request && request.length > 2000) throw bad('attribute[request] 最多 2000 个字');
  const confidential = field(f, 'attribute[confidential]');
  if (confidential && confidential !== 'yes' && confidential !== 'no')
    throw bad('attribute[confidential] 应为 yes 或 no');

  const phone = field(f, 'phone');
  if (phone && !PHONE_RE.test(phone)) throw bad('phone 格式不正确（手机号 11 位，固定电话如 0512-12345678）');
  const email = field(f, 'email');
  if (email && (email.length > 120 || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)))
    throw bad('email 格式不正确');
  const name = [field(f, 'last_name'), field(f, 'first_name')].filter(Boolean).join('');
  if (name.length > 50) throw bad('first_name 与 last_name 合计最多 50 个字');
  const hasPerson = !!(name || phone || email);

  return {
    kind,
    channel: 'open311',
    businessLine: service.value,
    content,
    ...(request ? { request } : {}),
    ...(address ? { address } : {}),
    ...(location ? { location } : {}),
    ...(respondentName || respondentAddress
      ? { respondent: { name: respondentName ?? '', address: respondentAddress ?? '' } }
      : {}),
    ...(hasPerson
      ? {
          complainant: {
            name: name || '（未留姓名）',
            ...(phone ? { phone } : {}),
            // No e-mail column for parties: the address field (sealed by the vault) keeps it.
            ...(email ? { address: `电子邮箱：${email}` } : {}),
            realName: !!name,
          },
        }
      : {}),
    confidential: kind === 'report' && confidential === 'yes',
    anonymous: !hasPerson,
  };
}

// ---------------------------------------------------------------- GET requests

/** ISO 8601 (w3c) with the China offset, as the spec asks for. */
export function w3cChina(d: Date | string): string {
  const t = new Date(new Date(d).getTime() + 8 * 3_600_000);
  return `${t.toISOString().slice(0, 19)}+08:00`;
}

const W3C_RE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?$/;
export function parseW3c(value: string, name: string): Date {
  const d = new Date(/T/.test(value) ? value : `${value}T00:00:00+08:00`);
  if (!W3C_RE.test(value) || Number.isNaN(d.getTime()))
    throw bad(`${name} 应为 ISO 8601 时间，如 2026-01-31T08:00:00+08:00`);
  return d;
}

export const DEFAULT_WINDOW_DAYS = 90;
export const MAX_REQUESTS = 1000;

export interface RequestFilter {
  ids?: string[];
  serviceValue?: string;
  start?: Date;
  end?: Date;
  status?: ('open' | 'closed')[];
}

/** Service requests of channel `open311` (a list never shows 举报; an id shows what it names). */
export async function findRequests(ctx: Pick<AppContext, 'db' | 'dicts'>, filter: RequestFilter) {
  let q = ctx.db
    .selectFrom('clue as c')
    .leftJoin('department as d', 'd.id', 'c.department_id')
    .select([
      'c.id',
      'c.number',
      'c.kind',
      'c.status',
      'c.business_line',
      'c.received_at',
      'c.updated_at',
      'c.lng',
      'c.lat',
      'd.name as department_name',
    ])
    .where('c.channel', '=', 'open311');
  if (filter.ids) {
    q = q.where('c.number', 'in', filter.ids.length ? filter.ids : ['-']);
  } else {
    q = q.where('c.kind', '!=', 'report');
    if (filter.serviceValue !== undefined) q = q.where('c.business_line', '=', filter.serviceValue);
    const start =
      filter.start ?? (filter.end ? undefined : new Date(Date.now() - DEFAULT_WINDOW_DAYS * 86_400_000));
    if (start) q = q.where('c.received_at', '>=', start);
    if (filter.end) q = q.where('c.received_at', '<=', filter.end);
    if (filter.status && filter.status.length === 1) {
      q =
        filter.status[0] === 'closed'
          ? q.where('c.status', 'in', [...CLOSED_STATUSES])
          : q.where('c.status', 'not in', [...CLOSED_STATUSES]);
    }
  }
  const rows = await q.orderBy('c.received_at', 'desc').orderBy('c.id', 'desc').limit(MAX_REQUESTS).execute();
  const notes = await latestNotes(
    ctx.db,
    rows.map((r) => Number(r.id)),
  );
  const byValue = new Map(services(ctx).map((s) => [s.value, s]));
  return rows.map((r) => {
    const service = r.business_line ? byValue.get(r.business_line) : undefined;
    const round = (v: number | null) => (v === null ? null : Math.round(v * 1000) / 1000);
    return {
      service_request_id: r.number,
      status: open311Status(r.status),
      status_notes: notes.get(Number(r.id)) ?? '',
      service_name: service?.service_name ?? r.business_line ?? CLUE_KIND_LABELS[r.kind as ClueKind],
      service_code: service?.service_code ?? '',
      // The citizen's own text is not published (it may name people); the kind says what it is about.
      description: CLUE_KIND_LABELS[r.kind as ClueKind] ?? '',
      agency_responsible: r.department_name ?? '',
      service_notice: '',
      requested_datetime: w3cChina(r.received_at),
      updated_datetime: w3cChina(r.updated_at),
      expected_datetime: null,
      address: '',
      address_id: '',
      zipcode: '',
      // About 100 m: enough to see where, not whose door.
      lat: round(r.lat),
      long: round(r.lng),
      media_url: '',
    };
  });
}

/** The latest public-safe event of each clue, as one line of text. */
async function latestNotes(db: Kysely<DB>, ids: number[]): Promise<Map<number, string>> {
  const out = new Map<number, string>();
  if (ids.length === 0) return out;
  const rows = await db
    .selectFrom('ledger_event')
    .select(['clue_id', 'kind', 'payload', sql<string>`occurred_at::text`.as('at')])
    .where('clue_id', 'in', ids)
    .where('subject_type', '=', 'clue')
    .orderBy('id')
    .execute();
  for (const r of rows) {
    const e = publicEvent({ kind: r.kind, payload: r.payload as Record<string, unknown>, occurredAt: r.at });
    if (e) out.set(Number(r.clue_id), e.detail ? `${e.label}：${e.detail}` : e.label);
  }
  return out;
}

// ---------------------------------------------------------------- clients

export const hashApiKey = (key: string) => createHash('sha256').update(key, 'utf8').digest('hex');
export const newApiKey = () => `o311_${randomBytes(24).toString('base64url')}`;

/** The enabled client of an api_key, or a 403 in the spec's format. */
export async function clientOfKey(
  db: Kysely<DB>,
  apiKey: string | undefined,
): Promise<{ id: number; name: string }> {
  if (!apiKey || apiKey.length > 200) throw new Open311Error(403, 'api_key 缺失或无效');
  const row = await db
    .updateTable('open311_client')
    .set({ last_used_at: sql<Date>`now()` })
    .where('api_key_hash', '=', hashApiKey(apiKey))
    .where('enabled', '=', true)
    .returning(['id', 'name'])
    .executeTakeFirst();
  if (!row) throw new Open311Error(403, 'api_key 缺失或无效');
  return { id: Number(row.id), name: row.name };
}

/**
 * Demo mode only (embedded PGlite holding the demo county): the client `demo` with the key from
 * `RONGJIAN_DEMO_OPEN311_KEY`. Never on PostgreSQL (server mode), never on a database without the demo seed.
 */
export async function ensureDemoOpen311Client(ctx: Pick<AppContext, 'db' | 'config'>): Promise<boolean> {
  if (ctx.config.backend !== 'pglite' || !(await isDemoDatabase(ctx.db))) return false;
  await ctx.db
    .insertInto('open311_client')
    .values({
      name: 'demo',
      api_key_hash: hashApiKey(ctx.config.demoOpen311Key),
      created_by_name: '演示数据',
    })
    .onConflict((oc) =>
      oc.column('name').doUpdateSet({ api_key_hash: hashApiKey(ctx.config.demoOpen311Key) }),
    )
    .execute();
  return true;
}
