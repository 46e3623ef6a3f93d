import { stateColor } from '../states.ts';

export function StateBadge({ state }: { state: string | null | undefined }) {
  const s = state ?? 'none';
  return <span className={`badge state-${s}`} style={{ background: stateColor(s) }}>{s}</span>;
}
