import { LeftOutlined, RightOutlined } from '@ant-design/icons';
import { Button, Select, Space, Typography } from 'antd';
import { useCallback, useState } from 'react';

export const PAGE_SIZES = [20, 50, 100];

/**
 * Keyset paging (`?after=<id>`): the lists are append-only and large, so pages are walked by cursor instead of
 * counted. The stack keeps the cursor of every page visited so 上一页 goes back exactly.
 */
export function useKeysetCursor() {
  const [stack, setStack] = useState<(number | undefined)[]>([undefined]);
  const reset = useCallback(() => setStack([undefined]), []);
  return {
    after: stack[stack.length - 1],
    page: stack.length,
    next: (nextAfter: number) => setStack((s) => [...s, nextAfter]),
    prev: () => setStack((s) => (s.length > 1 ? s.slice(0, -1) : s)),
    reset,
  };
}

export function KeysetPager(props: {
  page: number;
  hasNext: boolean;
  onPrev: () => void;
  onNext: () => void;
  pageSize: number;
  onPageSize: (n: number) => void;
  loading?: boolean;
}) {
  return (
    <Space style={{ width: '100%', justifyContent: 'flex-end', marginTop: 16 }} wrap>
      <Typography.Text type="secondary">第 {props.page} 页</Typography.Text>
      <Button icon={<LeftOutlined />} disabled={props.page <= 1 || props.loading} onClick={props.onPrev}>
        上一页
      </Button>
      <Button disabled={!props.hasNext || props.loading} onClick={props.onNext}>
        下一页 <RightOutlined />
      </Button>
      <Select
        aria-label="每页条数"
        value={props.pageSize}
        style={{ width: 110 }}
        options={PAGE_SIZES.map((n) => ({ value: n, label: `${n} 条/页` }))}
        onChange={props.onPageSize}
      />
    </Space>
  );
}

export const RESULT_OPTIONS = [
  { value: 'success', label: '成功' },
  { value: 'failure', label: '失败' },
];
