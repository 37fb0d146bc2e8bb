import { SettingsBoard } from './SettingsBoard.tsx';

/** 系统管理 › 参数设置: platform settings and the legal time limits, versioned by effective date. */
export default function SettingsPage() {
  return (
    <SettingsBoard
      group="system"
      title="参数设置"
      intro="平台参数与法定时限规则。规则类参数按生效日期管理：修改时指定生效日期，此前发生的事项仍按当时有效的规则计算。每次修改都记入审计日志。"
    />
  );
}
