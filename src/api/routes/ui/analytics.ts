import type { FastifyInstance } from 'fastify';
import { SparkifyError } from '../../../core/errors.ts';
import type { SqlSession } from '../../../engines/engine.ts';
import type { HookConnection } from '../../../orchestrator/hooks/connection.ts';
import { WarehouseHook } from '../../../orchestrator/hooks/warehouse-hook.ts';
import { getConnection } from '../../../orchestrator/metadb/connections.ts';
import { defaultConnection } from '../../../orchestrator/operators/default-connections.ts';
import { reportSql } from '../../../pipelines/warehouse/olap-reports.ts';
import type { ApiDeps } from '../../api-deps.ts';
import { ApiProblem } from '../../problem.ts';
import { uiSql } from './ui-sql.ts';

/** The connection the Sparkify DAG loads through (dags/sparkify.ts' params.warehouse_conn_id). */
export const warehouseConnId = 'sparkify_warehouse';

/**
 * The warehouse's connection as a task would get it: the metadb's (secrets opened), else the built-in default (the
 * embedded DuckDB file under the data directory).
 */
async function warehouseConnection(deps: ApiDeps): Promise<HookConnection> {
  if (deps.secrets !== undefined) {
    try {
      const c = await getConnection(deps.engine, deps.secrets, warehouseConnId);
      return { conn_type: c.connType, host: c.host, port: c.port, login: c.login, password: c.password, schema: c.schema, extra: c.extra };
    } catch (error) {
      if (!(error instanceof SparkifyError && error.code === 'SPK_E_NOT_FOUND')) throw error;
    }
  }
  const fallback = defaultConnection(warehouseConnId);
  if (fallback === undefined) throw new ApiProblem(503, `no connection ${warehouseConnId}`);
  return fallback;
}

/** The analytics page's answers, read from the star schema. */
export async function readAnalytics(warehouse: SqlSession) {
  // One after another: a session runs one statement at a time.
  const playsByHour = await warehouse.query<{ hour: number; plays: number }>(uiSql('warehouse/plays-by-hour'));
  const dailyActiveUsers = await warehouse.query<{ day: string; users: number }>(uiSql('warehouse/daily-active-users'));
  const levelsByDay = await warehouse.query<{ day: string; free: number; paid: number }>(uiSql('warehouse/levels-by-day'));
  // The analysts' own reports (src/pipelines/warehouse/sql/reports/), so the page and `warehouse report` agree.
  const topSongs = await warehouse.query<{ song: string; artist: string; plays: number }>(reportSql('top-songs'));
  const topArtists = await warehouse.query<{ artist: string; plays: number }>(reportSql('top-artists'));
  const playsByLocation = await warehouse.query<{ location: string; plays: number }>(uiSql('warehouse/plays-by-location'));
  return {
    playsByHour, dailyActiveUsers, levelsByDay,
    topSongs: topSongs.map((r) => ({ song: r.song, artist: r.artist, plays: r.plays })),
    topArtists: topArtists.map((r) => ({ artist: r.artist, plays: r.plays })),
    playsByLocation,
  };
}

/**
 * Analytics over the warehouse the Sparkify DAG loads. The warehouse is opened per request and closed after: an
 * embedded DuckDB file is one process's at a time, and the DAG's task processes must get it back (a request made
 * while a task writes waits its turn, as a second load would).
 */
export function registerAnalytics(app: FastifyInstance, deps: ApiDeps): void {
  app.get('/ui/analytics', {
    schema: { tags: ['UI'], summary: 'Plays by hour, daily active users, free vs paid, top songs and artists, plays by location' },
  }, async () => {
    const hook = new WarehouseHook(await warehouseConnection(deps));
    if (hook.options.target === 'redshift') throw new ApiProblem(503, 'the warehouse is Redshift, which is compiled to SQL here, never queried');
    try {
      const engine = await hook.engine();
      const answers = await readAnalytics(engine).catch((error: unknown) => {
        // A warehouse the DAG has not loaded yet has no star schema: say so rather than 500.
        if (error instanceof Error && /songplays|does not exist|not found/i.test(error.message)) {
          throw new ApiProblem(404, `the warehouse (${hook.description}) has no star schema yet: run the sparkify DAG first`);
        }
        throw error;
      });
      return { warehouse: hook.description, ...answers };
    } finally {
      await hook.close();
    }
  });
}
