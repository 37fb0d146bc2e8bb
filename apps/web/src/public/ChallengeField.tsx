import { ReloadOutlined } from '@ant-design/icons';
import type { PublicChallenge } from '@rongjian/shared/api';
import { Button, Input, Space } from 'antd';
import { svgSrc } from './api.ts';

/** The challenge picture with a refresh button and the answer box (numeric keypad on phones). */
export function ChallengeField(props: {
  challenge: PublicChallenge | undefined;
  loading: boolean;
  onRefresh: () => void;
  value?: string;
  onChange?: (v: string) => void;
}) {
  const { challenge, loading, onRefresh, value, onChange } = props;
  return (
    <Space wrap align="center">
      <Input
        value={value}
        onChange={(e) => onChange?.(e.target.value)}
        inputMode="numeric"
        autoComplete="off"
        placeholder="计算结果"
        style={{ width: 140 }}
        aria-label="验证码答案"
      />
      {challenge ? (
        <img
          src={svgSrc(challenge.svg)}
          alt="验证码：请计算图中算式的结果"
          width={180}
          height={56}
          style={{ border: '1px solid #d9d9d9', borderRadius: 6, display: 'block' }}
          data-testid="challenge-image"
        />
      ) : (
        <div style={{ width: 180, height: 56 }} />
      )}
      <Button icon={<ReloadOutlined />} onClick={onRefresh} loading={loading}>
        换一张
      </Button>
    </Space>
  );
}
