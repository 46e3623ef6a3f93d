import { SparkifyError } from '../../core/errors.ts';

/**
 * The executor a scheduling command runs beside its loop. `none`: workers (`sparkify worker`) claim the queued task
 * instances. `local` is the local executor's (O5a, src/orchestrator/executor/), not in this tree yet: refused with a
 * clear message rather than pretending to run tasks.
 */
export function requireExecutor(name: string): 'none' {
  if (name === 'none') return 'none';
  if (name === 'local') {
    throw new SparkifyError('SPK_E_CONFIG', 'the local executor is not available in this build yet: use --executor none and run `sparkify worker` processes');
  }
  throw new SparkifyError('SPK_E_CONFIG', `--executor must be local or none, not ${name}`);
}
