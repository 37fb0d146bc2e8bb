import type { ReactNode } from 'react';

/**
 * A plain list of rows separated by hairlines. antd 6 deprecates `List` (it logs a warning on every render), and
 * these lists need nothing of it but the layout.
 */
export function SimpleList<T>({
  items,
  itemKey,
  render,
  testId,
}: {
  items: readonly T[];
  itemKey: (item: T) => string | number;
  render: (item: T) => ReactNode;
  testId?: string;
}) {
  return (
    <div className="clue-simple-list">
      {items.map((item) => (
        <div key={itemKey(item)} className="clue-simple-list-item" data-testid={testId}>
          {render(item)}
        </div>
      ))}
    </div>
  );
}
