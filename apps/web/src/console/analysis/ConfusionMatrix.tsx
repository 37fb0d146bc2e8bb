/**
 * A confusion matrix as a heat table: rows one axis (`rowName`), columns the other (`columnName`), each cell coloured
 * by its share of the row — green on the diagonal, red off it. Used by 模型评估 (实际 × 预测) and 研判复盘 (研判 × 建议).
 */
export function ConfusionMatrix({
  labels,
  matrix,
  rowName,
  columnName,
}: {
  labels: string[];
  matrix: number[][];
  rowName: string;
  columnName: string;
}) {
  const cell = {
    border: '1px solid #f0f0f0',
    padding: '2px 6px',
    textAlign: 'center' as const,
    minWidth: 34,
  };
  return (
    <div style={{ overflowX: 'auto' }}>
      <table style={{ borderCollapse: 'collapse', fontSize: 12 }} aria-label="混淆矩阵">
        <thead>
          <tr>
            <th style={cell} />
            {labels.map((l) => (
              <th
                key={l}
                style={{ ...cell, writingMode: 'vertical-rl', whiteSpace: 'nowrap', fontWeight: 500 }}
              >
                {l}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {matrix.map((row, i) => {
            const total = row.reduce((a, b) => a + b, 0) || 1;
            return (
              <tr key={labels[i]}>
                <th style={{ ...cell, textAlign: 'right', whiteSpace: 'nowrap', fontWeight: 500 }}>
                  {labels[i]}
                </th>
                {row.map((n, j) => {
                  const share = n / total;
                  const bg =
                    n === 0
                      ? undefined
                      : i === j
                        ? `rgba(82, 196, 26, ${0.15 + 0.6 * share})`
                        : `rgba(255, 77, 79, ${0.15 + 0.7 * share})`;
                  return (
                    <td
                      key={labels[j]}
                      style={{ ...cell, background: bg }}
                      title={`${rowName} ${labels[i]}，${columnName} ${labels[j]}：${n} 条`}
                    >
                      {n || ''}
                    </td>
                  );
                })}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
