import type { DispatchAction, DispatchOrderStatus } from '@rongjian/shared/api';

/**
 * The dispatch order's life as data (ARCHITECTURE.md §4), like clues.machine.ts: every edge `from → action → to`,
 * the permission it needs and the fields it must carry. `to: null` keeps the state (a request, a decision, an urge).
 *
 *   待签收 → 已签收 → 办理中 → 已办结
 *   退回 (→ 已退回, the clue back to 待调度) from any open state; 转办 (to another department, → 待签收, with approval
 *   when `dispatch.transferNeedsApproval` is on); 延期 (request + approval through the deadline service); 督办.
 */
export interface DispatchEdge {
  action: DispatchAction;
  label: string;
  from: readonly DispatchOrderStatus[];
  to: DispatchOrderStatus | null;
  permission: string;
  requires?: readonly string[];
}

export const OPEN: readonly DispatchOrderStatus[] = ['pending', 'signed', 'handling'];

export const DISPATCH_EDGES: readonly DispatchEdge[] = [
  { action: 'sign', label: '签收', from: ['pending'], to: 'signed', permission: 'dispatch:order:sign' },
  {
    action: 'start',
    label: '开始办理',
    from: ['signed'],
    to: 'handling',
    permission: 'dispatch:order:handle',
  },
  {
    action: 'complete',
    label: '登记结果并办结',
    from: ['handling'],
    to: 'completed',
    permission: 'dispatch:order:handle',
    requires: ['outcome', 'summary'],
  },
  {
    action: 'return',
    label: '退回',
    from: OPEN,
    to: 'returned',
    permission: 'dispatch:order:return',
    requires: ['reason'],
  },
  {
    action: 'transfer',
    label: '转办',
    from: OPEN,
    to: 'pending',
    permission: 'dispatch:order:transfer',
    requires: ['departmentId', 'reason'],
  },
  {
    action: 'approveTransfer',
    label: '批准转办',
    from: OPEN,
    to: 'pending',
    permission: 'dispatch:order:approve',
  },
  {
    action: 'rejectTransfer',
    label: '驳回转办',
    from: OPEN,
    to: null,
    permission: 'dispatch:order:approve',
  },
  {
    action: 'extend',
    label: '申请延期',
    from: OPEN,
    to: null,
    permission: 'dispatch:order:extend',
    requires: ['days', 'reason'],
  },
  {
    action: 'decideExtension',
    label: '审批延期',
    from: OPEN,
    to: null,
    permission: 'dispatch:order:approve',
    requires: ['extensionId', 'approve'],
  },
  {
    action: 'urge',
    label: '督办',
    from: OPEN,
    to: null,
    permission: 'dispatch:order:urge',
    requires: ['message'],
  },
];

export function dispatchEdge(action: DispatchAction): DispatchEdge {
  const edge = DISPATCH_EDGES.find((e) => e.action === action);
  if (!edge) throw new Error(`unknown dispatch action ${action}`);
  return edge;
}

export const isOpen = (s: DispatchOrderStatus) => OPEN.includes(s);
