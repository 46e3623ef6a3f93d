// Airflow's state colours, so a user of its UI reads ours at a glance.
export const stateColors: Record<string, string> = {
  success: '#008000',
  failed: '#ff0000',
  running: '#00ff00',
  queued: '#808080',
  scheduled: '#d2b48c',
  up_for_retry: '#ffd700',
  up_for_reschedule: '#40e0d0',
  upstream_failed: '#ffa500',
  skipped: '#ff69b4',
  removed: '#d3d3d3',
  deferred: '#9370db',
  restarting: '#ee82ee',
  none: '#ffffff',
};

export const stateColor = (state: string | null | undefined) => stateColors[state ?? 'none'] ?? '#ffffff';

/** Seconds between two instants (to now while unfinished), or null before it started. */
export function seconds(start: string | null, end: string | null): number | null {
  if (!start) return null;
  return ((end ? Date.parse(end) : Date.now()) - Date.parse(start)) / 1000;
}

export function formatSeconds(s: number | null): string {
  if (s === null) return '';
  if (s < 60) return `${s.toFixed(1)} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
  return `${(s / 3600).toFixed(1)} h`;
}

/** An instant as UTC, to the second (the orchestrator's logical dates are UTC). */
export function formatDate(iso: string | null | undefined): string {
  return iso ? iso.replace('T', ' ').replace(/\.\d+/, '').replace(/(Z|\+00:00)$/, ' UTC') : '';
}
