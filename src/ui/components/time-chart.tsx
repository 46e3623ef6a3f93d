import { useEffect, useRef } from 'react';
import uPlot from 'uplot';

export interface Series {
  label: string;
  color: string;
  values: (number | null)[];
}

/**
 * A uPlot line chart over time: `x` in seconds since the epoch (uPlot's unit), one line per series. uPlot draws on a
 * canvas: thousands of points stay fast, which is why it was chosen (docs/decisions/2026-12-08-web-ui.md).
 */
export function TimeChart({ x, series, yLabel, testId }: { x: number[]; series: Series[]; yLabel: string; testId?: string }) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const plot = new uPlot({
      width: Math.max(320, el.clientWidth),
      height: 260,
      scales: { x: { time: true } },
      axes: [{}, { label: yLabel }],
      series: [{}, ...series.map((s) => ({ label: s.label, stroke: s.color, width: 2, points: { show: x.length < 60 } }))],
    }, [x, ...series.map((s) => s.values)] as uPlot.AlignedData, el);
    const resize = () => plot.setSize({ width: Math.max(320, el.clientWidth), height: 260 });
    addEventListener('resize', resize);
    return () => {
      removeEventListener('resize', resize);
      plot.destroy();
    };
  }, [x, series, yLabel]);
  return <div className="chart" ref={box} data-testid={testId} data-points={x.length} />;
}
