import type { Kysely, Transaction } from 'kysely';
import type { AuditService } from '../audit/audit.service.ts';
import type { DB } from '../db/schema.ts';
import { AppError, notFound } from '../errors.ts';
import * as repo from './dict.repo.ts';

export interface DictActor {
  id: number | null;
  name: string;
  ip?: string | null;
}

export interface DictItemInput {
  value: string;
  label: string;
  parentValue?: string | null | undefined;
  sort?: number | undefined;
  enabled?: boolean | undefined;
  color?: string | null | undefined;
}

const builtinProtected = (message: string) =>
  new AppError('DICT_BUILTIN_PROTECTED', message, { status: 409 });

export function toDictItem(r: repo.DictItemRow) {
  return {
    id: r.id,
    typeCode: r.type_code,
    value: r.value,
    label: r.label,
    parentValue: r.parent_value,
    sort: r.sort,
    enabled: r.enabled,
    color: r.color,
    builtin: r.builtin,
    updatedAt: new Date(r.updated_at).toISOString(),
  };
}
export type DictItemView = ReturnType<typeof toDictItem>;

/**
 * Administrator changes to code tables, each in one transaction with its audit record. Built-in types and the
 * values of built-in items are fixed because code compares against them; labels, order and the enabled flag may change.
 */
export function createDictMutations(deps: {
  db: Kysely<DB>;
  audit: AuditService;
  afterChange: () => Promise<void>;
}) {
  const { db, audit } = deps;

  /** Run `fn` and its audit record in one transaction, then refresh the cache. */
  async function change<T>(
    actor: DictActor,
    what: { action: string; objectType: string; objectId: string; detail: string },
    fn: (tx: Transaction<DB>) => Promise<{ before?: unknown; after?: unknown; result: T }>,
  ): Promise<T> {
    const out = await db.transaction().execute(async (tx) => {
      const r = await fn(tx);
      await audit.record(tx, {
        actor: { id: actor.id, name: actor.name },
        ip: actor.ip ?? null,
        result: 'success',
        ...what,
        ...(r.before !== undefined ? { before: r.before } : {}),
        ...(r.after !== undefined ? { after: r.after } : {}),
      });
      return r.result;
    });
    await deps.afterChange();
    return out;
  }

  async function requireType(tx: Transaction<DB>, code: string) {
    const t = await repo.findType(tx, code);
    if (!t) throw notFound('字典类型');
    return t;
  }

  async function checkParent(
    tx: Transaction<DB>,
    typeCode: string,
    parent: string | null | undefined,
    self?: string,
  ) {
    if (parent === null || parent === undefined) return;
    if (parent === self || !(await repo.itemValueExists(tx, typeCode, parent))) {
      throw new AppError('VALIDATION_FAILED', '上级字典项不存在', {
        details: [{ path: 'parentValue', message: '请选择本字典中已有的其他项' }],
      });
    }
  }

  const duplicate = (value: string) => new AppError('CONFLICT', `本字典中已有值为“${value}”的字典项`);

  return {
    createType(actor: DictActor, input: { code: string; name: string; description: string }) {
      const what = {
        action: 'system.dict.create',
        objectType: 'dict_type',
        objectId: input.code,
        detail: input.name,
      };
      return change(actor, what, async (tx) => {
        if (await repo.findType(tx, input.code))
          throw new AppError('CONFLICT', `字典类型编码“${input.code}”已存在`);
        await tx
          .insertInto('dict_type')
          .values({ ...input, builtin: false })
          .execute();
        const created = await requireType(tx, input.code);
        return { after: input, result: created };
      });
    },

    updateType(actor: DictActor, code: string, input: { name: string; description: string }) {
      const what = {
        action: 'system.dict.update',
        objectType: 'dict_type',
        objectId: code,
        detail: input.name,
      };
      return change(actor, what, async (tx) => {
        const before = await requireType(tx, code);
        await tx.updateTable('dict_type').set(input).where('code', '=', code).execute();
        const after = await requireType(tx, code);
        return {
          before: { name: before.name, description: before.description },
          after: input,
          result: after,
        };
      });
    },

    deleteType(actor: DictActor, code: string) {
      const what = {
        action: 'system.dict.delete',
        objectType: 'dict_type',
        objectId: code,
        detail: '删除字典类型',
      };
      return change(actor, what, async (tx) => {
        const before = await requireType(tx, code);
        if (before.builtin) throw builtinProtected('内置字典类型不能删除');
        await tx.deleteFrom('dict_type').where('code', '=', code).execute();
        return { before, result: undefined };
      });
    },

    createItem(actor: DictActor, typeCode: string, input: DictItemInput) {
      const what = {
        action: 'system.dict.create',
        objectType: 'dict_item',
        objectId: `${typeCode}:${input.value}`,
        detail: input.label,
      };
      return change(actor, what, async (tx) => {
        await requireType(tx, typeCode);
        if (await repo.itemValueExists(tx, typeCode, input.value)) throw duplicate(input.value);
        await checkParent(tx, typeCode, input.parentValue);
        const row = await tx
          .insertInto('dict_item')
          .values({
            type_code: typeCode,
            value: input.value,
            label: input.label,
            parent_value: input.parentValue ?? null,
            sort: input.sort ?? (await repo.nextSort(tx, typeCode)),
            enabled: input.enabled ?? true,
            color: input.color ?? null,
          })
          .returning(repo.itemColumns)
          .executeTakeFirstOrThrow();
        const item = toDictItem(row);
        return { after: item, result: item };
      });
    },

    updateItem(actor: DictActor, typeCode: string, id: number, input: Partial<DictItemInput>) {
      const what = {
        action: 'system.dict.update',
        objectType: 'dict_item',
        objectId: `${typeCode}:${id}`,
        detail: '修改字典项',
      };
      return change(actor, what, async (tx) => {
        const row = await repo.findItem(tx, typeCode, id);
        if (!row) throw notFound('字典项');
        const before = toDictItem(row);
        if (input.value !== undefined && input.value !== row.value) {
          if (row.builtin)
            throw builtinProtected('内置字典项的值被程序引用，不能修改；可修改名称、排序和启用状态');
          if (await repo.itemValueExists(tx, typeCode, input.value)) throw duplicate(input.value);
          if ((await repo.countChildren(tx, typeCode, row.value)) > 0) {
            throw new AppError('CONFLICT', '该字典项下还有下级项，不能修改其值');
          }
        }
        if (input.parentValue !== undefined) await checkParent(tx, typeCode, input.parentValue, row.value);
        const updated = await tx
          .updateTable('dict_item')
          .set({
            ...(input.value !== undefined ? { value: input.value } : {}),
            ...(input.label !== undefined ? { label: input.label } : {}),
            ...(input.parentValue !== undefined ? { parent_value: input.parentValue } : {}),
            ...(input.sort !== undefined ? { sort: input.sort } : {}),
            ...(input.enabled !== undefined ? { enabled: input.enabled } : {}),
            ...(input.color !== undefined ? { color: input.color } : {}),
            updated_at: new Date(),
          })
          .where('id', '=', id)
          .returning(repo.itemColumns)
          .executeTakeFirstOrThrow();
        const after = toDictItem(updated);
        return { before, after, result: after };
      });
    },

    deleteItem(actor: DictActor, typeCode: string, id: number) {
      const what = {
        action: 'system.dict.delete',
        objectType: 'dict_item',
        objectId: `${typeCode}:${id}`,
        detail: '删除字典项',
      };
      return change(actor, what, async (tx) => {
        const row = await repo.findItem(tx, typeCode, id);
        if (!row) throw notFound('字典项');
        if (row.builtin) throw builtinProtected('内置字典项不能删除，可停用');
        if ((await repo.countChildren(tx, typeCode, row.value)) > 0) {
          throw new AppError('CONFLICT', '请先删除该字典项的下级项');
        }
        await tx.deleteFrom('dict_item').where('id', '=', id).execute();
        return { before: toDictItem(row), result: undefined };
      });
    },
  };
}
