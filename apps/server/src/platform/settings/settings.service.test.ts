import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestContext, type TestContext } from '../../../test/support.ts';
import { todayInChina } from '../calendar/calendar.rules.ts';
import { AppError } from '../errors.ts';
import { complaintDeadlines, platformInfo, uploadLimits } from './settings.builtin.ts';
import { createSettingsService } from './settings.service.ts';

let t: TestContext;
const admin = { id: null, name: '测试管理员' };

beforeAll(async () => {
  t = await createTestContext();
});
afterAll(() => t.close());

async function auditRows(key: string) {
  return t.ctx.db
    .selectFrom('audit_log')
    .select(['action', 'actor_name', 'object_type', 'object_id', 'summary', 'result'])
    .where('object_id', '=', key)
    .where('action', '=', 'system.setting.update')
    .orderBy('id')
    .execute();
}

describe('complaint deadlines by effective date', () => {
  it('applies Order 20 to clues received before 2026-04-15 and Order 121 from that day', () => {
    const before = t.ctx.settings.getAt(complaintDeadlines, '2026-04-14');
    expect(before).toMatchObject({ acceptDays: 7, mediationDays: 45, mediationDayKind: 'working' });
    expect(before.regulation).toContain('第20号');
    const from = t.ctx.settings.getAt(complaintDeadlines, '2026-04-15');
    expect(from).toMatchObject({ acceptDays: 7, mediationDays: 60, mediationDayKind: 'natural' });
    expect(from.regulation).toContain('第121号');
    // A Date is read as the day it is in China: 2026-04-14 16:30 UTC is already the 15th in Beijing.
    expect(t.ctx.settings.getAt(complaintDeadlines, new Date('2026-04-14T16:30:00Z')).mediationDays).toBe(60);
    expect(t.ctx.settings.getAt(complaintDeadlines, new Date('2026-04-14T15:30:00Z')).mediationDays).toBe(45);
  });

  it('lists both seeded versions with their dates', () => {
    expect(t.ctx.settings.versions(complaintDeadlines.key).map((v) => v.effectiveFrom)).toEqual([
      '2020-01-01',
      '2026-04-15',
    ]);
  });
});

describe('set', () => {
  it('returns the default until an administrator changes a setting', () => {
    expect(t.ctx.settings.get(platformInfo)).toEqual({ name: '示范县市场监督管理局', shortName: '示范县局' });
  });

  it('stores a valid value, serves it at once and records before and after in the audit trail', async () => {
    const r = await t.ctx.settings.set(admin, platformInfo, {
      name: '测试县市场监督管理局',
      shortName: '测试县局',
    });
    expect(r.before.name).toBe('示范县市场监督管理局');
    expect(t.ctx.settings.get(platformInfo).name).toBe('测试县市场监督管理局');
    const row = await t.ctx.db
      .selectFrom('setting')
      .selectAll()
      .where('key', '=', 'system.platform')
      .executeTakeFirst();
    expect(row?.value).toEqual({ name: '测试县市场监督管理局', shortName: '测试县局' });
    const audit = await auditRows('system.platform');
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor_name: '测试管理员', object_type: 'setting', result: 'success' });
    expect(JSON.stringify(audit[0]?.summary)).toContain('示范县市场监督管理局');
    expect(JSON.stringify(audit[0]?.summary)).toContain('测试县市场监督管理局');
  });

  it('refuses a value that fails the schema, naming the field in Chinese, and keeps the old value', async () => {
    const err = await t.ctx.settings.set(admin, uploadLimits, { maxFileMb: 0 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('VALIDATION_FAILED');
    expect((err as AppError).details?.[0]).toMatchObject({ path: 'value.maxFileMb' });
    expect((err as AppError).details?.[0]?.message).toContain('单个文件上限');
    await expect(t.ctx.settings.set(admin, uploadLimits, { maxFileMb: 10, extra: 1 })).rejects.toThrow(
      AppError,
    );
    expect(t.ctx.settings.get(uploadLimits).maxFileMb).toBe(20);
    expect(await auditRows('system.upload')).toHaveLength(0);
  });

  it('keeps a future version waiting until its date and refuses retroactive changes', async () => {
    const next = { ...t.ctx.settings.getAt(complaintDeadlines, '2026-04-15'), mediationDays: 90 };
    await t.ctx.settings.set(admin, complaintDeadlines, next, { effectiveFrom: '2099-01-01' });
    expect(t.ctx.settings.getAt(complaintDeadlines, '2098-12-31').mediationDays).toBe(60);
    expect(t.ctx.settings.getAt(complaintDeadlines, '2099-01-01').mediationDays).toBe(90);
    // Saving the same date again replaces that version instead of adding a second one.
    await t.ctx.settings.set(
      admin,
      complaintDeadlines,
      { ...next, mediationDays: 80 },
      { effectiveFrom: '2099-01-01' },
    );
    const dates = t.ctx.settings.versions(complaintDeadlines.key).map((v) => v.effectiveFrom);
    expect(dates).toEqual(['2020-01-01', '2026-04-15', '2099-01-01']);
    expect(t.ctx.settings.getAt(complaintDeadlines, '2099-06-01').mediationDays).toBe(80);

    await expect(
      t.ctx.settings.set(admin, complaintDeadlines, next, { effectiveFrom: '2021-01-01' }),
    ).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    // Settings that are not rules apply at once and take no date.
    await expect(
      t.ctx.settings.set(admin, uploadLimits, { maxFileMb: 30 }, { effectiveFrom: '2099-01-01' }),
    ).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(t.ctx.settings.getAt(complaintDeadlines, '2021-01-01').mediationDays).toBe(45);
  });

  it('writes nothing when the surrounding transaction rolls back', async () => {
    await expect(
      t.ctx.db.transaction().execute(async (tx) => {
        await t.ctx.settings.set(admin, uploadLimits, { maxFileMb: 99 }, { tx });
        throw new Error('rollback');
      }),
    ).rejects.toThrow('rollback');
    await t.ctx.settings.refresh();
    expect(t.ctx.settings.get(uploadLimits).maxFileMb).toBe(20);
    expect(await auditRows('system.upload')).toHaveLength(0);
  });
});

describe('cache across nodes', () => {
  it('another node serves its cached value, then picks the change up within 30 seconds', async () => {
    const other = await createSettingsService({ db: t.ctx.db, config: t.ctx.config, audit: t.ctx.audit });
    expect(other.get(uploadLimits).maxFileMb).toBe(20);
    await t.ctx.settings.set(admin, uploadLimits, { maxFileMb: 25 });
    expect(t.ctx.settings.get(uploadLimits).maxFileMb).toBe(25);
    expect(other.get(uploadLimits).maxFileMb).toBe(20);

    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      vi.setSystemTime(Date.now() + 31_000);
      await vi.waitFor(() => expect(other.get(uploadLimits).maxFileMb).toBe(25));
    } finally {
      vi.useRealTimers();
    }
  });

  it('falls back to the default when a stored value no longer fits the definition', async () => {
    await t.ctx.db
      .updateTable('setting_version')
      .set({ value: JSON.stringify({ maxFileMb: 'lots' }) as unknown as Record<string, unknown> })
      .where('key', '=', 'system.upload')
      .where('effective_from', '=', todayInChina())
      .execute();
    await t.ctx.settings.refresh();
    expect(t.ctx.settings.get(uploadLimits).maxFileMb).toBe(20);
  });
});
