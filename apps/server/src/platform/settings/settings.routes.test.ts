import type { SettingList, SettingView } from '@rongjian/shared/api';
import { z } from 'zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrg, login } from '../../../test/fixtures.ts';
import { createTestApp, type TestContext } from '../../../test/support.ts';
import type { App } from '../http/app.ts';
import { settingsCatalog } from './settings.catalog.ts';
import { defineSetting } from './settings.define.ts';
import { createSettingsService } from './settings.service.ts';

let t: TestContext & { app: App };
let sys: Record<string, string>;
let sec: Record<string, string>;
let officer: Record<string, string>;

/** A security-group setting of this test's own, so the split does not depend on other modules' definitions. */
const lockout = defineSetting({
  key: 'test.lockout',
  group: 'security',
  label: '登录失败锁定',
  description: '测试用安全策略。',
  schema: z.strictObject({ maxFailures: z.number().int().min(3).max(10), enabled: z.boolean() }),
  default: { maxFailures: 5, enabled: true },
  fields: {
    maxFailures: { label: '连续失败次数', type: 'number', unit: '次', min: 3, max: 10 },
    enabled: { label: '启用锁定', type: 'boolean' },
  },
});

beforeAll(async () => {
  t = await createTestApp();
  const { ctx } = t;
  ctx.settings = await createSettingsService({
    db: ctx.db,
    config: ctx.config,
    audit: ctx.audit,
    catalog: [...settingsCatalog, lockout],
  });
  const org = await createOrg(ctx.db);
  await org.user('sys', 'sysadmin');
  await org.user('sec', 'secadmin');
  await org.user('off', 'officer');
  sys = (await login(t.app, 'sys')).headers;
  sec = (await login(t.app, 'sec')).headers;
  officer = (await login(t.app, 'off')).headers;
});
afterAll(() => t.close());

const put = (headers: Record<string, string>, url: string, payload: unknown) =>
  t.app.inject({ method: 'PUT', url, headers, payload: payload as Record<string, unknown> });

describe('system settings', () => {
  it('lists the system group with fields, values and the dated versions of rules', async () => {
    const res = await t.app.inject({ url: '/api/system/settings', headers: sys });
    expect(res.statusCode).toBe(200);
    const list = res.json<SettingList>();
    const keys = list.items.map((s) => s.key);
    expect(keys).toEqual(
      expect.arrayContaining(['system.platform', 'system.upload', 'rules.complaintDeadlines']),
    );
    expect(keys).not.toContain('test.lockout');
    const upload = list.items.find((s) => s.key === 'system.upload');
    expect(upload?.value).toEqual({ maxFileMb: 20 });
    expect(upload?.fields).toEqual([
      expect.objectContaining({ name: 'maxFileMb', label: '单个文件上限', type: 'number', unit: 'MB' }),
    ]);
    const rules = list.items.find((s) => s.key === 'rules.complaintDeadlines');
    expect(rules?.versioned).toBe(true);
    expect(rules?.versions.map((v) => v.effectiveFrom)).toEqual(['2020-01-01', '2026-04-15']);
    expect(rules?.fields.find((f) => f.name === 'mediationDays')?.help).toContain('待核对');
  });

  it('saves a change for the system administrator and shows it on the next read', async () => {
    const res = await put(sys, '/api/system/settings/system.upload', { value: { maxFileMb: 50 } });
    expect(res.statusCode).toBe(200);
    expect(res.json<SettingView>().value).toEqual({ maxFileMb: 50 });
    const list = (await t.app.inject({ url: '/api/system/settings', headers: sys })).json<SettingList>();
    expect(list.items.find((s) => s.key === 'system.upload')?.value).toEqual({ maxFileMb: 50 });
  });

  it('schedules a new rule version from a future date', async () => {
    const current = t.ctx.settings.getAt(t.ctx.settings.find('rules.complaintDeadlines')!, '2026-04-15');
    const res = await put(sys, '/api/system/settings/rules.complaintDeadlines', {
      value: { ...current, acceptDays: 5 },
      effectiveFrom: '2099-03-01',
    });
    expect(res.statusCode).toBe(200);
    const view = res.json<SettingView>();
    expect(view.upcoming).toMatchObject({ effectiveFrom: '2099-03-01', value: { acceptDays: 5 } });
    expect(view.value.acceptDays).toBe(7);
  });

  it('answers 400 with Chinese field details for an invalid value', async () => {
    const res = await put(sys, '/api/system/settings/system.upload', { value: { maxFileMb: 'big' } });
    expect(res.statusCode).toBe(400);
    const body = res.json<{ code: string; message: string; details: { path: string; message: string }[] }>();
    expect(body.code).toBe('VALIDATION_FAILED');
    expect(body.details[0]?.path).toBe('value.maxFileMb');
    expect(body.details[0]?.message).toMatch(/单个文件上限/);
    const bad = await put(sys, '/api/system/settings/system.upload', {
      value: { maxFileMb: 10 },
      effectiveFrom: 'soon',
    });
    expect(bad.statusCode).toBe(400);
  });

  it('answers 404 for an unknown key and for a security key through the system route', async () => {
    expect((await put(sys, '/api/system/settings/no.such.key', { value: {} })).statusCode).toBe(404);
    const res = await put(sys, '/api/system/settings/test.lockout', {
      value: { maxFailures: 3, enabled: true },
    });
    expect(res.statusCode).toBe(404);
    expect(t.ctx.settings.get(lockout).maxFailures).toBe(5);
  });
});

describe('separation of the administrators', () => {
  it('keeps the system administrator away from the security policy', async () => {
    expect((await t.app.inject({ url: '/api/system/security-settings', headers: sys })).statusCode).toBe(403);
    const res = await put(sys, '/api/system/security-settings/test.lockout', {
      value: { maxFailures: 3, enabled: true },
    });
    expect(res.statusCode).toBe(403);
  });

  it('lets the security administrator edit the security policy but not system settings', async () => {
    const list = await t.app.inject({ url: '/api/system/security-settings', headers: sec });
    const items = list.json<SettingList>().items;
    expect(items.map((s) => s.key)).toContain('test.lockout');
    expect(items.every((s) => s.group === 'security')).toBe(true);
    const ok = await put(sec, '/api/system/security-settings/test.lockout', {
      value: { maxFailures: 3, enabled: true },
    });
    expect(ok.statusCode).toBe(200);
    expect(t.ctx.settings.get(lockout)).toEqual({ maxFailures: 3, enabled: true });
    expect(
      (await put(sec, '/api/system/settings/system.upload', { value: { maxFileMb: 5 } })).statusCode,
    ).toBe(403);
    expect(
      (await put(sec, '/api/system/security-settings/system.upload', { value: { maxFileMb: 5 } })).statusCode,
    ).toBe(404);
  });

  it('keeps business users out of both groups', async () => {
    expect((await t.app.inject({ url: '/api/system/settings', headers: officer })).statusCode).toBe(403);
    expect((await t.app.inject({ url: '/api/system/security-settings', headers: officer })).statusCode).toBe(
      403,
    );
  });

  it('leaves an audit record naming the setting for every change made through the API', async () => {
    const rows = await t.ctx.db
      .selectFrom('audit_log')
      .select(['action', 'actor_name', 'object_id', 'result'])
      .where('object_type', '=', 'setting')
      .orderBy('id')
      .execute();
    const changes = rows.filter((r) => r.action === 'system.setting.update');
    expect(changes.map((r) => [r.object_id, r.actor_name])).toEqual([
      ['system.upload', 'sys'],
      ['rules.complaintDeadlines', 'sys'],
      ['test.lockout', 'sec'],
    ]);
  });
});
