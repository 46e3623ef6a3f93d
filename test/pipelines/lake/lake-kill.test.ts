import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { lockName } from '../../../src/pipelines/lake/lake-lock.ts';
import { simulate } from '../../../src/simulator/simulate.ts';
import { build, lakeFiles, lakeSums } from './lake-fixtures.ts';

const bin = resolve(import.meta.dirname, '..', '..', '..', 'bin', 'sparkify.js');

test('kill -9 of lake build while it publishes: the previous version stays readable and whole; the next run takes over its lapsed lock and succeeds', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'sparkify-lake-kill-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const input = join(dir, 'data');
  const out = join(dir, 'lake');
  // Many songs: songs is a file per artist, so publishing takes long enough to be killed in the middle of it.
  await simulate({ outDir: input, users: 40, days: 1, songs: 600, seed: 9 });
  await build(input, out);
  const previous = await lakeSums(out);
  const committed = lakeFiles(out).filter((f) => f.endsWith('.parquet')).length;

  // A short lease: the lock the killed build leaves lapses a second after its last renewal.
  const child = spawn(process.execPath, [bin, 'lake', 'build', '--in', input, '--out', out, '--data-dir', dir, '--no-progress', '--lock-lease-ms', '1000'],
    { stdio: 'ignore', detached: true });
  const ended = new Promise<string>((done) => child.on('close', (code, signal) => done(signal ?? `exit ${code}`)));
  // Killed as soon as its first new file is on the store: in the middle of publishing.
  let killed = false;
  while (!killed) {
    const race = await Promise.race([ended.then(() => 'ended'), new Promise((r) => setTimeout(r, 10, 'poll'))]);
    if (race === 'ended') break;
    if (lakeFiles(out).filter((f) => f.endsWith('.parquet')).length > committed) {
      process.kill(-(child.pid as number), 'SIGKILL');
      killed = true;
    }
  }
  assert.equal(await ended, 'SIGKILL');
  const leftovers = lakeFiles(out).filter((f) => f.endsWith('.parquet')).length - committed;
  assert.ok(leftovers > 0, 'killed while publishing');
  const now = await lakeSums(out);
  assert.equal(now.version, previous.version, 'no new version committed');
  assert.deepEqual(now.tables, previous.tables);

  assert.ok(existsSync(join(out, lockName)), "the killed build's lock is left behind");

  // The next build waits for that lock's lease to lapse, takes it over, and sweeps.
  const said: string[] = [];
  const next = await build(input, out, { lock: { wait: { ms: 20_000, waiting: (w) => said.push(w) } } });
  assert.equal(said.length, 1, 'it said once that it waited');
  assert.equal(next.result.publish.swept, leftovers);
  assert.ok(!existsSync(join(out, lockName)), 'released');
  assert.deepEqual((await lakeSums(out)).tables, previous.tables);
  assert.equal(lakeFiles(out).filter((f) => f.endsWith('.parquet')).length, committed);
});
