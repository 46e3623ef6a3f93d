import { useState, type FormEvent } from 'react';
import { get, post, seg } from '../api/client.ts';
import type { DagRun } from '../api/types.ts';
import { ErrorLine } from '../components/errors.tsx';
import { go, href } from '../router.ts';
import { useData } from '../use-data.ts';

/** The DAG's params: the trigger form's starting conf (Airflow's trigger form shows them the same way). */
type DagParams = { params: Record<string, unknown> };

/** Trigger a run at a logical date (empty: now) with a conf (params), then follow it in the grid. */
export function TriggerView({ dagId }: { dagId: string }) {
  const { data: defaults, error: loadError } = useData(() => get<DagParams>(`/ui/dags/${seg(dagId)}/params`), [dagId]);
  const [error, setError] = useState<string>();
  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    let conf: unknown;
    try {
      conf = JSON.parse(String(form.get('conf') || '{}'));
    } catch (err) {
      setError(`conf is not JSON: ${err instanceof Error ? err.message : String(err)}`);
      return;
    }
    if (conf === null || typeof conf !== 'object' || Array.isArray(conf)) {
      setError('conf must be a JSON object');
      return;
    }
    const date = String(form.get('logical_date') || '');
    try {
      const run = await post<DagRun>(`/api/v2/dags/${seg(dagId)}/dagRuns`, {
        logical_date: date ? new Date(`${date}Z`).toISOString() : new Date().toISOString(), conf,
      });
      go(href('dags', dagId, 'grid', { run: run.dag_run_id }));
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
  };
  return (
    <form className="trigger" onSubmit={submit} key={defaults === undefined ? 'loading' : 'loaded'}>
      <label>Logical date (UTC; empty: now)
        <input name="logical_date" type="datetime-local" step="1" />
      </label>
      <label>Conf (JSON: the run's params)
        <textarea name="conf" rows={10} defaultValue={JSON.stringify(defaults?.params ?? {}, null, 2)} spellCheck={false} />
      </label>
      <button type="submit">Trigger</button>
      <ErrorLine error={error ?? loadError} />
    </form>
  );
}
