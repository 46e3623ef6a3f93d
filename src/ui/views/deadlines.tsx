import { get, seg } from '../api/client.ts';
import type { DeadlineMiss } from '../api/types.ts';
import { ErrorLine, Loading } from '../components/errors.tsx';
import { StateBadge } from '../components/state-badge.tsx';
import { href } from '../router.ts';
import { formatDate } from '../states.ts';
import { useData } from '../use-data.ts';

/** How many misses the tab lists (the newest). */
const shown = 200;

const referenceText: Record<DeadlineMiss['reference'], string> = {
  queuedAt: 'from the run queued',
  dataIntervalEnd: 'from the data interval end',
  logicalDate: 'from the logical date',
};

const alertText: Record<DeadlineMiss['alert_state'], string> = {
  none: 'no alert asked',
  pending: 'alert pending',
  sending: 'alert sending',
  sent: 'alert sent',
  failed: 'alert failed',
};

/** A DAG's missed deadlines, newest first (issue 17 §3): each recorded once by the scheduler, with its alert's state. */
export function DeadlinesView({ dagId }: { dagId: string }) {
  const { data, error } = useData(
    () => get<{ deadlines: DeadlineMiss[]; total_entries: number }>(`/api/v2/dags/${seg(dagId)}/deadlines?limit=${shown}`), [dagId], 5000);
  if (data === undefined) return <><ErrorLine error={error} /><Loading what="the missed deadlines" /></>;
  return (
    <>
      <ErrorLine error={error} />
      {data.deadlines.length === 0 ? <p className="muted" data-testid="deadlines-empty">No missed deadlines: every run and task with a deadline finished in time.</p> : (
        <>
          <p className="muted">
            {data.total_entries} missed deadline{data.total_entries === 1 ? '' : 's'}
            {data.total_entries > data.deadlines.length ? `, the newest ${data.deadlines.length} shown` : ''}, newest first.
          </p>
          <table className="list" data-testid="deadlines">
            <thead><tr><th>Run</th><th>Task</th><th>Deadline</th><th>Recorded</th><th>Alert</th><th>Run state</th></tr></thead>
            <tbody>
              {data.deadlines.map((d) => (
                <tr key={`${d.dag_run_id}/${d.task_id ?? ''}`} data-run={d.dag_run_id} data-task={d.task_id ?? ''} data-alert={d.alert_state}>
                  <td><a href={href('dags', dagId, 'grid', { run: d.dag_run_id, task: d.task_id ?? undefined })}>{d.dag_run_id}</a></td>
                  <td>{d.task_id ?? <em>the whole run</em>}</td>
                  <td>{formatDate(d.deadline_time)} <span className="muted small">{referenceText[d.reference]}</span></td>
                  <td>{formatDate(d.missed_at)}</td>
                  <td title={d.alert_error ?? undefined}>
                    {alertText[d.alert_state]}{d.alerted_at ? ` ${formatDate(d.alerted_at)}` : ''}
                    {d.alert_error && <div className="error small">{d.alert_error}</div>}
                  </td>
                  <td><StateBadge state={d.dag_run_state} /></td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </>
  );
}
