/** Readable names for audit actions; unknown ones are shown as recorded. */
const KNOWN: Record<string, string> = {
  'POST /api/auth/login': '登录',
  'POST /api/auth/logout': '退出登录',
  'auth.lockout': '账号锁定',
  'audit.archive': '审计记录归档',
  'pii.reveal': '查看个人信息明文',
};

const VERBS: Record<string, string> = {
  create: '新增',
  update: '修改',
  delete: '删除',
  export: '导出',
  import: '导入',
  read: '查看',
  reveal: '查看明文',
  reset: '重置',
  assign: '分配',
  approve: '审批',
};

export function actionLabel(action: string): string | null {
  const known = KNOWN[action];
  if (known) return known;
  const verb = action.split(/[:.]/).pop();
  return verb && VERBS[verb] ? VERBS[verb] : null;
}
