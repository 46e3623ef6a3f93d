/**
 * Apache Airflow 3 for the orchestrator benchmark's baseline: a Python venv in ~/.cache/sparkify/airflow-<version>/,
 * made once with `pip install apache-airflow[postgres]==<version>` under the pinned versions of
 * `airflow-constraints.txt` (Airflow's own constraints file is not reachable from here), then reused by every run.
 */
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { SparkifyError } from '../../src/core/errors.ts';
import { runCommand } from './run-command.ts';

export const airflowVersion = '3.3.2';
const constraints = join(import.meta.dirname, 'airflow-constraints.txt');

export function airflowCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'sparkify', `airflow-${airflowVersion}`);
}

/** The venv's python (run Airflow as `python -m airflow`), installing first if the cache lacks this exact set. */
export async function ensureAirflow(log: (line: string) => void = () => {}): Promise<string> {
  const venv = join(airflowCacheDir(), 'venv');
  const python = join(venv, 'bin', 'python');
  // The marker holds the constraints' hash: a changed pin set re-runs pip (which keeps what already matches).
  const marker = join(venv, '.sparkify-installed');
  const want = createHash('sha256').update(readFileSync(constraints)).digest('hex');
  if (existsSync(marker) && readFileSync(marker, 'utf8').trim() === want) return python;
  await mkdir(airflowCacheDir(), { recursive: true });
  log(`installing Apache Airflow ${airflowVersion} into ${venv} (once; a few minutes)…`);
  if (!existsSync(python)) await must('python3', ['-m', 'venv', venv], 'python3 -m venv');
  await must(python, ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', '-c', constraints, `apache-airflow[postgres]==${airflowVersion}`], 'pip install apache-airflow');
  await writeFile(marker, `${want}\n`);
  return python;
}

async function must(cmd: string, args: string[], what: string): Promise<void> {
  const result = await runCommand(cmd, args);
  if (result.code === 0) return;
  const how = result.error ? `could not run (${result.error.message})` : `failed (exit ${result.code})`;
  throw new SparkifyError('SPK_E_SERVER', `${what} ${how}:\n${result.output.trimEnd().split('\n').slice(-15).join('\n')}`, { cause: result.error });
}
