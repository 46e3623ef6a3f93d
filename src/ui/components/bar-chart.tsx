/** Horizontal bars in plain SVG: for rankings (top songs, locations) a canvas chart would add nothing. */
export function BarChart({ rows, testId, color = '#4a78b0' }: { rows: { label: string; value: number }[]; testId?: string; color?: string }) {
  const max = Math.max(1, ...rows.map((r) => r.value));
  const labelWidth = 260;
  const barWidth = 360;
  const row = 20;
  return (
    <svg className="bars" data-testid={testId} data-rows={rows.length} width={labelWidth + barWidth + 60} height={rows.length * row + 4} role="img">
      {rows.map((r, i) => (
        <g key={`${r.label}-${i}`} transform={`translate(0, ${i * row})`}>
          <text x={labelWidth - 6} y={14} textAnchor="end" className="small">{r.label.length > 40 ? `${r.label.slice(0, 39)}…` : r.label}</text>
          <rect x={labelWidth} y={3} width={(barWidth * r.value) / max} height={row - 6} fill={color}><title>{`${r.label}: ${r.value}`}</title></rect>
          <text x={labelWidth + (barWidth * r.value) / max + 4} y={14} className="small">{r.value}</text>
        </g>
      ))}
    </svg>
  );
}

/** Vertical bars over a small fixed axis (the 24 hours of a day). */
export function ColumnChart({ rows, testId, color = '#4a78b0' }: { rows: { label: string; value: number }[]; testId?: string; color?: string }) {
  const max = Math.max(1, ...rows.map((r) => r.value));
  const w = 26;
  const h = 200;
  return (
    <svg className="columns" data-testid={testId} data-rows={rows.length} width={rows.length * w + 40} height={h + 40} role="img">
      {rows.map((r, i) => {
        const bh = (h * r.value) / max;
        return (
          <g key={r.label} transform={`translate(${30 + i * w}, 0)`}>
            <rect x={2} y={h - bh + 10} width={w - 4} height={bh} fill={color}><title>{`${r.label}: ${r.value}`}</title></rect>
            <text x={w / 2} y={h + 26} textAnchor="middle" className="small">{r.label}</text>
          </g>
        );
      })}
      <text x={2} y={14} className="small">{max}</text>
      <text x={2} y={h + 10} className="small">0</text>
    </svg>
  );
}
