import type { Command } from 'commander';
import { z } from 'zod';
import { SparkifyError } from '../../core/errors.ts';
import { compileOptions } from '../../core/options.ts';

/** The executor flags of the commands that run a scheduler loop (scheduler, dags backfill, dags test). */
export function executorFlags(command: Command, withChoice = true): Command {
  if (withChoice) command.option('--executor <name>', 'local (run tasks from this process, each in a child process; the default on the embedded metadata database) or none (`sparkify worker`s run them; the default on Postgres)');
  return command
    .option('--parallelism <n>', 'the local executor\'s task processes at once', '4')
    .option('--stop-grace-ms <ms>', 'on SIGINT/SIGTERM, running tasks get this long to finish before they are released to the queue', '60000');
}

const schema = z.object({
  parallelism: z.coerce.number().int('a whole number').min(1, 'at least 1'),
  stopGraceMs: z.coerce.number().int('a whole number of milliseconds').min(0, 'at least 0'),
});

export interface ExecutorChoice {
  executor: 'local' | 'none';
  parallelism: number;
  stopGraceMs: number;
}

/**
 * The executor a scheduling command runs beside its loop. `local`: a LocalExecutor in this process (each try in a
 * child process). `none`: workers (`sparkify worker`, Postgres only) claim the queued task instances. Default: local
 * on the embedded PGlite database (no other process can open it), none on a Postgres server.
 */
export function compileExecutor(raw: { executor?: string; parallelism?: unknown; stopGraceMs?: unknown }, db: string | undefined): ExecutorChoice {
  const name = raw.executor ?? (db !== undefined && /^postgres(ql)?:\/\//.test(db) ? 'none' : 'local');
  if (name !== 'local' && name !== 'none') throw new SparkifyError('SPK_E_CONFIG', `--executor must be local or none, not ${name}`);
  return { executor: name, ...compileOptions(schema, { parallelism: raw.parallelism ?? '4', stopGraceMs: raw.stopGraceMs ?? '60000' }) };
}

/**
 * Stops `stop` on the first SIGINT or SIGTERM (the loop ends; running tasks get their grace), and on a second one
 * tells `now` (release them at once). Returns the function that removes the handlers.
 */
export function onStopSignals(stop: AbortController, now: () => void = () => undefined): () => void {
  let signals = 0;
  const handler = (signal: NodeJS.Signals) => {
    signals += 1;
    process.stderr.write(`\n${signal}: ${signals === 1 ? 'stopping (running tasks finish within the grace; again to release them now)' : 'releasing the running tasks'}\n`);
    if (signals === 1) stop.abort();
    else now();
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return () => {
    process.off('SIGINT', handler);
    process.off('SIGTERM', handler);
  };
}
