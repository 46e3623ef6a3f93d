/**
 * `node bench/orchestrator/pglite-query-profile.ts [bench/orchestrator.ts's flags]`: runs the orchestrator bench (use
 * `--backends pglite --no-airflow`) with every embedded PGlite statement timed, and prints where the metadata
 * database's time goes, by statement: PGlite runs each protocol message synchronously (WebAssembly) on the calling
 * thread, so the time of `execProtocolRawSync` is the database's CPU on the bench's one thread, which the scheduler,
 * the local executor and the task runner share. A statement is counted at its Parse (or simple Query) message; its
 * Bind/Execute/Sync calls are added to its time. Diagnostics only: the wrapping costs a little time itself.
 */
import { PGlite } from '@electric-sql/pglite';
import { orchestratorBench, parseOrchestratorArgs } from '../orchestrator.ts';
import { benchOutput } from '../support/bench-output.ts';

const stats = new Map<string, { n: number; ms: number }>();
let current = '(before any statement)';
const decoder = new TextDecoder();
const proto = PGlite.prototype as unknown as { execProtocolRawSync: (message: Uint8Array) => Uint8Array };
const raw = proto.execProtocolRawSync;
proto.execProtocolRawSync = function (this: unknown, message: Uint8Array) {
  const type = message[0];
  if (type === 0x50 || type === 0x51) {
    // Parse: 'P' int32 name\0 query\0 …; Query: 'Q' int32 query\0.
    let start = 5;
    if (type === 0x50) {
      while (message[start] !== 0) start++;
      start++;
    }
    let end = start;
    while (end < message.length && message[end] !== 0) end++;
    current = decoder.decode(message.subarray(start, end));
    const s = stats.get(current) ?? { n: 0, ms: 0 };
    s.n++;
    stats.set(current, s);
  }
  const t = performance.now();
  try {
    return raw.call(this, message);
  } finally {
    const s = stats.get(current) ?? { n: 0, ms: 0 };
    s.ms += performance.now() - t;
    stats.set(current, s);
  }
};

const options = parseOrchestratorArgs(process.argv.slice(2));
const started = performance.now();
await orchestratorBench(options, benchOutput(false));
const wallMs = performance.now() - started;
const all = [...stats.values()].reduce((a, s) => ({ n: a.n + s.n, ms: a.ms + s.ms }), { n: 0, ms: 0 });
process.stdout.write(`\nwall ${(wallMs / 1000).toFixed(1)} s (setup included); PGlite statements ${all.n}, ${(all.ms / 1000).toFixed(1)} s on this thread\n`);
for (const [sql, s] of [...stats].sort((a, b) => b[1].ms - a[1].ms).slice(0, 24)) {
  const text = sql.split('\n').filter((l) => !l.trimStart().startsWith('--')).join(' ').replace(/\s+/g, ' ').trim().slice(0, 110);
  process.stdout.write(`${(s.ms / 1000).toFixed(2).padStart(7)} s ${String(s.n).padStart(7)}× ${(s.ms / Math.max(1, s.n)).toFixed(2).padStart(6)} ms  ${text}\n`);
}
