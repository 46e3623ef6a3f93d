import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { TestContext } from 'node:test';
import { pathToFileURL } from 'node:url';
import { hashPassword } from '../../src/api/auth/passwords.ts';
import { startApiServer } from '../../src/api/server.ts';
import { systemClock } from '../../src/core/clock.ts';
import type { SqlEngine } from '../../src/engines/engine.ts';
import { getDag } from '../../src/orchestrator/metadb/dags.ts';
import { createUser } from '../../src/orchestrator/metadb/users.ts';
import { runSchedulerWithExecutor } from '../../src/orchestrator/standalone/scheduler-with-executor.ts';
import { metadb } from '../orchestrator/metadb/fixtures.ts';
import { testBox } from '../orchestrator/runner/runner-fixture.ts';
import { stopBeforeTeardown } from '../support/teardown.ts';

const root = resolve(import.meta.dirname, '..', '..');
const url = (path: string) => pathToFileURL(join(root, path)).href;

export const liveDagId = 'api_small';
export const livePassword = 'api-test-password';

/** A DAG as a user writes one: extract → transform → load, each logging; daily from 2030, so only triggers run it. */
function dagFileText(): string {
  return `import { dag, task } from '${url('src/orchestrator/dag/index.ts')}';
const d = dag({ id: '${liveDagId}', schedule: '@daily', start: '2030-01-01T00:00:00Z', catchup: false, tags: ['api'], params: { greeting: 'nobody' } });
const extract = task((_, ctx) => { ctx.log('extract says hello to ' + ctx.runParams.greeting); return [1, 2, 3]; }, { dag: d, id: 'extract' });
const transform = task(({ rows }) => rows.map((x) => x * 2), { dag: d, id: 'transform', inputs: { rows: extract } });
task(({ rows }) => rows.length, { dag: d, id: 'load', inputs: { rows: transform } });
export default d;
`;
}

export interface LiveWorld {
  engine: SqlEngine;
  baseUrl: string;
}

/**
 * Everything real on `kind`: a metadb with an admin user, a DAG folder, the scheduler with a local executor (task
 * processes) on the system clock, and the API server listening on a free port of 127.0.0.1. The scheduler only runs
 * when `scheduler` is set (the Python client's test waits for a run to end; the load test needs none).
 */
export async function startLiveWorld(t: TestContext, kind: 'pglite' | 'postgres', options: { scheduler: boolean }): Promise<LiveWorld | undefined> {
  const engine = await metadb(t, kind);
  if (engine === undefined) return undefined;
  const work = await mkdtemp(join(tmpdir(), 'sparkify-api-'));
  t.after(() => rm(work, { recursive: true, force: true }));
  const dagFolder = join(work, 'dags');
  await mkdir(dagFolder);
  await writeFile(join(dagFolder, `${liveDagId}.ts`), dagFileText());
  await createUser(engine, { username: 'admin', role: 'admin', passwordHash: await hashPassword(livePassword) }, systemClock.now());
  if (options.scheduler) {
    const stop = new AbortController();
    let parsed!: () => void;
    const firstSync = new Promise<void>((done) => (parsed = done));
    const errors: unknown[] = [];
    const scheduler = runSchedulerWithExecutor({
      engine, clock: systemClock, signal: stop.signal, dagFolder, pausedAtCreation: true, idleMs: 100,
      onTick: async ({ sync }) => { if (sync && (await getDag(engine, liveDagId))) parsed(); },
      executor: { secrets: testBox, dagFolder, parallelism: 2, logFlushMs: 20 },
    }, (error) => errors.push(error));
    stopBeforeTeardown(t, async () => {
      stop.abort();
      await scheduler;
    });
    t.after(() => {
      if (errors.length > 0) throw new Error(`scheduler errors: ${errors.map(String).join('; ')}`);
    });
    await firstSync;
  } else {
    const { syncDagFolder } = await import('../../src/orchestrator/scheduler-loop/sync-dag-folder.ts');
    await syncDagFolder(engine, systemClock, { folder: dagFolder, pausedAtCreation: true });
  }
  const { app, url: baseUrl } = await startApiServer({ engine, clock: systemClock, secrets: testBox }, { port: 0 });
  stopBeforeTeardown(t, () => app.close());
  return { engine, baseUrl };
}
