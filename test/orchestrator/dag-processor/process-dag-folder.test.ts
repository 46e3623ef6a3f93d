import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { before, test, type TestContext } from 'node:test';
import { pathToFileURL } from 'node:url';
import { processDagFolder, type DagFolderScan } from '../../../src/orchestrator/dag-processor/index.ts';

const fixtures = resolve(import.meta.dirname, '..', 'fixtures', 'dags');
const api = pathToFileURL(resolve(import.meta.dirname, '..', '..', '..', 'src', 'orchestrator', 'dag', 'index.ts')).href;
// Long enough for a loaded machine to import a good file, short enough that the hanging fixture costs little.
const timeoutMs = 5000;

let scan: DagFolderScan;
before(async () => {
  scan = await processDagFolder({ folder: fixtures, timeoutMs });
});

const errorOf = (file: string) => scan.importErrors.find((e) => e.file === file);

test('the good DAG files give their DAGs, sorted by id, each with the file that defined it', () => {
  assert.deepEqual(scan.dags.map((d) => [d.dag.id, d.dag.file]), [
    ['every_15m', 'two-dags.ts'],
    ['from_factory', 'nested/from-factory.ts'],
    ['good_etl', 'good-etl.ts'],
    ['manual_only', 'two-dags.ts'],
    ['plain_js', 'plain.js'],
  ]);
  const etl = scan.dags.find((d) => d.dag.id === 'good_etl');
  assert.deepEqual(etl?.dag.tasks.map((t) => [t.id, t.upstream]), [
    ['count', ['extract', 'load.dims']],
    ['extract', ['start']],
    ['load.dims', ['load.facts']],
    ['load.facts', ['extract']],
    ['start', []],
  ]);
  assert.deepEqual(scan.dags.find((d) => d.dag.id === 'every_15m')?.dag.schedule, { kind: 'interval', everyMs: 900_000 });
  assert.deepEqual(scan.dags.find((d) => d.dag.id === 'manual_only')?.dag.schedule, { kind: 'none' });
  assert.ok(!scan.dags.some((d) => d.dag.file.startsWith('_')), 'a helper named _… is not a DAG file');
});

test('each bad file is one import error naming the file, the line where it can be known, and the problem', () => {
  const expected: [file: string, line: number | null, message: RegExp][] = [
    ['bad-crashes.ts', null, /process loading the file was killed by SIGKILL/],
    ['bad-cron.ts', 3, /DAG 'bad_cron': schedule: bad cron expression "61 \* \* \* \*"/],
    ['bad-cross-dag.ts', 9, /task 'b' of DAG 'cross_two' cannot depend on task 'a' of DAG 'cross_one'/],
    ['bad-cycle.ts', 7, /DAG 'cyclic': a cycle: a → b → c → a/],
    ['bad-duplicate-task.ts', 9, /DAG 'dup_task': duplicate task id 'load'/],
    ['bad-exits.ts', 4, /process\.exit\(3\) called while loading/],
    ['bad-hangs.ts', null, /longer than its time limit \(5000 ms\)/],
    ['bad-missing-task.js', 8, /a dependency names "ghost", which is not a task/],
    ['bad-not-strippable.ts', 4, /SyntaxError: TypeScript enum is not supported in strip-only mode/],
    ['bad-start-after-end.ts', 3, /DAG 'backwards': start 2024-02-01T00:00:00\.000Z is after end 2024-01-01/],
    ['bad-syntax.js', 4, /SyntaxError: Unexpected token ';'/],
    ['bad-throws.ts', 4, /Error: the warehouse config is missing/],
    ['bad-timezone.ts', 3, /DAG 'nowhere': unknown time zone "Mars\/Olympus_Mons"/],
    ['bad-trigger-rule.js', 8, /task 'a': unknown trigger rule "all_sucess"/],
    ['zz-duplicate-dag-id.ts', null, /duplicate DAG id 'good_etl' \(already defined in good-etl\.ts\)/],
  ];
  assert.deepEqual(scan.importErrors.map((e) => e.file), expected.map(([f]) => f));
  for (const [file, line, message] of expected) {
    const e = errorOf(file);
    assert.equal(e?.line, line, `${file}: line`);
    assert.match(e?.message ?? '', message, file);
  }
});

test('the fingerprints hold the files that gave DAGs; the failing ones are tried again next scan', () => {
  assert.deepEqual([...scan.fingerprints.keys()].sort(), ['good-etl.ts', 'nested/from-factory.ts', 'plain.js', 'two-dags.ts']);
  assert.deepEqual(scan.fingerprints.get('two-dags.ts')?.dagIds, ['every_15m', 'manual_only']);
  assert.match(scan.fingerprints.get('plain.js')?.sha256 ?? '', /^[0-9a-f]{64}$/);
});

async function tempFolder(t: TestContext): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'sparkify-dags-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

const dagFile = (id: string, extra = '') => `import { BaseOperator, dag } from '${api}';
class Noop extends BaseOperator { execute(): void {} }
const d = dag({ id: '${id}', schedule: '@daily', start: '2024-01-01' });
new Noop(d, 'a')${extra};
`;

test('an unchanged file is not parsed again; a changed, new or removed one is seen', async (t) => {
  const dir = await tempFolder(t);
  await writeFile(join(dir, 'a.ts'), dagFile('a'));
  await writeFile(join(dir, 'b.ts'), dagFile('b'));
  const first = await processDagFolder({ folder: dir, timeoutMs });
  assert.deepEqual(first.parsed, ['a.ts', 'b.ts']);
  assert.deepEqual(first.dags.map((d) => d.dag.id), ['a', 'b']);

  const second = await processDagFolder({ folder: dir, timeoutMs, fingerprints: first.fingerprints });
  assert.deepEqual(second.parsed, []);
  assert.deepEqual(second.unchanged, ['a.ts', 'b.ts']);
  assert.deepEqual(second.dags, []);
  assert.deepEqual(second.fingerprints, first.fingerprints);

  // The same bytes with a new mtime, a changed file, a new one, a removed one.
  const later = new Date(Date.parse('2030-01-01T00:00:00Z'));
  await utimes(join(dir, 'a.ts'), later, later);
  await writeFile(join(dir, 'b.ts'), dagFile('b', ".then(new Noop(d, 'b'))"));
  await writeFile(join(dir, 'c.ts'), dagFile('c'));
  const prior = new Map(first.fingerprints);
  prior.set('gone.ts', { size: 1, mtimeMs: 1, sha256: 'x', dagIds: ['gone'] });
  const third = await processDagFolder({ folder: dir, timeoutMs, fingerprints: prior });
  assert.deepEqual(third.parsed, ['a.ts', 'b.ts', 'c.ts']);
  assert.deepEqual(third.removed, ['gone.ts']);
  assert.equal(third.dags.find((d) => d.dag.id === 'a')?.hash, first.dags.find((d) => d.dag.id === 'a')?.hash, 'a touched file gives the same version');
  assert.notEqual(third.dags.find((d) => d.dag.id === 'b')?.hash, first.dags.find((d) => d.dag.id === 'b')?.hash);
});

test('a duplicate DAG id against an unchanged file is an error of the later file, which is not fingerprinted', async (t) => {
  const dir = await tempFolder(t);
  await writeFile(join(dir, 'a.ts'), dagFile('shared'));
  const first = await processDagFolder({ folder: dir, timeoutMs });
  await writeFile(join(dir, 'b.ts'), dagFile('shared'));
  const second = await processDagFolder({ folder: dir, timeoutMs, fingerprints: first.fingerprints });
  assert.deepEqual(second.parsed, ['b.ts']);
  assert.deepEqual(second.dags, []);
  assert.deepEqual(second.importErrors, [{ file: 'b.ts', line: null, message: "SPK_E_DAG_INVALID: duplicate DAG id 'shared' (already defined in a.ts)" }]);
  assert.deepEqual([...second.fingerprints.keys()], ['a.ts']);
});

test('after a hang, the files left are loaded by a new child', async (t) => {
  const dir = await tempFolder(t);
  await writeFile(join(dir, 'a-hangs.ts'), 'await new Promise(() => { setInterval(() => {}, 1000); });\n');
  await writeFile(join(dir, 'b.ts'), dagFile('b'));
  const result = await processDagFolder({ folder: dir, timeoutMs: 1500 });
  assert.deepEqual(result.importErrors.map((e) => [e.file, e.line]), [['a-hangs.ts', null]]);
  assert.match(result.importErrors[0]?.message ?? '', /time limit \(1500 ms\)/);
  assert.deepEqual(result.dags.map((d) => d.dag.id), ['b']);
});

test('the same DAG files give the same bytes in two processes', async (t) => {
  // The good fixtures, their import of the API made absolute, in a folder of their own (no hanging file to wait for).
  const dir = await tempFolder(t);
  for (const name of ['good-etl.ts', 'two-dags.ts', 'plain.js']) {
    const text = await readFile(join(fixtures, name), 'utf8');
    await writeFile(join(dir, name), text.replace('../../../../src/orchestrator/dag/index.ts', api));
  }
  const script = `
    const { processDagFolder } = await import(${JSON.stringify(pathToFileURL(resolve(import.meta.dirname, '..', '..', '..', 'src', 'orchestrator', 'dag-processor', 'index.ts')).href)});
    const scan = await processDagFolder({ folder: process.argv[1], timeoutMs: ${timeoutMs} });
    process.stdout.write(JSON.stringify(scan.dags.map((d) => [d.json, d.hash])));
  `;
  const run = () => new Promise<string>((done, fail) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', script, dir], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.on('error', fail);
    child.on('close', (code) => (code === 0 ? done(out) : fail(new Error(`exit ${code}`))));
  });
  const [one, two] = await Promise.all([run(), run()]);
  const ids = (JSON.parse(one) as [string, string][]).map(([json]) => (JSON.parse(json) as { id: string }).id);
  assert.deepEqual(ids, ['every_15m', 'good_etl', 'manual_only', 'plain_js']);
  assert.equal(one, two);
  const fromFixtures = scan.dags.filter((d) => ids.includes(d.dag.id)).map((d) => [d.json, d.hash]);
  assert.equal(one, JSON.stringify(fromFixtures), 'and the same as this process got from the fixture folder');
});
