import type { FastifyRequest } from 'fastify';
import { DICT_CODE_PATTERN, dictItemSchema, dictOptionSchema, dictTypeSchema } from '@rongjian/shared/api';
import { z } from 'zod';
import type { AppContext } from '../context.ts';
import { notFound } from '../errors.ts';
import type { App } from '../http/app.ts';
import { requireUser } from '../http/auth-hooks.ts';
import * as repo from './dict.repo.ts';
import { type DictActor, toDictItem } from './dict.mutations.ts';

const TAGS = ['系统管理'];

const code = z.string().regex(DICT_CODE_PATTERN, '编码应为小写字母开头的 2–50 位小写字母、数字或下划线');
const typeParams = z.strictObject({ code: z.string().min(1).max(50) });
const itemParams = z.strictObject({
  code: z.string().min(1).max(50),
  id: z.coerce.number().int().positive(),
});
const name = z.string().trim().min(1, '名称不能为空').max(50, '名称最多 50 个字');
const description = z.string().trim().max(200, '说明最多 200 个字').default('');
const keyword = z.string().trim().max(100, '关键字最多 100 个字').optional();
const value = z.string().trim().min(1, '字典值不能为空').max(50, '字典值最多 50 个字符');
const label = z.string().trim().min(1, '字典标签不能为空').max(50, '字典标签最多 50 个字');
const color = z
  .string()
  .trim()
  .regex(/^(#[0-9a-fA-F]{6}|[a-z]{3,20})$/, '颜色应为 #RRGGBB 或预设颜色名')
  .nullable();
const itemFields = {
  value,
  label,
  parentValue: z.string().trim().min(1).max(50).nullable(),
  sort: z.number().int('排序应为整数').min(0).max(99_999),
  enabled: z.boolean(),
  color,
};
const okSchema = z.object({ ok: z.literal(true) });

function actorOf(req: FastifyRequest): DictActor {
  const user = requireUser(req);
  return { id: user.id, name: user.displayName, ip: req.ip };
}

/** Code tables: administration under `/api/system/dicts`, and the read-only list every signed-in page uses. */
export function registerDictRoutes(app: App, ctx: AppContext): void {
  app.get(
    '/api/dicts/:type',
    {
      config: { policy: 'authenticated' },
      schema: {
        tags: ['字典'],
        summary: '某个字典的全部项（含已停用项，供显示历史记录的名称）',
        params: z.strictObject({ type: z.string().min(1).max(50) }),
        response: { 200: z.object({ items: z.array(dictOptionSchema) }) },
      },
    },
    async (req) => {
      if (!ctx.dicts.hasType(req.params.type)) throw notFound('字典');
      const items = ctx.dicts.items(req.params.type).map(({ value, label, parentValue, enabled, color }) => ({
        value,
        label,
        parentValue,
        enabled,
        color,
      }));
      return { items };
    },
  );

  app.get(
    '/api/system/dicts',
    {
      config: { policy: { permission: 'system:dict:read' } },
      schema: {
        tags: TAGS,
        summary: '字典类型列表',
        querystring: z.strictObject({ keyword }),
        response: { 200: z.object({ items: z.array(dictTypeSchema) }) },
      },
    },
    async (req) => ({ items: await repo.findTypes(ctx.db, req.query.keyword) }),
  );

  app.post(
    '/api/system/dicts',
    {
      config: { policy: { permission: 'system:dict:create' } },
      schema: {
        tags: TAGS,
        summary: '新增自定义字典类型',
        body: z.strictObject({ code, name, description }),
        response: { 200: dictTypeSchema },
      },
    },
    async (req) => {
      req.auditDetail({ objectType: 'dict_type', objectId: req.body.code });
      return ctx.dicts.createType(actorOf(req), req.body);
    },
  );

  app.put(
    '/api/system/dicts/:code',
    {
      config: { policy: { permission: 'system:dict:update' } },
      schema: {
        tags: TAGS,
        summary: '修改字典类型的名称和说明（编码不可改）',
        params: typeParams,
        body: z.strictObject({ name, description }),
        response: { 200: dictTypeSchema },
      },
    },
    async (req) => {
      req.auditDetail({ objectType: 'dict_type', objectId: req.params.code });
      return ctx.dicts.updateType(actorOf(req), req.params.code, req.body);
    },
  );

  app.delete(
    '/api/system/dicts/:code',
    {
      config: { policy: { permission: 'system:dict:delete' } },
      schema: {
        tags: TAGS,
        summary: '删除自定义字典类型及其全部字典项',
        params: typeParams,
        response: { 200: okSchema },
      },
    },
    async (req) => {
      req.auditDetail({ objectType: 'dict_type', objectId: req.params.code });
      await ctx.dicts.deleteType(actorOf(req), req.params.code);
      return { ok: true as const };
    },
  );

  app.get(
    '/api/system/dicts/:code/items',
    {
      config: { policy: { permission: 'system:dict:read' } },
      schema: {
        tags: TAGS,
        summary: '某字典类型的字典项',
        params: typeParams,
        querystring: z.strictObject({ keyword, enabled: z.enum(['true', 'false']).optional() }),
        response: { 200: z.object({ items: z.array(dictItemSchema) }) },
      },
    },
    async (req) => {
      if (!(await repo.findType(ctx.db, req.params.code))) throw notFound('字典类型');
      const { keyword: kw, enabled } = req.query;
      const rows = await repo.findItems(ctx.db, req.params.code, {
        keyword: kw,
        enabled: enabled === undefined ? undefined : enabled === 'true',
      });
      return { items: rows.map(toDictItem) };
    },
  );

  app.post(
    '/api/system/dicts/:code/items',
    {
      config: { policy: { permission: 'system:dict:create' } },
      schema: {
        tags: TAGS,
        summary: '新增字典项',
        params: typeParams,
        body: z.strictObject({
          value,
          label,
          parentValue: itemFields.parentValue.optional(),
          sort: itemFields.sort.optional(),
          enabled: itemFields.enabled.optional(),
          color: color.optional(),
        }),
        response: { 200: dictItemSchema },
      },
    },
    async (req) => {
      const item = await ctx.dicts.createItem(actorOf(req), req.params.code, req.body);
      req.auditDetail({ objectType: 'dict_item', objectId: item.id });
      return item;
    },
  );

  app.put(
    '/api/system/dicts/:code/items/:id',
    {
      config: { policy: { permission: 'system:dict:update' } },
      schema: {
        tags: TAGS,
        summary: '修改字典项（内置项的值不可改；停用请将 enabled 设为 false）',
        params: itemParams,
        body: z.strictObject(itemFields).partial(),
        response: { 200: dictItemSchema },
      },
    },
    async (req) => {
      req.auditDetail({ objectType: 'dict_item', objectId: req.params.id });
      return ctx.dicts.updateItem(actorOf(req), req.params.code, req.params.id, req.body);
    },
  );

  app.delete(
    '/api/system/dicts/:code/items/:id',
    {
      config: { policy: { permission: 'system:dict:delete' } },
      schema: {
        tags: TAGS,
        summary: '删除自定义字典项（内置项只能停用）',
        params: itemParams,
        response: { 200: okSchema },
      },
    },
    async (req) => {
      req.auditDetail({ objectType: 'dict_item', objectId: req.params.id });
      await ctx.dicts.deleteItem(actorOf(req), req.params.code, req.params.id);
      return { ok: true as const };
    },
  );
}
