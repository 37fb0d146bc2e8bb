/** 结果 filter of both audit lists (审计日志, 登录日志). */
export const RESULT_OPTIONS = [
  { value: 'success', label: '成功' },
  { value: 'failure', label: '失败' },
];
