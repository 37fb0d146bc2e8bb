import { Spin } from 'antd';
import { type ReactNode, Suspense } from 'react';

/** Suspense boundary for a lazily loaded page; `full` centres the spinner on the whole window. */
export function Lazy({ page, full = false }: { page: ReactNode; full?: boolean }) {
  const fallback = full ? (
    <div className="rj-full-center">
      <Spin size="large" />
    </div>
  ) : (
    <div style={{ padding: 48, textAlign: 'center' }}>
      <Spin />
    </div>
  );
  return <Suspense fallback={fallback}>{page}</Suspense>;
}
