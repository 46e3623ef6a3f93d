import { useState } from 'react';
import { get, post, seg } from '../api/client.ts';
import type { TaskInstance } from '../api/types.ts';
import { ConfirmButton } from '../components/confirm-button.tsx';
import { ErrorLine, Loading } from '../components/errors.tsx';
import { StateBadge } from '../components/state-badge.tsx';
import { href } from '../router.ts';
import { formatDate, formatSeconds, seconds } from '../states.ts';
import { useData } from '../use-data.ts';
import { TaskLog } from './task-log.tsx';

/** A task instance: state, tries (a log per try), and Airflow's clear with its downstream tasks. */
export function TaskDetails({ dagId, runId, taskId, onChanged }: { dagId: string; runId: string; taskId: string; onChanged: () => void }) {
  const path = `/api/v2/dags/${seg(dagId)}/dagRuns/${seg(runId)}/taskInstances/${seg(taskId)}`;
  const { data: ti, error, reload } = useData(() => get<TaskInstance>(path), [path], 2000);
  const [chosenTry, setChosenTry] = useState<number>();
  const [actionError, setActionError] = useState<string>();
  const [cleared, setCleared] = useState<string[]>();
  const clear = async (downstream: boolean) => {
    try {
      const r = await post<{ task_instances?: { task_id: string }[] }>(`/api/v2/dags/${seg(dagId)}/clearTaskInstances`, {
        dry_run: false, dag_run_id: runId, task_ids: [taskId], include_downstream: downstream, only_failed: false, reset_dag_runs: true,
      });
      setCleared((r?.task_instances ?? []).map((t) => t.task_id));
      setActionError(undefined);
      setChosenTry(undefined);
      reload();
      onChanged();
    } catch (e) {
      setActionError(e instanceof Error ? e.message : String(e));
    }
  };
  if (ti === undefined) return <><ErrorLine error={error} /><Loading what="the task instance" /></>;
  const tries = Array.from({ length: ti.try_number }, (_, i) => i + 1);
  const shownTry = chosenTry ?? ti.try_number;
  return (
    <div data-testid="task-details">
      <h2>{taskId}</h2>
      <p className="muted small"><a href={href('dags', dagId, 'grid', { run: runId })}>{runId}</a></p>
      <dl>
        <dt>State</dt><dd data-testid="task-state"><StateBadge state={ti.state} /></dd>
        <dt>Try</dt><dd>{ti.try_number}{ti.max_tries !== undefined ? ` (retries: ${ti.max_tries})` : ''}</dd>
        {ti.operator && <><dt>Operator</dt><dd>{ti.operator}</dd></>}
        <dt>Started</dt><dd>{formatDate(ti.start_date)}</dd>
        <dt>Ended</dt><dd>{formatDate(ti.end_date)}</dd>
        <dt>Duration</dt><dd>{formatSeconds(ti.duration ?? seconds(ti.start_date, ti.end_date))}</dd>
      </dl>
      <div className="actions">
        <ConfirmButton label="Clear with downstream" question={`${taskId} and the tasks after it run again.`} onConfirm={() => clear(true)} />
        <ConfirmButton label="Clear task" question={`${taskId} runs again.`} onConfirm={() => clear(false)} />
      </div>
      {cleared && <p className="ok" data-testid="cleared">Cleared: {cleared.join(', ') || 'nothing (queued or running tasks are left to their executor)'}</p>}
      <ErrorLine error={actionError ?? error} />
      {tries.length > 0 && (
        <>
          <nav className="tabs small" aria-label="tries">
            {tries.map((n) => <button key={n} className={n === shownTry ? 'active' : ''} onClick={() => setChosenTry(n)}>Try {n}</button>)}
          </nav>
          <TaskLog dagId={dagId} runId={runId} taskId={taskId} tryNumber={shownTry} live={ti.state === 'running' && shownTry === ti.try_number} />
        </>
      )}
    </div>
  );
}
