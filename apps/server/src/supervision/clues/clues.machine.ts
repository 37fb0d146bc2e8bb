import type { ClueStatus, ClueTransitionAction } from '@rongjian/shared/api';

/**
 * The clue's life as data (ARCHITECTURE.md §4): every edge `from → action → to`, the permission it needs and what
 * must be present. The service applies an edge in one transaction (guard → update with optimistic version →
 * ledger event → deadlines); `GET /api/clues/machine` hands the table to the UI, and the tests walk every edge.
 *
 *   待登记 → 待分拣 → (直接办结 | 待研判 | 待调度) → 办理中 → 待反馈 → 已办结
 *   plus 不予受理, 已并案, 已转办 from the open states, and 重新办理 (reopen) after an unsatisfied callback.
 */
export interface ClueEdge {
  action: ClueTransitionAction;
  label: string;
  from: readonly ClueStatus[];
  to: ClueStatus;
  permission: string;
  /** Fields the action's payload must carry (validated again by the route schema). */
  requires?: readonly string[];
}

/** States where the clue still waits for the bureau; a clue in one of them can be merged, refused or transferred. */
export const OPEN_STATES: readonly ClueStatus[] = [
  'registering',
  'sorting',
  'analysing',
  'dispatching',
  'handling',
  'feedback',
];

/** States no ordinary action leaves (reopen excepted for the two closed ones). */
export const FINAL_STATES: readonly ClueStatus[] = ['direct', 'closed', 'rejected', 'merged', 'transferred'];

export const CLUE_EDGES: readonly ClueEdge[] = [
  {
    action: 'register',
    label: '登记',
    from: ['registering'],
    to: 'sorting',
    permission: 'clue:clue:update',
  },
  {
    action: 'answer',
    label: '直接办结',
    from: ['sorting', 'analysing'],
    to: 'direct',
    permission: 'clue:clue:handle',
    requires: ['answer'],
  },
  {
    action: 'toAnalysis',
    label: '转研判',
    from: ['sorting'],
    to: 'analysing',
    permission: 'clue:clue:handle',
  },
  {
    action: 'toDispatch',
    label: '转调度',
    from: ['sorting', 'analysing'],
    to: 'dispatching',
    permission: 'clue:clue:handle',
  },
  {
    action: 'startHandling',
    label: '开始办理',
    from: ['dispatching'],
    to: 'handling',
    permission: 'clue:clue:handle',
  },
  {
    action: 'recordResult',
    label: '反馈办理结果',
    from: ['handling', 'analysing', 'dispatching'],
    to: 'feedback',
    permission: 'clue:clue:handle',
    requires: ['result'],
  },
  {
    action: 'close',
    label: '办结',
    from: ['feedback'],
    to: 'closed',
    permission: 'clue:clue:handle',
  },
  {
    action: 'reject',
    label: '不予受理',
    from: ['registering', 'sorting', 'analysing'],
    to: 'rejected',
    permission: 'clue:clue:handle',
    requires: ['groundCode'],
  },
  {
    action: 'transfer',
    label: '转办',
    from: ['registering', 'sorting', 'analysing'],
    to: 'transferred',
    permission: 'clue:clue:handle',
    requires: ['agency'],
  },
  {
    action: 'merge',
    label: '并案',
    from: ['registering', 'sorting', 'analysing', 'dispatching'],
    to: 'merged',
    permission: 'clue:clue:merge',
    requires: ['targetId'],
  },
  {
    action: 'reopen',
    label: '重新办理',
    from: ['direct', 'closed'],
    to: 'sorting',
    permission: 'clue:clue:handle',
    requires: ['reason'],
  },
  {
    // 指挥调度: the receiving department returns the order (退回) and the clue waits for dispatch again.
    action: 'returnToDispatch',
    label: '退回待调度',
    from: ['handling'],
    to: 'dispatching',
    permission: 'dispatch:order:return',
    requires: ['reason'],
  },
];

export function edgeFor(action: ClueTransitionAction): ClueEdge {
  const edge = CLUE_EDGES.find((e) => e.action === action);
  if (!edge) throw new Error(`unknown clue action ${action}`);
  return edge;
}

/** Actions a clue in `status` can take next (the UI offers these buttons). */
export function actionsFrom(status: ClueStatus): ClueEdge[] {
  return CLUE_EDGES.filter((e) => e.from.includes(status));
}
