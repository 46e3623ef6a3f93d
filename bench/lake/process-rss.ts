import { readdirSync, readFileSync } from 'node:fs';

/**
 * Peak resident memory of a set of processes (a JVM and its children) that report no rusage to us: /proc sampled
 * every `everyMs`, the RSS of every process `matches` selects summed, the highest sum kept. Linux only; elsewhere
 * (or when nothing matched) the peak stays 0.
 */
export function sampleRss(matches: (proc: { pid: number; pgrp: number; cmdline: () => string }) => boolean, everyMs = 250): { stop(): number } {
  const page = 4096;
  let peak = 0;
  const sample = () => {
    let sum = 0;
    let pids: string[];
    try {
      pids = readdirSync('/proc').filter((d) => /^\d+$/.test(d));
    } catch {
      return;
    }
    for (const d of pids) {
      try {
        const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        const pgrp = Number(fields[2]);
        const cmdline = () => readFileSync(`/proc/${d}/cmdline`, 'utf8').replaceAll('\0', ' ');
        if (matches({ pid: Number(d), pgrp, cmdline })) sum += Number(fields[21]) * page;
      } catch {
        // gone between the listing and the read
      }
    }
    peak = Math.max(peak, sum);
  };
  sample();
  const timer = setInterval(sample, everyMs);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      sample();
      return peak / (1024 * 1024);
    },
  };
}
