import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { TestContext } from 'node:test';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { ensureUiBuilt } from '../../scripts/build-ui.ts';
import { buildApiServer } from '../../src/api/server.ts';
import { hashPassword } from '../../src/api/auth/passwords.ts';
import { systemClock } from '../../src/core/clock.ts';
import { DuckDbEngine } from '../../src/engines/duckdb/duckdb-engine.ts';
import type { SqlEngine } from '../../src/engines/engine.ts';
import { putConnection } from '../../src/orchestrator/metadb/connections.ts';
import { getDag } from '../../src/orchestrator/metadb/dags.ts';
import { createUser, type UserRole } from '../../src/orchestrator/metadb/users.ts';
import { setVariable } from '../../src/orchestrator/metadb/variables.ts';
import { runSchedulerWithExecutor } from '../../src/orchestrator/standalone/scheduler-with-executor.ts';
import { metadb } from '../orchestrator/metadb/fixtures.ts';
import { testBox } from '../orchestrator/runner/runner-fixture.ts';
import { testChromium } from '../support/chromium.ts';
import { stopBeforeTeardown } from '../support/teardown.ts';
import { fillStar } from './star-rows.ts';

const root = resolve(import.meta.dirname, '..', '..');
const url = (path: string) => pathToFileURL(join(root, path)).href;

/** Where screenshots go for a person to look at: $SPARKIFY_TEST_ARTIFACTS/ui, else .sparkify/test-artifacts/ui (git-ignored). */
export const artifactsDir = join(process.env.SPARKIFY_TEST_ARTIFACTS ?? join(root, '.sparkify', 'test-artifacts'), 'ui');

export const dagId = 'ui_small';

/**
 * The test's DAG, as a user writes one: extract → (flaky, which fails its first try) → load → a DataQuality check on
 * the test's DuckDB warehouse; tasks declare what they read and write, so lineage has a chain to draw. Daily from
 * 2030: nothing is due, runs come only from the UI's trigger. The run and load have a deadline of their queued time
 * + 0: every run misses both at the scheduler's first tick after the trigger (its tasks cannot have run yet), so the
 * Deadlines tab has two misses to show without any wait on the clock.
 */
export function dagFileText(): string {
  return `import { chain, dag, task } from '${url('src/orchestrator/dag/index.ts')}';
import { DataQuality } from '${url('src/orchestrator/operators/index.ts')}';
const d = dag({ id: '${dagId}', description: 'The web UI test DAG', schedule: '@daily', start: '2030-01-01T00:00:00Z', catchup: false,
  tags: ['ui', 'test'], params: { greeting: 'nobody' }, defaultArgs: { retries: 1, retryDelay: 0 },
  deadline: { reference: 'queuedAt', interval: 0 } });
const extract = task((_, ctx) => { ctx.log('extracting for ' + ctx.runParams.greeting); return [1, 2, 3]; },
  { dag: d, id: 'extract', inlets: [{ kind: 'objects', name: 'data://log_data/' }], outlets: [{ kind: 'table', name: 'warehouse.staging_events' }] });
const flaky = task((_, ctx) => {
  ctx.log('flaky try ' + ctx.tryNumber);
  if (ctx.tryNumber === 1) throw new Error('flaky fails on try 1');
  return ctx.tryNumber;
}, { dag: d, id: 'flaky' });
const load = task(({ rows }) => rows.length, { dag: d, id: 'load', inputs: { rows: extract, f: flaky },
  inlets: [{ kind: 'table', name: 'warehouse.staging_events' }], outlets: [{ kind: 'table', name: 'warehouse.songplays' }],
  deadline: { reference: 'queuedAt', interval: '0s' } });
const check = new DataQuality(d, 'check', { warehouseConnId: 'sparkify_warehouse', tables: ['songplays'], checks: [
  { name: 'songplays have a user', sql: 'SELECT count(*) FROM songplays WHERE user_id IS NULL', expect: { equals: 0 } },
  { name: 'songplays loaded', sql: 'SELECT count(*) FROM songplays', expect: 'not empty' },
] });
chain(load, check);
export default d;
`;
}

/** A small star schema in a DuckDB file: the analytics page's source and the DataQuality task's. */
async function makeWarehouse(path: string): Promise<void> {
  const engine = await DuckDbEngine.open({ path });
  try {
    await fillStar(engine, 'duckdb');
  } finally {
    await engine.close();
  }
}

export interface UiWorld {
  engine: SqlEngine;
  baseUrl: string;
  page: Page;
  browser: Browser;
  password: string;
  screenshot(name: string): Promise<void>;
}

/**
 * Everything real: a PGlite metadb with a user, connections and variables, a DAG folder, the scheduler with a local
 * executor (task processes), the API server listening on a free port, and headless Chromium. Undefined when there
 * is no browser (the test is skipped, or fails under CI).
 */
export async function startUiWorld(t: TestContext, options: { role?: UserRole } = {}): Promise<UiWorld | undefined> {
  const executablePath = testChromium(t);
  if (executablePath === undefined) return undefined;
  const engine = await metadb(t, 'pglite');
  if (engine === undefined) return undefined;
  const work = await mkdtemp(join(tmpdir(), 'sparkify-ui-'));
  t.after(() => rm(work, { recursive: true, force: true }));
  const dagFolder = join(work, 'dags');
  await mkdir(dagFolder);
  await writeFile(join(dagFolder, `${dagId}.ts`), dagFileText());
  await writeFile(join(dagFolder, 'broken.ts'), "throw new Error('this DAG file is broken on purpose');\n");
  const warehouse = join(work, 'warehouse.duckdb');
  await makeWarehouse(warehouse);

  const now = systemClock.now();
  const password = 'correct horse battery staple';
  await createUser(engine, { username: 'ui-user', role: options.role ?? 'admin', passwordHash: await hashPassword(password) }, now);
  await createUser(engine, { username: 'ui-viewer', role: 'viewer', passwordHash: await hashPassword(password) }, now);
  await putConnection(engine, testBox, { connId: 'sparkify_warehouse', connType: 'duckdb', host: warehouse, port: null, login: null, schema: null, password: null, extra: {}, description: 'the test warehouse' });
  await putConnection(engine, testBox, { connId: 'reports_db', connType: 'postgres', host: 'db.example', port: 5432, login: 'analyst', schema: 'reports', password: 'pw-never-shown-7731', extra: { sslmode: 'require' }, description: null });
  await setVariable(engine, testBox, 'region', 'eu-west-1');
  await setVariable(engine, testBox, 'api_secret', 'var-never-shown-9034');

  await ensureUiBuilt(() => undefined);
  const stop = new AbortController();
  let parsed!: () => void;
  const firstSync = new Promise<void>((done) => (parsed = done));
  const errors: unknown[] = [];
  const scheduler = runSchedulerWithExecutor({
    engine, clock: systemClock, signal: stop.signal, dagFolder, pausedAtCreation: true, idleMs: 200,
    onTick: async ({ sync }) => { if (sync && (await getDag(engine, dagId))) parsed(); },
    executor: { secrets: testBox, dagFolder, parallelism: 2, logFlushMs: 20 },
  }, (error) => errors.push(error));
  stopBeforeTeardown(t, async () => {
    stop.abort();
    await scheduler;
  });
  await firstSync;

  const app = await buildApiServer({ engine, clock: systemClock, secrets: testBox });
  await app.listen({ host: '127.0.0.1', port: 0 });
  stopBeforeTeardown(t, () => app.close());
  const address = app.server.address();
  const baseUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;

  const browser = await chromium.launch({ executablePath, headless: true, args: ['--no-sandbox'] });
  stopBeforeTeardown(t, () => browser.close());
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  // What the Content-Security-Policy blocked would break a view quietly: any such report fails the test.
  page.on('console', (m) => { if (m.type() === 'error' && /Content Security Policy/i.test(m.text())) pageErrors.push(m.text()); });
  t.after(() => {
    if (pageErrors.length > 0) throw new Error(`errors in the page: ${pageErrors.join('; ')}`);
    if (errors.length > 0) throw new Error(`scheduler errors: ${errors.map(String).join('; ')}`);
  });
  await mkdir(artifactsDir, { recursive: true });
  return {
    engine, baseUrl, page, browser, password,
    screenshot: async (name) => void (await page.screenshot({ path: join(artifactsDir, `${name}.png`), fullPage: true })),
  };
}
