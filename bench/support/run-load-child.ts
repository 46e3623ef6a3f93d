import { spawn } from 'node:child_process';
import { join } from 'node:path';
import type { ChildLoadReport } from './load-child.ts';

/** Runs bench/support/load-child.ts with this Node and returns its report and wall-clock seconds. */
export function runLoadChild(songs: string, logs: string, url: string): Promise<ChildLoadReport & { wallSeconds: number }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [join(import.meta.dirname, 'load-child.ts'), songs, logs, url], { stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text));
    child.once('error', reject);
    child.once('close', (code) => {
      const wallSeconds = (performance.now() - started) / 1000;
      if (code !== 0) return reject(new Error(`load child exited with ${code}`));
      try {
        resolve({ ...(JSON.parse(stdout) as ChildLoadReport), wallSeconds });
      } catch (cause) {
        reject(new Error(`load child printed no report: ${stdout.slice(0, 500)}`, { cause }));
      }
    });
  });
}
