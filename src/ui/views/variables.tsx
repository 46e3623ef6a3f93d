import { get } from '../api/client.ts';
import type { Variable } from '../api/types.ts';
import { ErrorLine, Loading } from '../components/errors.tsx';
import { isSensitive, masked } from '../secrets.ts';
import { useData } from '../use-data.ts';

export function Variables() {
  const { data, error } = useData(() => get<{ variables: Variable[] }>('/api/v2/variables?limit=1000'), []);
  return (
    <section>
      <h1>Variables</h1>
      <ErrorLine error={error} />
      {data === undefined ? <Loading what="variables" /> : (
        <table className="list" data-testid="variables">
          <thead><tr><th>Key</th><th>Value</th><th>Description</th></tr></thead>
          <tbody>
            {data.variables.map((v) => (
              <tr key={v.key}>
                <td>{v.key}</td>
                <td><code>{isSensitive(v.key) ? masked : v.value}</code></td>
                <td>{v.description}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
