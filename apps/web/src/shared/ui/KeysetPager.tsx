import { LeftOutlined, RightOutlined } from '@ant-design/icons';
import { Button, Select, Space, Typography } from 'antd';
import { type ReactNode, useCallback, useState } from 'react';

export const PAGE_SIZES = [20, 50, 100];

/**
 * Keyset paging (`?after=<id>`): the lists are append-only and large, so pages are walked by cursor instead of
 * counted. The stack keeps the cursor of every page visited so 上一页 goes back exactly. Changing the page size
 * starts over from the first page, because a cursor taken at one size does not line up with another.
 */
export function useKeysetPaging<C extends number | string = number>(initialLimit = 20) {
  const [stack, setStack] = useState<(C | undefined)[]>([undefined]);
  const [limit, setLimitState] = useState(initialLimit);
  const reset = useCallback(() => setStack([undefined]), []);
  return {
    after: stack[stack.length - 1],
    page: stack.length,
    limit,
    next: (nextAfter: C) => setStack((s) => [...s, nextAfter]),
    prev: () => setStack((s) => (s.length > 1 ? s.slice(0, -1) : s)),
    reset,
    setLimit: (n: number) => {
      setLimitState(n);
      reset();
    },
  };
}

export type KeysetPaging<C extends number | string = number> = ReturnType<typeof useKeysetPaging<C>>;

/** 第 N 页 · 上一页 · 下一页 (· 条/页) under a keyset-paged table. */
export function KeysetPager<C extends number | string = number>({
  paging,
  nextAfter,
  loading,
  summary,
  summaryTestId,
  showSizeChanger = true,
}: {
  paging: KeysetPaging<C>;
  /** The server's cursor for the following page (an id, or an opaque string); null/undefined on the last page. */
  nextAfter: C | null | undefined;
  /** While set, both buttons are disabled so a double click cannot skip a page. */
  loading?: boolean;
  /** Shown before 第 N 页, e.g. `共 12 人 · `. */
  summary?: ReactNode;
  /** `data-testid` of the summary text, for browser tests that read the total. */
  summaryTestId?: string;
  /** Lists with a fixed page size leave the 条/页 selector out. */
  showSizeChanger?: boolean;
}) {
  return (
    <Space style={{ width: '100%', justifyContent: 'flex-end', marginTop: 16 }} wrap>
      <Typography.Text type="secondary" data-testid={summaryTestId}>
        {summary}第 {paging.page} 页
      </Typography.Text>
      <Button icon={<LeftOutlined />} disabled={paging.page <= 1 || loading} onClick={paging.prev}>
        上一页
      </Button>
      <Button
        disabled={nextAfter == null || loading}
        onClick={() => nextAfter != null && paging.next(nextAfter)}
      >
        下一页 <RightOutlined />
      </Button>
      {showSizeChanger && (
        <Select
          aria-label="每页条数"
          value={paging.limit}
          style={{ width: 110 }}
          options={PAGE_SIZES.map((n) => ({ value: n, label: `${n} 条/页` }))}
          onChange={paging.setLimit}
        />
      )}
    </Space>
  );
}
