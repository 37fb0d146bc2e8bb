import { RISK_CLASSES, type RiskClass } from '@rongjian/shared';
import { Tag } from 'antd';

const COLORS: Record<RiskClass, string> = { A: 'green', B: 'blue', C: 'orange', D: 'red' };

/** 信用风险分类 A–D as a coloured tag; 未分类 until the risk model has run. */
export function RiskTag({ riskClass }: { riskClass: RiskClass | null }) {
  if (!riskClass) return <Tag>未分类</Tag>;
  return (
    <Tag color={COLORS[riskClass]}>
      {riskClass} {RISK_CLASSES[riskClass]}
    </Tag>
  );
}
