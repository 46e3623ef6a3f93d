import type { Clock } from '../../core/clock.ts';
import type { SqlEngine } from '../../engines/engine.ts';
import type { AlertSettings } from '../alerts/alert-settings.ts';
import type { SecretBox } from '../metadb/secrets/secret-box.ts';
import type { TaskProcessPool } from './task-process-pool.ts';

/** What the supervisor of a try needs: the executor (local pool or `sparkify worker`) that claimed it provides it. */
export interface RunnerDeps {
  metadb: SqlEngine;
  /** Opens the variables and connections a task asks for. */
  secrets: SecretBox;
  /** Every time the runner records (log lines, state changes, retry times). */
  clock: Clock;
  /** The claimer's id, which guards every report (compare-and-set on the claim and try). */
  workerId: string;
  hostname: string;
  /** After its AbortSignal fires (timeout, stop), the task's process has this long to end before it is killed. */
  killGraceMs: number;
  /** Log lines gather this long before they are written as a chunk. */
  logFlushMs: number;
  /** The executor's task processes (the DAG folder and Node flags are theirs), warm ones reused (`maxTriesPerProcess: 1`: a fresh process every try). */
  processes: TaskProcessPool;
  /** A try whose DAG file has not loaded (and its fields rendered) this long after it started fails. Default 30 s. */
  dagFileTimeoutMs?: number;
  /** The SMTP connection and base URL of alert emails; default: smtp_default, http://127.0.0.1:8080. */
  alerts?: AlertSettings;
}
