import type { WorkOrderPushResult } from '@rongjian/shared/api';
import { sql } from 'kysely';
import type { AppContext } from '../../platform/context.ts';
import { AppError } from '../../platform/errors.ts';
import { cellOf } from '../../support/exchange/exchange.files.ts';
import { applyOrders, getSource, MAX_PUSH_ORDERS, type ParsedOrder, parseOrder } from './clues.workorders.ts';
import { NONCE_HEADER, SIGNATURE_WINDOW_SECONDS, signatureProblem } from './clues.workorders.sign.ts';

const invalid = (why: string) => new AppError('SIGNATURE_INVALID', `签名校验失败：${why}`, { status: 401 });

/**
 * An inbound signed push of one order or an array of at most 100 (docs/workorders.md). The signature is checked
 * on the raw body before anything is parsed; the nonce is spent and the clues raised in one transaction, all or
 * nothing: one invalid order refuses the whole push (400 with each problem), so the sender can correct and resend.
 */
export async function receivePush(
  ctx: AppContext,
  code: string,
  headers: Record<string, string | string[] | undefined>,
  rawBody: string,
): Promise<WorkOrderPushResult> {
  const source = await getSource(ctx.db, code).catch(() => null);
  // An unknown source or one without a key answers like a bad signature: nothing to learn from probing.
  if (!source?.push_secret_enc) throw invalid('未配置该来源的签名密钥');
  const problem = signatureProblem(ctx.pii.decrypt(source.push_secret_enc), headers, rawBody);
  if (problem) throw invalid(problem);

  let body: unknown;
  try {
    body = JSON.parse(rawBody);
  } catch {
    throw new AppError('BAD_JSON', '请求体不是有效的 JSON');
  }
  const list = Array.isArray(body) ? body : [body];
  if (list.length === 0) throw new AppError('VALIDATION_FAILED', '没有工单');
  if (list.length > MAX_PUSH_ORDERS) {
    throw new AppError('VALIDATION_FAILED', `一次最多推送 ${MAX_PUSH_ORDERS} 个工单，本次 ${list.length} 个`);
  }
  const orders: ParsedOrder[] = [];
  const details: { path: string; message: string }[] = [];
  for (const [i, item] of list.entries()) {
    if (typeof item !== 'object' || item === null || Array.isArray(item)) {
      details.push({ path: `[${i}]`, message: '每个工单应为一个 JSON 对象' });
      continue;
    }
    const record: Record<string, string> = {};
    for (const [k, v] of Object.entries(item)) record[k] = cellOf(v);
    const p = parseOrder(source, record);
    if (p.ok) orders.push(p.order);
    else {
      const col = p.field ? source.field_mapping[p.field] : null;
      details.push({
        path: `[${i}]${col ? `.${col}` : ''}`,
        message: `工单 ${p.orderNo ?? `第 ${i + 1} 个`}：${p.reason}`,
      });
    }
  }
  if (details.length) {
    throw new AppError(
      'VALIDATION_FAILED',
      details
        .map((d) => d.message)
        .join('；')
        .slice(0, 1000),
      { details },
    );
  }
  const nonce = headers[NONCE_HEADER] as string;
  return ctx.db.transaction().execute(async (tx) => {
    await tx
      .deleteFrom('workorder_nonce')
      .where('seen_at', '<', sql<Date>`now() - make_interval(secs => ${SIGNATURE_WINDOW_SECONDS * 2})`)
      .execute();
    const fresh = await tx
      .insertInto('workorder_nonce')
      .values({ source: source.code, nonce })
      .onConflict((oc) => oc.columns(['source', 'nonce']).doNothing())
      .returning('nonce')
      .executeTakeFirst();
    if (!fresh) throw invalid('随机串已使用（疑似重放）');
    const { results } = await applyOrders(tx, ctx, source, orders, {
      id: null,
      name: `${source.name}推送`,
    });
    return results;
  });
}
