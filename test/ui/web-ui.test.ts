import assert from 'node:assert/strict';
import { test } from 'node:test';
import { getDag } from '../../src/orchestrator/metadb/dags.ts';
import { listDagRuns } from '../../src/orchestrator/metadb/dag-runs.ts';
import { listDeadlineMisses } from '../../src/orchestrator/metadb/deadlines.ts';
import { listTaskTries } from '../../src/orchestrator/metadb/task-instance-moves.ts';
import { artifactsDir, dagId, startUiWorld } from './ui-fixture.ts';

// The web UI in a real browser (headless Chromium through playwright-core) against a real API server, scheduler and
// task processes on a PGlite metadb. Every wait is Playwright's auto-waiting on the DOM (a locator waiting for its
// element, or a condition polled in the page), never a sleep. Screenshots land in .sparkify/test-artifacts/ui/.

const runTimeoutMs = 120_000;

test('the web UI: log in, DAG list, pause switch, trigger a run and watch it succeed in the grid, logs per try, clear with downstream, graph, gantt, durations, quality, deadlines, lineage, connections, variables, analytics', async (t) => {
  const world = await startUiWorld(t);
  if (world === undefined) return;
  const { page, engine, baseUrl } = world;

  await t.test('login: a wrong password is refused, the right one opens the DAG list', async () => {
    await page.goto(baseUrl);
    await page.getByLabel('User').fill('ui-user');
    await page.getByLabel('Password').fill('wrong password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: '401' }).waitFor();
    await world.screenshot('01-login-refused');
    await page.getByLabel('Password').fill(world.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    const row = page.locator(`tr[data-dag="${dagId}"]`);
    await row.waitFor();
    assert.match(await row.innerText(), /The web UI test DAG/);
    assert.deepEqual((await row.locator('.tag').allInnerTexts()).sort(), ['test', 'ui']);
    // The token is in sessionStorage and no cookie was set.
    assert.ok(await page.evaluate(() => sessionStorage.getItem('sparkify.token')));
    assert.deepEqual(await page.context().cookies(), []);
    await page.getByText('1 import error').waitFor();
    assert.match(await page.locator('.import-errors').innerText(), /broken on purpose/);
    await world.screenshot('02-dag-list');
  });

  await t.test('the pause switch unpauses the DAG in the metadb', async () => {
    assert.equal((await getDag(engine, dagId))?.isPaused, true, 'new DAGs start paused');
    await page.getByLabel(`${dagId} active`).check();
    await page.locator(`tr[data-dag="${dagId}"] .switch`).getByText('on').waitFor();
    assert.equal((await getDag(engine, dagId))?.isPaused, false);
    // Unpaused, the scheduler plans its next run: the first daily interval from its start, shown once the list polls.
    await page.locator(`tr[data-dag="${dagId}"] td`, { hasText: /2030-01-0\d \d\d:00:00 UTC/ }).waitFor({ timeout: 20_000 });
  });

  await t.test('deadlines: none missed before any run, said so on the tab and no count in the DAG list', async () => {
    assert.equal(await page.locator(`tr[data-dag="${dagId}"] .missed-deadlines`).count(), 0);
    await page.getByRole('link', { name: dagId }).click();
    await page.getByRole('link', { name: 'Deadlines' }).click();
    await page.getByTestId('deadlines-empty').filter({ hasText: 'No missed deadlines' }).waitFor();
    await page.getByRole('link', { name: 'DAGs' }).click();
    await page.locator(`tr[data-dag="${dagId}"]`).waitFor();
  });

  let runId = '';
  await t.test('trigger with a logical date and conf, then watch the run reach success in the grid', async () => {
    await page.getByRole('link', { name: dagId }).click();
    await page.getByRole('link', { name: 'Trigger' }).click();
    await page.getByLabel(/Logical date/).fill('2030-03-04T05:06:07');
    // The form starts from the DAG's params.
    await page.locator('textarea[name="conf"]', { hasText: '"greeting": "nobody"' }).waitFor();
    await page.getByLabel(/Conf/).fill('{"greeting": "hello from the browser"}');
    await world.screenshot('03-trigger');
    await page.getByRole('button', { name: 'Trigger' }).click();
    await page.waitForURL(/#\/dags\/ui_small\/grid\?run=/);
    runId = new URLSearchParams(new URL(page.url()).hash.split('?')[1]).get('run') ?? '';
    assert.match(runId, /^manual__2030-03-04T05:06:07/);
    await page.locator(`.run-bar[data-run="${runId}"][data-state="success"]`).waitFor({ timeout: runTimeoutMs });
    for (const task of ['extract', 'flaky', 'load', 'check']) {
      assert.equal(await page.locator(`.cell[data-run="${runId}"][data-task="${task}"]`).getAttribute('data-state'), 'success', task);
    }
    const [run] = await listDagRuns(engine, dagId);
    assert.equal(run?.state, 'success');
    assert.deepEqual(run?.conf, { greeting: 'hello from the browser' });
    await world.screenshot('04-grid-success');
  });

  await t.test('a cell shows its task instance and a log per try', async () => {
    await page.locator(`.cell[data-run="${runId}"][data-task="flaky"]`).click();
    const details = page.getByTestId('task-details');
    await details.getByRole('heading', { name: 'flaky' }).waitFor();
    await page.getByTestId('task-log').filter({ hasText: 'flaky try 2' }).waitFor();
    await details.getByRole('button', { name: 'Try 1' }).click();
    await page.locator('[data-testid="task-log"][data-try="1"]').filter({ hasText: 'flaky try 1' }).waitFor();
    await world.screenshot('05-task-log-try-1');
    await page.locator(`.cell[data-run="${runId}"][data-task="extract"]`).click();
    await page.getByTestId('task-details').getByRole('heading', { name: 'extract' }).waitFor();
    await page.getByTestId('task-log').filter({ hasText: 'extracting for hello from the browser' }).waitFor();
  });

  await t.test('clear a task with its downstream: they run again, the upstream task does not', async () => {
    await page.locator(`.cell[data-run="${runId}"][data-task="flaky"]`).click();
    await page.getByRole('button', { name: 'Clear with downstream' }).click();
    await page.getByRole('button', { name: 'Confirm' }).click();
    const cleared = await page.getByTestId('cleared').innerText();
    assert.match(cleared, /check/);
    assert.match(cleared, /flaky/);
    assert.match(cleared, /load/);
    assert.doesNotMatch(cleared, /extract/);
    // flaky's third try (a clear keeps counting tries, as Airflow) succeeds; the run ends in success again.
    await page.locator(`.cell[data-run="${runId}"][data-task="flaky"][title*="try 3"][data-state="success"]`).waitFor({ timeout: runTimeoutMs });
    await page.locator(`.run-bar[data-run="${runId}"][data-state="success"]`).waitFor({ timeout: runTimeoutMs });
    assert.deepEqual((await listTaskTries(engine, dagId, runId, 'extract')).map((x) => x.tryNumber), [1], 'extract was not cleared');
    assert.deepEqual((await listTaskTries(engine, dagId, runId, 'flaky')).map((x) => x.state), ['up_for_retry', 'success', 'success']);
    await world.screenshot('06-grid-after-clear');
  });

  await t.test('graph: every task laid out with its live state', async () => {
    await page.getByRole('link', { name: 'Graph' }).click();
    const graph = page.getByTestId('graph');
    await graph.locator('.react-flow__node.state-success').nth(3).waitFor();
    assert.equal(await graph.locator('.react-flow__node').count(), 4);
    assert.equal(await graph.locator('.react-flow__edge').count(), 3, 'extract → load, flaky → load, load → check');
    await world.screenshot('07-graph');
  });

  await t.test('gantt of the run: a bar per try', async () => {
    await page.getByRole('link', { name: 'Gantt' }).click();
    await page.locator('[data-testid="gantt"] rect.gantt-bar').nth(5).waitFor();
    assert.equal(await page.locator('[data-testid="gantt"] rect.gantt-bar[data-task="flaky"]').count(), 3, 'flaky tried three times');
    await world.screenshot('08-gantt');
  });

  await t.test('durations: run and task duration plots', async () => {
    await page.getByRole('link', { name: 'Durations' }).click();
    await page.locator('[data-testid="run-durations"] canvas').waitFor();
    await page.locator('[data-testid="task-durations"] canvas').waitFor();
    assert.equal(await page.getByTestId('run-durations').getAttribute('data-points'), '1');
    await world.screenshot('09-durations');
  });

  await t.test('data quality: the run\'s checks, passed', async () => {
    await page.getByRole('link', { name: 'Data quality' }).click();
    const table = page.getByTestId('quality');
    await table.waitFor();
    assert.equal(await table.locator('tbody tr.passed').count(), 2);
    assert.match(await table.innerText(), /songplays have a user/);
    await world.screenshot('10-quality');
  });

  await t.test('deadlines: the run and its load task missed theirs (queued time + 0), each listed once, newest first, with the alert\'s state', async () => {
    const misses = await listDeadlineMisses(engine, { dagId });
    assert.deepEqual(misses.map((m) => [m.runId, m.taskId]).sort(), [[runId, 'load'], [runId, null]].sort(), 'recorded once each');
    const [run] = await listDagRuns(engine, dagId);
    await page.getByRole('link', { name: 'Deadlines' }).click();
    const table = page.getByTestId('deadlines');
    await table.waitFor();
    const rows = table.locator('tbody tr');
    assert.equal(await rows.count(), 2);
    // The page's order is the metadb's, newest first.
    assert.deepEqual(await rows.evaluateAll((trs) => trs.map((tr) => [tr.getAttribute('data-run'), tr.getAttribute('data-task')])),
      misses.map((m) => [m.runId, m.taskId ?? '']));
    const utc = (d: Date) => d.toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
    for (const m of misses) {
      const text = await table.locator(`tr[data-task="${m.taskId ?? ''}"]`).innerText();
      assert.ok(text.includes(runId), text);
      assert.match(text, m.taskId === null ? /the whole run/ : /\bload\b/);
      assert.equal(m.deadline.getTime(), run!.queuedAt.getTime(), 'queued time + 0');
      assert.ok(text.includes(`${utc(m.deadline)} from the run queued`), text);
      assert.ok(text.includes(utc(m.missedAt)), text);
      assert.match(text, /no alert asked/, 'no email was asked for, so no alert');
      assert.match(text, /success/, 'the run\'s state now');
    }
    await world.screenshot('10b-deadlines');
  });

  await t.test('lineage of a table: the tasks that wrote it and what they read', async () => {
    await page.getByRole('link', { name: 'Lineage' }).click();
    await page.getByTestId('lineage-dataset').selectOption('warehouse.songplays');
    const graph = page.getByTestId('lineage');
    await graph.locator('.react-flow__node').nth(4).waitFor();
    const text = await graph.innerText();
    for (const name of ['warehouse.songplays', 'load', 'warehouse.staging_events', 'extract', 'data://log_data/']) assert.ok(text.includes(name), name);
    await world.screenshot('11-lineage');
  });

  await t.test('connections and variables: secrets never reach the page', async () => {
    await page.getByRole('link', { name: 'Connections' }).click();
    const connections = page.getByTestId('connections');
    await connections.getByText('reports_db').waitFor();
    assert.match(await connections.innerText(), /sparkify_warehouse/);
    assert.match(await connections.locator('tr', { hasText: 'reports_db' }).innerText(), /\*\*\*/);
    assert.doesNotMatch(await page.content(), /pw-never-shown-7731/);
    await world.screenshot('12-connections');
    await page.getByRole('link', { name: 'Variables' }).click();
    const variables = page.getByTestId('variables');
    await variables.getByText('eu-west-1').waitFor();
    assert.match(await variables.locator('tr', { hasText: 'api_secret' }).innerText(), /\*\*\*/);
    assert.doesNotMatch(await page.content(), /var-never-shown-9034/);
    await world.screenshot('13-variables');
  });

  await t.test('analytics over the warehouse: plays per hour, daily active users, free vs paid, top songs and artists, locations', async () => {
    await page.getByRole('link', { name: 'Analytics' }).click();
    await page.getByTestId('top-songs').waitFor();
    assert.equal(await page.getByTestId('plays-by-hour').getAttribute('data-rows'), '24', 'every hour of the day');
    assert.match(await page.getByTestId('plays-by-hour').innerHTML(), /<title>9: 2<\/title>.*<title>10: 1<\/title>.*<title>21: 1<\/title>/s, 'plays at 09, 10 and 21 UTC');
    assert.equal(await page.getByTestId('top-songs').getAttribute('data-rows'), '2');
    assert.match(await page.getByTestId('top-artists').innerHTML(), /The Testers: 3/);
    assert.match(await page.getByTestId('plays-by-location').innerHTML(), /Lansing-East Lansing, MI: 3/);
    await page.locator('[data-testid="daily-active-users"] canvas').waitFor();
    assert.equal(await page.getByTestId('daily-active-users').getAttribute('data-points'), '2');
    await page.locator('[data-testid="free-vs-paid"] canvas').waitFor();
    await world.screenshot('14-analytics');
  });

  await t.test('a viewer sees the grid and logs, and is told that clearing needs the operator role', async () => {
    const context = await world.browser.newContext({ viewport: { width: 1400, height: 900 } });
    t.after(() => context.close());
    const viewer = await context.newPage();
    await viewer.goto(baseUrl);
    await viewer.getByLabel('User').fill('ui-viewer');
    await viewer.getByLabel('Password').fill(world.password);
    await viewer.getByRole('button', { name: 'Sign in' }).click();
    await viewer.locator(`tr[data-dag="${dagId}"]`).waitFor();
    await viewer.goto(`${baseUrl}/#/dags/${dagId}/grid?run=${encodeURIComponent(runId)}&task=load`);
    await viewer.getByTestId('task-log').filter({ hasText: 'the task succeeded' }).waitFor();
    await viewer.getByRole('button', { name: 'Clear task' }).click();
    await viewer.getByRole('button', { name: 'Confirm' }).click();
    await viewer.getByRole('alert').filter({ hasText: /403.*operator/ }).waitFor();
    await viewer.screenshot({ path: `${artifactsDir}/15-viewer-clear-refused.png`, fullPage: true });
    assert.deepEqual((await listTaskTries(engine, dagId, runId, 'load')).map((x) => x.tryNumber), [1, 2], 'nothing was cleared');
  });

  await t.test('clear a whole run from its bar: every task runs again', async () => {
    await page.goto(`${baseUrl}/#/dags/${dagId}/grid`);
    await page.locator(`.run-bar[data-run="${runId}"]`).click();
    const details = page.getByTestId('run-details');
    await details.getByText('hello from the browser').waitFor();
    await details.getByRole('button', { name: 'Clear run' }).click();
    await details.getByRole('button', { name: 'Confirm' }).click();
    await page.locator(`.cell[data-run="${runId}"][data-task="extract"][title*="try 2"][data-state="success"]`).waitFor({ timeout: runTimeoutMs });
    await page.locator(`.run-bar[data-run="${runId}"][data-state="success"]`).waitFor({ timeout: runTimeoutMs });
    assert.deepEqual((await listTaskTries(engine, dagId, runId, 'extract')).map((x) => x.state), ['success', 'success']);
    await world.screenshot('16-run-cleared-and-rerun');
  });

  await t.test('pausing again from the DAG page', async () => {
    await page.getByRole('link', { name: 'DAGs' }).click();
    await page.getByLabel(`${dagId} active`).uncheck();
    await page.locator(`tr[data-dag="${dagId}"] .switch`).getByText('paused').waitFor();
    assert.equal((await getDag(engine, dagId))?.isPaused, true);
    assert.equal(await page.locator(`tr[data-dag="${dagId}"] .recent .dot`).count(), 1, 'the run, as a dot');
    // Two clears later, still the two misses recorded at the run's first tick.
    assert.equal(await page.locator(`tr[data-dag="${dagId}"] .missed-deadlines`).innerText(), '2 missed deadlines');
    await world.screenshot('17-dag-list-after');
  });
});
