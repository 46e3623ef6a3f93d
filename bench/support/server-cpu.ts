import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Linux reports process times in clock ticks; 100 per second on every mainstream kernel configuration. */
const ticksPerSecond = 100;

/**
 * CPU seconds used so far by a PostgreSQL server: the postmaster, its live children (backends, background writer,
 * …) and the children it has already reaped. Wall-clock times swing with whatever else runs on the machine; the CPU
 * the server spent on a load does not, so it is the steadier figure for comparing two versions of the load.
 * Undefined where /proc is not available.
 */
export function serverCpuSeconds(dataDir: string): number | undefined {
  return serverStat(dataDir)?.seconds;
}

/**
 * serverCpuSeconds once the server is idle again: read until two readings 100 ms apart agree. A backend that has
 * just exited can be counted nowhere for a moment (gone from /proc, not yet in the postmaster's reaped-children
 * times), and a reading taken then loses its CPU. Gives up waiting after `timeoutMs` (autovacuum may be busy).
 */
export async function serverCpuSecondsSettled(dataDir: string, timeoutMs = 3000): Promise<number | undefined> {
  const deadline = Date.now() + timeoutMs;
  let last = serverCpuSeconds(dataDir);
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    const now = serverCpuSeconds(dataDir);
    if (now === undefined || last === undefined) return undefined;
    if (now - last < 0.015 || Date.now() > deadline) return now;
    last = now;
  }
}

function serverStat(dataDir: string): { seconds: number } | undefined {
  try {
    const pid = Number(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
    const [utime, stime, cutime, cstime] = statTimes(pid);
    let ticks = utime + stime + cutime + cstime;
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      const stat = readStat(Number(entry));
      if (stat?.ppid === pid) ticks += stat.utime + stat.stime;
    }
    return { seconds: ticks / ticksPerSecond };
  } catch {
    return undefined;
  }
}

function statTimes(pid: number): [number, number, number, number] {
  const stat = readStat(pid);
  if (!stat) throw new Error(`no process ${pid}`);
  return [stat.utime, stat.stime, stat.cutime, stat.cstime];
}

function readStat(pid: number): { ppid: number; utime: number; stime: number; cutime: number; cstime: number } | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined; // exited meanwhile
  }
  // The command name (field 2) is in parentheses and may hold spaces: the fields after the last ')' are fixed.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  const at = (field: number) => Number(fields[field - 3]);
  return { ppid: at(4), utime: at(14), stime: at(15), cutime: at(16), cstime: at(17) };
}
