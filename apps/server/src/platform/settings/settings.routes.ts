import { type SettingView, settingListSchema, settingViewSchema } from '@rongjian/shared/api';
import { z } from 'zod';
import { todayInChina } from '../calendar/calendar.rules.ts';
import type { AppContext } from '../context.ts';
import { notFound } from '../errors.ts';
import type { App } from '../http/app.ts';
import { requireUser } from '../http/auth-hooks.ts';
import type { AnySettingDefinition, SettingGroup } from './settings.define.ts';

const isoDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '应为 YYYY-MM-DD 格式');
const keyParam = z.strictObject({ key: z.string().min(1).max(100) });
const body = z.strictObject({
  value: z.record(z.string(), z.unknown()),
  effectiveFrom: isoDay.optional(),
});

/** The screens' view of one setting: its form description, the value in force today and its versions. */
export function settingView(ctx: AppContext, def: AnySettingDefinition, today = todayInChina()): SettingView {
  const versions = ctx.settings.versions(def.key);
  return {
    key: def.key,
    group: def.group,
    label: def.label,
    description: def.description,
    versioned: def.versioned === true,
    fields: Object.entries(def.fields).flatMap(([name, f]) => (f ? [{ name, ...f }] : [])),
    value: ctx.settings.get(def),
    default: def.default,
    versions,
    upcoming: versions.find((v) => v.effectiveFrom > today) ?? null,
  };
}

interface GroupRoutes {
  path: string;
  group: SettingGroup;
  read: string;
  update: string;
  tag: string;
}

/**
 * One pair of routes per group, each with its own permission: the 系统管理员 edits the system settings, the
 * 安全管理员 the security policy, and neither reaches the other's keys through their route (404).
 */
function registerGroup(app: App, ctx: AppContext, g: GroupRoutes): void {
  const lookup = (key: string) => {
    const def = ctx.settings.find(key);
    if (!def || def.group !== g.group) throw notFound('参数');
    return def;
  };

  app.get(
    g.path,
    {
      config: { policy: { permission: g.read } },
      schema: {
        tags: [g.tag],
        summary: '参数列表：每项的表单说明、当前值和生效版本',
        response: { 200: settingListSchema },
      },
    },
    async () => {
      const today = todayInChina();
      return { items: ctx.settings.definitions(g.group).map((d) => settingView(ctx, d, today)), today };
    },
  );

  app.put(
    `${g.path}/:key`,
    {
      config: { policy: { permission: g.update } },
      schema: {
        tags: [g.tag],
        summary: '修改参数（按生效日期管理的规则可指定今天或以后的生效日期）',
        params: keyParam,
        body,
        response: { 200: settingViewSchema },
      },
    },
    async (req) => {
      const user = requireUser(req);
      const def = lookup(req.params.key);
      req.auditDetail({ objectType: 'setting', objectId: def.key });
      await ctx.settings.set(
        { id: user.id, name: user.displayName, ip: req.ip },
        def,
        req.body.value,
        req.body.effectiveFrom ? { effectiveFrom: req.body.effectiveFrom } : {},
      );
      return settingView(ctx, def);
    },
  );
}

export function registerSettingsRoutes(app: App, ctx: AppContext): void {
  registerGroup(app, ctx, {
    path: '/api/system/settings',
    group: 'system',
    read: 'system:setting:read',
    update: 'system:setting:update',
    tag: '系统管理',
  });
  registerGroup(app, ctx, {
    path: '/api/system/security-settings',
    group: 'security',
    read: 'security:policy:read',
    update: 'security:policy:update',
    tag: '安全管理',
  });
}
