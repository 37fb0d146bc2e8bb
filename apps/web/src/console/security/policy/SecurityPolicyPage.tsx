import { SettingsBoard } from '../../system/settings/SettingsBoard.tsx';

/** 安全管理 › 安全策略: password, lockout, session and audit policies, edited by the 安全管理员 only. */
export default function SecurityPolicyPage() {
  return (
    <SettingsBoard
      group="security"
      title="安全策略"
      intro="口令、登录失败锁定、会话超时等安全策略（等保三级），仅安全管理员可以修改；每次修改都记入审计日志。"
    />
  );
}
