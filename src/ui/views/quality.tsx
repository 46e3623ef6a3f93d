import { get, seg } from '../api/client.ts';
import type { Grid, QualityCheck } from '../api/types.ts';
import { ErrorLine, Loading } from '../components/errors.tsx';
import { href } from '../router.ts';
import { useData } from '../use-data.ts';

async function loadQuality(dagId: string, runId: string | undefined) {
  const grid = await get<Grid>(`/ui/dags/${seg(dagId)}/grid?limit=25`);
  const run = runId ?? grid.runs[0]?.runId;
  const checks = run ? (await get<{ checks: QualityCheck[] }>(`/ui/dags/${seg(dagId)}/runs/${seg(run)}/quality`)).checks : [];
  return { runs: grid.runs, run, checks };
}

/** The data-quality checks one run's DataQuality tasks stored: passed or failed, the value seen, the reason. */
export function QualityView({ dagId, runId }: { dagId: string; runId: string | undefined }) {
  const { data, error } = useData(() => loadQuality(dagId, runId), [dagId, runId]);
  if (data === undefined) return <><ErrorLine error={error} /><Loading what="the checks" /></>;
  return (
    <>
      <ErrorLine error={error} />
      <label>Run{' '}
        <select value={data.run ?? ''} onChange={(e) => (location.hash = href('dags', dagId, 'quality', { run: e.target.value }))}>
          {data.runs.map((r) => <option key={r.runId} value={r.runId}>{r.runId} ({r.state})</option>)}
        </select>
      </label>
      {data.checks.length === 0 ? <p className="muted">No data-quality results in this run.</p> : (
        <table className="list" data-testid="quality">
          <thead><tr><th>Task</th><th>Check</th><th>Result</th><th>Value</th><th>SQL</th></tr></thead>
          <tbody>
            {data.checks.map((c, i) => (
              <tr key={i} className={c.passed ? 'passed' : 'failed'}>
                <td>{c.taskId}</td>
                <td>{c.name}</td>
                <td>{c.passed ? '✔ passed' : `✘ failed${c.reason ? `: ${c.reason}` : ''}`}</td>
                <td><code>{JSON.stringify(c.value)}</code></td>
                <td><code className="small">{c.sql}</code></td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
