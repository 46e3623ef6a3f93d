import type { Clock } from '../../core/clock.ts';
import type { SqlEngine } from '../../engines/engine.ts';
import { appendLog } from '../metadb/task-logs.ts';
import { whileReachable } from './while-reachable.ts';
import type { TaskInstanceKey } from '../metadb/task-instances.ts';

/** Where a line of a try's log came from: the task's context.log, its stdout or stderr, or the runner itself. */
export type LogSource = 'task' | 'stdout' | 'stderr' | 'runner';

/** A chunk is written once it holds this much, without waiting for the flush timer. */
const chunkBytes = 64 * 1024;

/**
 * A try's log, written to orch_task_log in chunks as the task runs: lines gather for `flushMs` (or up to 64 KiB) and go
 * in one insert, so a chatty task costs a statement per chunk, not per line, and a tail (`sparkify tasks logs`) sees
 * them within `flushMs`. One writer per try, its writes in order (the chunk's seq is max + 1).
 */
export class TaskLogWriter {
  #buffer: string[] = [];
  #size = 0;
  #timer: NodeJS.Timeout | undefined;
  #writing: Promise<void> = Promise.resolve();
  #error: unknown;
  readonly #partial: Record<'stdout' | 'stderr', string> = { stdout: '', stderr: '' };

  readonly #metadb: SqlEngine;
  readonly #key: TaskInstanceKey;
  readonly #tryNumber: number;
  readonly #clock: Clock;
  readonly #flushMs: number;

  constructor(metadb: SqlEngine, key: TaskInstanceKey, tryNumber: number, clock: Clock, flushMs: number) {
    this.#metadb = metadb;
    this.#key = { dagId: key.dagId, runId: key.runId, taskId: key.taskId };
    this.#tryNumber = tryNumber;
    this.#clock = clock;
    this.#flushMs = flushMs;
  }

  line(source: LogSource, text: string): void {
    for (const l of text.split('\n')) this.#add(`${this.#clock.now().toISOString()} [${source}] ${l}\n`);
  }

  /** Bytes from the task's stdout or stderr: whole lines are logged, a partial one waits for its end (or close). */
  stream(source: 'stdout' | 'stderr', data: string): void {
    const all = this.#partial[source] + data;
    const end = all.lastIndexOf('\n');
    this.#partial[source] = end < 0 ? all : all.slice(end + 1);
    if (end >= 0) this.line(source, all.slice(0, end));
  }

  /** Writes what is left (partial lines too) and waits for every write; throws the first write's error, if any. */
  async close(): Promise<void> {
    for (const source of ['stdout', 'stderr'] as const) {
      if (this.#partial[source] !== '') this.line(source, this.#partial[source]);
      this.#partial[source] = '';
    }
    this.#flush();
    await this.#writing;
    if (this.#error !== undefined) throw this.#error;
  }

  #add(line: string): void {
    this.#buffer.push(line);
    this.#size += line.length;
    if (this.#size >= chunkBytes) this.#flush();
    else this.#timer ??= setTimeout(() => this.#flush(), this.#flushMs);
  }

  #flush(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#buffer.length === 0) return;
    const text = this.#buffer.join('');
    this.#buffer = [];
    this.#size = 0;
    this.#writing = this.#writing.then(async () => {
      try {
        await whileReachable(() => appendLog(this.#metadb, this.#key, this.#tryNumber, text));
      } catch (error) {
        this.#error ??= error;
      }
    });
  }
}
