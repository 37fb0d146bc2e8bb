import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrg, login, type Session } from '../../../test/fixtures.ts';
import { createTestApp } from '../../../test/support.ts';
import { appendEvent, systemActor } from '../../platform/ledger/ledger.service.ts';
import { ensureDemoOpen311Client, escapeXml, serviceCodeOf, toXml } from './clues.open311.ts';
import { createClueService } from './clues.service.ts';

let t: Awaited<ReturnType<typeof createTestApp>>;
let admin: Session;
let apiKey: string;
const BASE = '/open311/v2';
const FOOD = serviceCodeOf('食品');

beforeAll(async () => {
  t = await createTestApp();
  const org = await createOrg(t.ctx.db);
  await org.user('o311admin', 'sysadmin');
  admin = await login(t.app, 'o311admin');
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/open311/clients',
    headers: admin.headers,
    payload: { name: '市民随手拍' },
  });
  expect(res.statusCode, res.body).toBe(201);
  apiKey = res.json().apiKey;
});
afterAll(async () => {
  await t?.close();
});

/** The text of every `<tag>` in an XML document (the documents here are flat enough for this). */
const xmlAll = (xml: string, tag: string) =>
  [...xml.matchAll(new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`, 'g'))].map((m) => m[1]!);
const xmlText = (s: string) =>
  s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');

const form = (fields: Record<string, string>) => ({
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  payload: new URLSearchParams(fields).toString(),
});

const REQUEST = {
  service_code: FOOD,
  lat: '31.3001',
  long: '120.6002',
  description: '小吃店后厨老鼠出没，食品卫生堪忧。',
  first_name: '小红',
  last_name: '陈',
  phone: '13700002222',
  email: 'chen@example.com',
  'attribute[kind]': 'complaint',
  'attribute[respondent_name]': '老街小吃店',
  media_url: 'https://img.example.com/1.jpg',
};

async function post(fields: Record<string, string>, format = 'json', headers: Record<string, string> = {}) {
  const f = form(fields);
  return t.app.inject({
    method: 'POST',
    url: `${BASE}/requests.${format}`,
    headers: { ...f.headers, ...headers },
    payload: f.payload,
  });
}

describe('Open311 GeoReport v2', () => {
  it('discovery in JSON and XML', async () => {
    const json = await t.app.inject({ method: 'GET', url: `${BASE}/discovery.json` });
    expect(json.statusCode).toBe(200);
    expect(json.json().endpoints[0]).toMatchObject({
      specification: 'http://wiki.open311.org/GeoReport_v2',
      formats: ['text/xml', 'application/json'],
    });
    const xml = await t.app.inject({ method: 'GET', url: `${BASE}/discovery.xml` });
    expect(xml.headers['content-type']).toContain('text/xml');
    expect(xml.body.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<discovery>')).toBe(true);
    expect(xmlAll(xml.body, 'format')).toEqual(['text/xml', 'application/json']);
  });

  it('services come from the business-line dictionary, with definitions', async () => {
    const lines = t.ctx.dicts.items('business_line').filter((i) => i.enabled);
    const json = (await t.app.inject({ method: 'GET', url: `${BASE}/services.json` })).json();
    expect(json).toHaveLength(lines.length);
    expect(json.find((s: { service_code: string }) => s.service_code === FOOD)).toEqual({
      service_code: FOOD,
      service_name: '食品',
      description: expect.stringContaining('食品'),
      metadata: true,
      type: 'realtime',
      keywords: expect.stringContaining('投诉'),
      group: '市场监管',
    });
    const xml = (await t.app.inject({ method: 'GET', url: `${BASE}/services.xml` })).body;
    expect(xmlAll(xml, 'service')).toHaveLength(lines.length);
    expect(xmlAll(xml, 'service_name').map(xmlText)).toContain('药品/医疗器械/化妆品');

    const def = (await t.app.inject({ method: 'GET', url: `${BASE}/services/${FOOD}.json` })).json();
    expect(def.service_code).toBe(FOOD);
    const kind = def.attributes.find((a: { code: string }) => a.code === 'kind');
    expect(kind).toMatchObject({ datatype: 'singlevaluelist', variable: true, description: '诉求类型' });
    expect(kind.values.map((v: { name: string }) => v.name)).toEqual(['投诉', '举报', '咨询', '建议']);
    const defXml = (await t.app.inject({ method: 'GET', url: `${BASE}/services/${FOOD}.xml` })).body;
    expect(defXml).toContain('<service_definition><service_code>');
    expect(xmlAll(defXml, 'code')).toContain('respondent_name');

    const unknown = await t.app.inject({ method: 'GET', url: `${BASE}/services/nope.json` });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toEqual([{ code: 404, description: expect.any(String) }]);
  });

  it('an unknown format or resource is a 404 in the spec format', async () => {
    const csv = await t.app.inject({ method: 'GET', url: `${BASE}/services.csv` });
    expect(csv.statusCode).toBe(404);
    expect(csv.body).toContain('<errors><error><code>404</code><description>');
    const other = await t.app.inject({ method: 'GET', url: `${BASE}/nothing/here.json` });
    expect(other.statusCode).toBe(404);
    expect(other.json()[0].code).toBe(404);
  });

  it('POST requests (form-encoded) creates a clue of channel open311; the person goes to the vault', async () => {
    const res = await post({ ...REQUEST, api_key: apiKey });
    expect(res.statusCode, res.body).toBe(201);
    const [created] = res.json();
    expect(created).toEqual({
      service_request_id: expect.stringMatching(/^XS\d{14}$/),
      service_notice: expect.any(String),
      account_id: null,
    });
    const clue = await t.ctx.db
      .selectFrom('clue')
      .selectAll()
      .where('number', '=', created.service_request_id)
      .executeTakeFirstOrThrow();
    expect(clue).toMatchObject({
      channel: 'open311',
      status: 'registering',
      kind: 'complaint',
      business_line: '食品',
      respondent_name: '老街小吃店',
      anonymous: false,
    });
    expect(clue.content).toContain('https://img.example.com/1.jpg');
    const party = await t.ctx.db
      .selectFrom('clue_party')
      .selectAll()
      .where('clue_id', '=', clue.id)
      .executeTakeFirstOrThrow();
    expect(t.ctx.pii.decrypt(party.name_enc!)).toBe('陈小红');
    expect(t.ctx.pii.decrypt(party.phone_enc!)).toBe('13700002222');
    expect(JSON.stringify(party)).not.toContain('chen@example.com');
  });

  it('POST accepts JSON too and answers in XML', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: `${BASE}/requests.xml`,
      payload: {
        api_key: apiKey,
        service_code: FOOD,
        address_string: '古城路 12 号',
        description: '饭店菜单价格与结账价格不一致。',
        attribute: { kind: 'report', confidential: 'yes' },
      },
    });
    expect(res.statusCode, res.body).toBe(201);
    const [id] = xmlAll(res.body, 'service_request_id');
    expect(id).toMatch(/^XS\d{14}$/);
    const clue = await t.ctx.db
      .selectFrom('clue')
      .select(['kind', 'confidential', 'anonymous', 'address'])
      .where('number', '=', id!)
      .executeTakeFirstOrThrow();
    expect(clue).toEqual({ kind: 'report', confidential: true, anonymous: true, address: '古城路 12 号' });
  });

  it('refuses a request without location, with an unknown service, a bad phone or a bad api_key (spec errors)', async () => {
    const before = await t.ctx.db
      .selectFrom('clue')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    const { lat: _lat, long: _long, ...noLocation } = REQUEST;
    const missing = await post({ ...noLocation, api_key: apiKey });
    expect(missing.statusCode).toBe(400);
    expect(missing.json()).toEqual([{ code: 400, description: expect.stringContaining('位置') }]);
    const missingXml = await post({ ...noLocation, api_key: apiKey }, 'xml');
    expect(missingXml.statusCode).toBe(400);
    expect(xmlAll(missingXml.body, 'code')).toEqual(['400']);

    const unknown = await post({ ...REQUEST, service_code: 'pothole', api_key: apiKey });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json()[0]).toEqual({ code: 400, description: expect.stringContaining('service_code') });

    const phone = await post({ ...REQUEST, phone: '110', api_key: apiKey });
    expect(phone.statusCode).toBe(400);
    expect(phone.json()[0].description).toContain('phone');

    for (const key of ['wrong-key', '']) {
      const forbidden = await post({ ...REQUEST, api_key: key });
      expect(forbidden.statusCode).toBe(403);
      expect(forbidden.json()).toEqual([{ code: 403, description: expect.stringContaining('api_key') }]);
    }
    const huge = await post({ ...REQUEST, description: '长'.repeat(30_000), api_key: apiKey });
    expect(huge.statusCode).toBe(400);
    const after = await t.ctx.db
      .selectFrom('clue')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
  });

  it('a disabled client is refused; the key is shown once and only its hash is stored', async () => {
    const list = await t.app.inject({ method: 'GET', url: '/api/open311/clients', headers: admin.headers });
    expect(list.statusCode).toBe(200);
    expect(list.body).not.toContain(apiKey);
    const stored = await t.ctx.db.selectFrom('open311_client').selectAll().execute();
    expect(JSON.stringify(stored)).not.toContain(apiKey);
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/open311/clients',
      headers: admin.headers,
      payload: { name: '临时接入方' },
    });
    const { id, apiKey: tempKey } = created.json();
    const dup = await t.app.inject({
      method: 'POST',
      url: '/api/open311/clients',
      headers: admin.headers,
      payload: { name: '临时接入方' },
    });
    expect(dup.statusCode).toBe(409);
    const off = await t.app.inject({
      method: 'PATCH',
      url: `/api/open311/clients/${id}`,
      headers: admin.headers,
      payload: { enabled: false },
    });
    expect(off.json().enabled).toBe(false);
    expect((await post({ ...REQUEST, api_key: tempKey })).statusCode).toBe(403);
  });

  it('Idempotency-Key: a retried POST returns the first request id and creates one clue', async () => {
    const headers = { 'idempotency-key': 'o311-retry-1' };
    const a = await post({ ...REQUEST, api_key: apiKey }, 'json', headers);
    const b = await post({ ...REQUEST, api_key: apiKey }, 'xml', headers);
    expect(a.statusCode).toBe(201);
    expect(b.statusCode).toBe(201);
    expect(xmlAll(b.body, 'service_request_id')).toEqual([a.json()[0].service_request_id]);
    const n = await t.ctx.db
      .selectFrom('clue')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('number', '=', a.json()[0].service_request_id)
      .executeTakeFirstOrThrow();
    expect(Number(n.n)).toBe(1);
    const other = await post(
      { ...REQUEST, description: '另一件事：超市缺斤短两。', api_key: apiKey },
      'json',
      headers,
    );
    expect(other.statusCode).toBe(409);
    expect(other.json()[0].code).toBe(409);
  });

  it('GET requests: by id, filters, open/closed mapping, tokens — and no personal data anywhere', async () => {
    const one = (await post({ ...REQUEST, api_key: apiKey })).json()[0].service_request_id as string;
    const two = (
      await post({
        ...REQUEST,
        service_code: serviceCodeOf('广告'),
        description: '电梯广告宣称包治百病。',
        api_key: apiKey,
      })
    ).json()[0].service_request_id as string;
    // Staff route the second one to another agency: closed for Open311.
    const clues = createClueService(t.ctx);
    const row = await t.ctx.db
      .selectFrom('clue')
      .select('id')
      .where('number', '=', two)
      .executeTakeFirstOrThrow();
    await t.ctx.db.transaction().execute((tx) =>
      clues.transitionInternal(tx, systemActor, Number(row.id), {
        action: 'transfer',
        agency: '县卫生健康委员会',
      }),
    );

    const byId = await t.app.inject({ method: 'GET', url: `${BASE}/requests/${two}.json` });
    expect(byId.statusCode).toBe(200);
    expect(byId.json()).toEqual([
      expect.objectContaining({
        service_request_id: two,
        status: 'closed',
        status_notes: expect.stringMatching(/^已转有关部门办理/),
        service_code: serviceCodeOf('广告'),
        service_name: '广告',
        agency_responsible: expect.any(String),
        requested_datetime: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+08:00$/),
        updated_datetime: expect.stringMatching(/\+08:00$/),
      }),
    ]);
    const byIdXml = await t.app.inject({ method: 'GET', url: `${BASE}/requests/${one}.xml` });
    expect(byIdXml.body).toContain('<service_requests><request><service_request_id>');
    expect(xmlAll(byIdXml.body, 'status')).toEqual(['open']);
    expect(
      (await t.app.inject({ method: 'GET', url: `${BASE}/requests/XS20990101000001.json` })).statusCode,
    ).toBe(404);

    const ids = await t.app.inject({
      method: 'GET',
      url: `${BASE}/requests.json?service_request_id=${one},${two}`,
    });
    expect(
      ids
        .json()
        .map((r: { service_request_id: string }) => r.service_request_id)
        .sort(),
    ).toEqual([one, two].sort());
    const closed = (await t.app.inject({ method: 'GET', url: `${BASE}/requests.json?status=closed` })).json();
    expect(closed.map((r: { service_request_id: string }) => r.service_request_id)).toEqual([two]);
    const open = (
      await t.app.inject({ method: 'GET', url: `${BASE}/requests.xml?status=open&service_code=${FOOD}` })
    ).body;
    expect(xmlAll(open, 'service_request_id')).toContain(one);
    expect(xmlAll(open, 'service_request_id')).not.toContain(two);
    expect(new Set(xmlAll(open, 'status'))).toEqual(new Set(['open']));
    const future = await t.app.inject({
      method: 'GET',
      url: `${BASE}/requests.json?start_date=2099-01-01T00:00:00Z`,
    });
    expect(future.json()).toEqual([]);
    const ranged = await t.app.inject({
      method: 'GET',
      url: `${BASE}/requests.json?start_date=2020-01-01T00:00:00%2B08:00&end_date=2099-01-01`,
    });
    expect(ranged.json().length).toBeGreaterThanOrEqual(2);
    const badDate = await t.app.inject({ method: 'GET', url: `${BASE}/requests.json?start_date=yesterday` });
    expect(badDate.statusCode).toBe(400);
    expect(badDate.json()[0].code).toBe(400);
    // A report never appears in the list (its existence is not published).
    const all = (await t.app.inject({ method: 'GET', url: `${BASE}/requests.json` })).json();
    expect(all.every((r: { description: string }) => r.description !== '举报')).toBe(true);

    const token = await t.app.inject({ method: 'GET', url: `${BASE}/tokens/${one}.json` });
    expect(token.json()).toEqual([{ service_request_id: one, token: one }]);
    expect(
      xmlAll((await t.app.inject({ method: 'GET', url: `${BASE}/tokens/${one}.xml` })).body, 'token'),
    ).toEqual([one]);

    for (const body of [JSON.stringify(all), ids.body, byIdXml.body, open]) {
      for (const secret of ['陈', '小红', '13700002222', 'chen@example.com', '老鼠', 'img.example.com']) {
        expect(body).not.toContain(secret);
      }
    }
  });

  it('works for a real client over HTTP: form-encoded POST, then GET by id', async () => {
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = t.app.server.address() as AddressInfo;
    const base = `http://127.0.0.1:${port}${BASE}`;
    const res = await fetch(`${base}/requests.json`, {
      method: 'POST',
      body: new URLSearchParams({ ...REQUEST, api_key: apiKey }),
    });
    expect(res.status).toBe(201);
    const [{ service_request_id: id }] = (await res.json()) as [{ service_request_id: string }];
    const got = await fetch(`${base}/requests/${id}.xml`);
    expect(got.headers.get('content-type')).toContain('text/xml');
    const xml = await got.text();
    expect(xmlAll(xml, 'service_request_id')).toEqual([id]);
    expect(xmlAll(xml, 'status')).toEqual(['open']);
  });

  it('registers the demo client only on an embedded database that holds the demo seed', async () => {
    const demoKey = t.ctx.config.demoOpen311Key;
    expect(demoKey).toBe('demo-open311-key');
    expect(await ensureDemoOpen311Client(t.ctx)).toBe(false);
    await appendEvent(t.ctx.db, {
      actor: systemActor,
      subjectType: 'demo',
      subjectId: 'test',
      kind: 'demo.seeded',
    });
    const registered = await ensureDemoOpen311Client(t.ctx);
    // Server mode (PostgreSQL) never registers it, demo data or not.
    expect(registered).toBe(t.ctx.config.backend === 'pglite');
    const res = await post({ ...REQUEST, api_key: demoKey });
    expect(res.statusCode).toBe(registered ? 201 : 403);
    // Its key follows the environment on every start.
    expect(
      await ensureDemoOpen311Client({
        db: t.ctx.db,
        config: { ...t.ctx.config, demoOpen311Key: 'another-demo-key' },
      }),
    ).toBe(registered);
    expect((await post({ ...REQUEST, api_key: demoKey })).statusCode).toBe(403);
  });

  it('escapes XML and drops characters XML cannot carry', () => {
    expect(escapeXml('<a href="x">&\'\u0007')).toBe('&lt;a href=&quot;x&quot;&gt;&amp;&apos;');
    expect(toXml('errors', [{ code: 400, description: '<script>' }])).toBe(
      '<?xml version="1.0" encoding="UTF-8"?>\n<errors><error><code>400</code><description>&lt;script&gt;</description></error></errors>',
    );
  });
});
