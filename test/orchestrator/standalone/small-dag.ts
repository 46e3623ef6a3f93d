import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const api = pathToFileURL(resolve(import.meta.dirname, '..', '..', '..', 'src', 'orchestrator', 'dag', 'index.ts')).href;

/**
 * A small hourly DAG as a user writes it: a task(fn) chain whose values flow downstream (extract -> double -> total),
 * a task that fails on its first try and succeeds on its second (retries 1, no delay), and a last task after both.
 * `failHard`: the flaky task fails on every try (the run fails, naming it).
 */
export function smallDagFile(id: string, options: { failHard?: boolean; start?: string } = {}): string {
  return `import { dag, task } from '${api}';
const d = dag({ id: '${id}', schedule: '@hourly', start: '${options.start ?? '2018-11-01T00:00:00Z'}', catchup: true, maxActiveRuns: 4,
  defaultArgs: { retries: 1, retryDelay: 0 } });
const extract = task((_, ctx) => ({ hour: new Date(ctx.dataIntervalStart).getUTCHours(), rows: [1, 2, 3] }), { dag: d, id: 'extract' });
const double = task(({ e }) => e.rows.map((r: number) => r * 2 + e.hour), { dag: d, id: 'double', inputs: { e: extract } });
const total = task(({ rows }) => rows.reduce((a: number, b: number) => a + b, 0), { dag: d, id: 'total', inputs: { rows: double } });
const flaky = task((_, ctx) => {
  ctx.log('flaky try ' + ctx.tryNumber);
  if (${options.failHard ? 'true' : 'ctx.tryNumber === 1'}) throw new Error('flaky fails on try ' + ctx.tryNumber);
  return ctx.tryNumber;
}, { dag: d, id: 'flaky' });
const done = task(({ t, f }) => ({ total: t, flakyTries: f }), { dag: d, id: 'done', inputs: { t: total, f: flaky } });
export default d;
`;
}

export const dagFile = (dir: string, id: string) => join(dir, `${id}.ts`);
