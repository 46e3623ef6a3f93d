import { get } from '../api/client.ts';
import type { Connection } from '../api/types.ts';
import { ErrorLine, Loading } from '../components/errors.tsx';
import { masked } from '../secrets.ts';
import { useData } from '../use-data.ts';

/** Connections, their secrets never shown: a password or extras only say that they are set. */
export function Connections() {
  const { data, error } = useData(() => get<{ connections: Connection[] }>('/api/v2/connections?limit=1000'), []);
  return (
    <section>
      <h1>Connections</h1>
      <ErrorLine error={error} />
      {data === undefined ? <Loading what="connections" /> : (
        <table className="list" data-testid="connections">
          <thead><tr><th>Id</th><th>Type</th><th>Host</th><th>Port</th><th>Login</th><th>Schema</th><th>Password</th><th>Extra</th><th>Description</th></tr></thead>
          <tbody>
            {data.connections.map((c) => (
              <tr key={c.connection_id}>
                <td>{c.connection_id}</td><td>{c.conn_type}</td><td>{c.host}</td><td>{c.port}</td><td>{c.login}</td><td>{c.schema}</td>
                <td>{c.password ? masked : ''}</td>
                <td>{c.extra ? masked : ''}</td>
                <td>{c.description}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
