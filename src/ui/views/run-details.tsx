import { useState } from 'react';
import { get, post, seg } from '../api/client.ts';
import type { DagRun } from '../api/types.ts';
import { ConfirmButton } from '../components/confirm-button.tsx';
import { ErrorLine, Loading } from '../components/errors.tsx';
import { StateBadge } from '../components/state-badge.tsx';
import { href } from '../router.ts';
import { formatDate, formatSeconds, seconds } from '../states.ts';
import { useData } from '../use-data.ts';

/** A run: its dates and conf, links to its gantt and checks, and a clear of the whole run. */
export function RunDetails({ dagId, runId, onChanged }: { dagId: string; runId: string; onChanged: () => void }) {
  const path = `/api/v2/dags/${seg(dagId)}/dagRuns/${seg(runId)}`;
  const { data: run, error, reload } = useData(() => get<DagRun>(path), [path], 3000);
  const [actionError, setActionError] = useState<string>();
  const clear = async () => {
    try {
      await post(`${path}/clear`, { dry_run: false, only_failed: false });
      setActionError(undefined);
      reload();
      onChanged();
    } catch (e) {
      setActionError(e instanceof Error ? e.message : String(e));
    }
  };
  if (run === undefined) return <><ErrorLine error={error} /><Loading what="the run" /></>;
  return (
    <div data-testid="run-details">
      <h2>Run {runId}</h2>
      <dl>
        <dt>State</dt><dd><StateBadge state={run.state} /></dd>
        <dt>Type</dt><dd>{run.run_type}</dd>
        <dt>Logical date</dt><dd>{formatDate(run.logical_date)}</dd>
        <dt>Started</dt><dd>{formatDate(run.start_date)}</dd>
        <dt>Ended</dt><dd>{formatDate(run.end_date)}</dd>
        <dt>Duration</dt><dd>{formatSeconds(seconds(run.start_date, run.end_date))}</dd>
        <dt>Conf</dt><dd><pre>{JSON.stringify(run.conf ?? {}, null, 2)}</pre></dd>
      </dl>
      <p>
        <a href={href('dags', dagId, 'gantt', { run: runId })}>Gantt</a> · <a href={href('dags', dagId, 'graph', { run: runId })}>Graph</a> ·{' '}
        <a href={href('dags', dagId, 'quality', { run: runId })}>Data quality</a>
      </p>
      <ConfirmButton label="Clear run" question="Every task of this run runs again." onConfirm={clear} />
      <ErrorLine error={actionError ?? error} />
    </div>
  );
}
