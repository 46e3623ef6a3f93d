import { hostname as osHostname } from 'node:os';
import { systemClock, type Clock } from '../../core/clock.ts';
import type { SqlEngine } from '../../engines/engine.ts';
import type { AlertSettings } from '../alerts/alert-settings.ts';
import { claimTaskInstances, type ClaimedTask } from '../metadb/claim-task-instances.ts';
import { renewLease } from '../metadb/leases.ts';
import type { OrchestratorMetrics } from '../observability/metrics.ts';
import type { SecretBox } from '../metadb/secrets/secret-box.ts';
import { runTaskAttempt, type AttemptOutcome, type TaskAttempt } from '../runner/run-task-attempt.ts';
import { TaskProcessPool } from '../runner/task-process-pool.ts';
import { workerId as newWorkerId } from './worker-id.ts';

export interface ExecutorOptions {
  metadb: SqlEngine;
  secrets: SecretBox;
  dagFolder: string;
  /** At most this many tries at once, each in a process of its own. */
  parallelism: number;
  clock?: Clock;
  workerId?: string;
  hostname?: string;
  /** A claim holds this long without renewal; renewed every third of it. */
  leaseMs?: number;
  /** With nothing to claim, look again after this long (or when `wake()` is called). */
  pollMs?: number;
  killGraceMs?: number;
  logFlushMs?: number;
  taskExecArgv?: readonly string[];
  /** Tries one task process runs before it is replaced (1: a fresh process for every try). Default 200. */
  maxTriesPerProcess?: number;
  /** A try whose DAG file has not loaded within this long fails (SPK_E_DAG_IMPORT). Default 30 s. */
  dagFileTimeoutMs?: number;
  /** The SMTP connection and base URL of alert emails (default: smtp_default, http://127.0.0.1:8080). */
  alerts?: AlertSettings;
  /** Where try starts and ends and the executor's slots are counted (StatsD, Prometheus); none: not measured. */
  metrics?: OrchestratorMetrics;
  /** Told of each finished try (the scheduler's loop wakes on it; a worker prints it). */
  onFinished?: (claim: ClaimedTask, outcome: AttemptOutcome) => void;
  /** Told of an error of the executor's own (the metadata database unreachable, …); it goes on after `pollMs`. */
  onError?: (error: unknown) => void;
}

/**
 * A bounded pool of task processes fed from the metadata database: it claims queued task instances (claimTaskInstances:
 * FOR UPDATE SKIP LOCKED with pools and maxActiveTasks counted in the same transaction) up to its free slots, runs each
 * try with the task runner in a child process (a warm one when it can: task-process-pool.ts), renews their leases,
 * and reports each finished one. The same loop is
 * the local executor (in the scheduler's process, on PGlite or Postgres) and `sparkify worker` (on Postgres, one per
 * machine or more): task code never runs on this process's event loop.
 */
export class LocalExecutor {
  readonly workerId: string;
  readonly #o: Required<Omit<ExecutorOptions, 'onFinished' | 'onError' | 'workerId' | 'metrics' | 'alerts'>> & Pick<ExecutorOptions, 'onFinished' | 'onError' | 'metrics' | 'alerts'>;
  readonly #processes: TaskProcessPool;
  readonly #running = new Map<string, TaskAttempt>();
  #stopping = false;
  #loop: Promise<void> | undefined;
  #wake: (() => void) | undefined;
  /** A wake-up that came while the loop was busy claiming: the next idle ends at once. */
  #woken = false;
  #renewTimer: NodeJS.Timeout | undefined;

  constructor(options: ExecutorOptions) {
    if (!Number.isInteger(options.parallelism) || options.parallelism < 1) throw new RangeError(`parallelism must be a whole number >= 1, not ${options.parallelism}`);
    this.workerId = options.workerId ?? newWorkerId();
    this.#o = {
      clock: systemClock, hostname: osHostname(), leaseMs: 30_000, pollMs: 1000, killGraceMs: 5000, logFlushMs: 500, taskExecArgv: [],
      maxTriesPerProcess: 200, dagFileTimeoutMs: 30_000,
      ...options,
    };
    this.#processes = new TaskProcessPool({
      dagFolder: this.#o.dagFolder, execArgv: this.#o.taskExecArgv, maxTriesPerProcess: this.#o.maxTriesPerProcess, maxIdle: this.#o.parallelism,
    });
  }

  /** Task processes started so far (a warm one runs many tries). */
  get processesStarted(): number {
    return this.#processes.started;
  }

  /** Tries running now. */
  get running(): number {
    return this.#running.size;
  }

  start(): void {
    if (this.#loop !== undefined) return;
    this.#renewTimer = setInterval(() => void this.#renew(), Math.max(1, Math.floor(this.#o.leaseMs / 3)));
    this.#loop = this.#claimLoop();
  }

  /** Look for queued work now (the scheduler calls it after queueing some). */
  wake(): void {
    this.#woken = true;
    this.#wake?.();
  }

  /**
   * Stops claiming and waits for the tries running to finish, for at most `graceMs`; those still running then are
   * aborted and their claims released to the queue (another worker takes them). Resolves once none is left.
   */
  async stop(graceMs = Infinity): Promise<void> {
    this.#stopping = true;
    this.wake();
    await this.#loop;
    const all = () => Promise.allSettled([...this.#running.values()].map((a) => a.done));
    let timer: NodeJS.Timeout | undefined;
    const waited = await Promise.race([all().then(() => true), new Promise<boolean>((r) => (timer = Number.isFinite(graceMs) ? setTimeout(() => r(false), graceMs) : undefined))]);
    clearTimeout(timer);
    if (!waited) for (const a of this.#running.values()) a.release(`worker ${this.workerId} stopped`);
    await all();
    clearInterval(this.#renewTimer);
    this.#processes.close();
  }

  async #claimLoop(): Promise<void> {
    while (!this.#stopping) {
      this.#woken = false;
      const free = this.#o.parallelism - this.#running.size;
      let claimed: ClaimedTask[] = [];
      if (free > 0) {
        try {
          claimed = await this.#o.metadb.transaction((tx) =>
            claimTaskInstances(tx, { worker: this.workerId, hostname: this.#o.hostname, limit: free, now: this.#o.clock.now(), leaseMs: this.#o.leaseMs }));
        } catch (error) {
          this.#o.onError?.(error);
        }
      }
      for (const claim of claimed) this.#start(claim);
      this.#o.metrics?.executor(this.#running.size, this.#o.parallelism - this.#running.size);
      // A full claim may have left more behind: claim again at once; else wait for a slot, a wake-up or the poll.
      if (claimed.length === 0 || claimed.length < free || this.#running.size >= this.#o.parallelism) await this.#idle();
    }
  }

  #idle(): Promise<void> {
    if (this.#woken || this.#stopping) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, this.#o.pollMs);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.#wake = () => {
        this.#wake = undefined;
        done();
      };
    });
  }

  #start(claim: ClaimedTask): void {
    const id = `${claim.dagId}\u0000${claim.runId}\u0000${claim.taskId}`;
    const attempt = runTaskAttempt({
      metadb: this.#o.metadb, secrets: this.#o.secrets, clock: this.#o.clock, workerId: this.workerId, hostname: this.#o.hostname,
      killGraceMs: this.#o.killGraceMs, logFlushMs: this.#o.logFlushMs, processes: this.#processes, dagFileTimeoutMs: this.#o.dagFileTimeoutMs,
      ...(this.#o.alerts === undefined ? {} : { alerts: this.#o.alerts }),
    }, claim);
    this.#running.set(id, attempt);
    this.#o.metrics?.tiStart(claim.dagId, claim.taskId);
    attempt.done.then(
      (outcome) => {
        // A lost or released try has no end of its own: whoever takes it next reports that one.
        if (outcome.state !== 'lost' && outcome.state !== 'released') this.#o.metrics?.tiFinish(claim.dagId, claim.taskId, outcome.state);
        this.#o.onFinished?.(claim, outcome);
      },
      (error: unknown) => this.#o.onError?.(error),
    ).finally(() => {
      this.#running.delete(id);
      this.#o.metrics?.executor(this.#running.size, this.#o.parallelism - this.#running.size);
      this.wake();
    });
  }

  /** The heartbeat: each running try's lease moves on; a refused renewal means the try was taken away. */
  async #renew(): Promise<void> {
    const until = new Date(this.#o.clock.now().getTime() + this.#o.leaseMs);
    for (const a of [...this.#running.values()]) {
      try {
        const held = await renewLease(this.#o.metadb, a.claim, { worker: this.workerId, tryNumber: a.claim.tryNumber }, until);
        if (!held) a.lose();
      } catch (error) {
        // The database unreachable: the try goes on; if this lasts past the lease, the claim lapses and is taken.
        this.#o.onError?.(error);
      }
    }
  }
}
