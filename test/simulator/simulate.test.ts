import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { simulate } from '../../src/simulator/simulate.ts';
import { SparkifyError } from '../../src/core/errors.ts';
import { listFiles, logLines, simulateToTemp } from './simulated-dataset.ts';

async function digest(root: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const file of await listFiles(root)) out.set(file, createHash('sha256').update(await readFile(join(root, file))).digest('hex'));
  return out;
}

const small = { users: 40, days: 5, songs: 60, seed: 7 };

test('the same seed writes the same bytes; another seed writes different ones', async () => {
  const a = await simulateToTemp(small);
  const b = await simulateToTemp(small);
  const c = await simulateToTemp({ ...small, seed: 8 });
  try {
    const [da, db, dc] = await Promise.all([digest(a.dir), digest(b.dir), digest(c.dir)]);
    assert.ok(a.summary.events > 100, `expected a few hundred events, got ${a.summary.events}`);
    assert.deepEqual([...db], [...da]);
    assert.deepEqual({ ...b.summary, outDir: '' }, { ...a.summary, outDir: '' });
    const dayFiles = [...da.keys()].filter((f) => !f.startsWith('song_data/'));
    assert.notDeepEqual(dayFiles.map((f) => dc.get(f)), dayFiles.map((f) => da.get(f)));
  } finally {
    await Promise.all([a.remove(), b.remove(), c.remove()]);
  }
});

test('the catalog depends on the seed and song count only, not on users or days', async () => {
  const a = await simulateToTemp(small);
  const b = await simulateToTemp({ ...small, users: 3, days: 1 });
  try {
    const songs = (d: Map<string, string>) => [...d].filter(([f]) => f.startsWith('song_data/'));
    assert.deepEqual(songs(await digest(b.dir)), songs(await digest(a.dir)));
  } finally {
    await Promise.all([a.remove(), b.remove()]);
  }
});

test('layout: one log and one csv per day, song files under the 3rd-5th letters of their track id', async () => {
  const run = await simulateToTemp({ ...small, start: new Date('2019-02-27T00:00:00Z') });
  try {
    const files = await listFiles(run.dir);
    const days = ['2019-02-27', '2019-02-28', '2019-03-01', '2019-03-02', '2019-03-03'];
    const logs = days.map((d) => `log_data/${d.slice(0, 4)}/${d.slice(5, 7)}/${d}-events.json`);
    const csvs = days.map((d) => `event_data/${d}-events.csv`);
    assert.deepEqual(files.filter((f) => f.startsWith('log_data/')), logs);
    assert.deepEqual(files.filter((f) => f.startsWith('event_data/')), csvs);
    const songs = files.filter((f) => f.startsWith('song_data/'));
    assert.equal(songs.length, small.songs);
    for (const f of songs) {
      const m = /^song_data\/([A-Z])\/([A-Z])\/([A-Z])\/(TR[A-Z]{5}[0-9A-F]{11})\.json$/.exec(f);
      assert.ok(m, `unexpected song file path ${f}`);
      assert.deepEqual([m[1], m[2], m[3]], [m[4]![2], m[4]![3], m[4]![4]]);
    }
    assert.equal(run.summary.songFiles, small.songs);
    assert.equal(run.summary.logFiles, 5);
    assert.equal(run.summary.csvFiles, 5);
    let bytes = 0;
    for (const f of files) bytes += (await stat(join(run.dir, f))).size;
    assert.equal(run.summary.bytes, bytes);
  } finally {
    await run.remove();
  }
});

test('events are sorted by ts within each day and fall on that day; sessions are numbered and counted from item 0', async () => {
  const run = await simulateToTemp({ users: 120, days: 4, songs: 200, seed: 11 });
  try {
    const sessions = new Map<number, { items: number[]; users: Set<string> }>();
    let events = 0;
    let plays = 0;
    for (const { file, lines } of await logLines(run.dir)) {
      const day = file.slice(-22, -12); // …/YYYY-MM-DD-events.json
      let last = -Infinity;
      for (const line of lines) {
        const e = JSON.parse(line) as { ts: number; sessionId: number; itemInSession: number; userId: string; page: string };
        events++;
        if (e.page === 'NextSong') plays++;
        assert.ok(e.ts >= last, `${file}: ts goes backwards at ${line}`);
        last = e.ts;
        assert.equal(new Date(e.ts).toISOString().slice(0, 10), day);
        let s = sessions.get(e.sessionId);
        if (s === undefined) sessions.set(e.sessionId, (s = { items: [], users: new Set() }));
        s.items.push(e.itemInSession);
        if (e.userId !== '') s.users.add(e.userId);
      }
    }
    assert.equal(events, run.summary.events);
    assert.equal(plays, run.summary.nextSongEvents);
    assert.equal(sessions.size, run.summary.sessions);
    for (const [id, s] of sessions) {
      assert.deepEqual(s.items, s.items.map((_, i) => i), `session ${id} items are not 0, 1, 2, …`);
      assert.ok(s.users.size <= 1, `session ${id} belongs to several users`);
    }
  } finally {
    await run.remove();
  }
});

test('refuses a folder that already holds a run, and bad options, with SPK_E_CONFIG', async () => {
  const run = await simulateToTemp({ users: 2, days: 1, songs: 3, seed: 1 });
  try {
    await assert.rejects(simulate({ outDir: run.dir, users: 2, days: 1, songs: 3, seed: 1 }), (e: unknown) => {
      assert.ok(e instanceof SparkifyError);
      assert.equal(e.code, 'SPK_E_CONFIG');
      assert.match(e.message, /already contains song_data/);
      return true;
    });
    await assert.rejects(simulate({ outDir: run.dir, users: 0, days: 1, songs: 3, seed: 1 }), /users must be a whole number/);
  } finally {
    await run.remove();
  }
});

test('an output path that cannot be used is a SPK_E_CONFIG error naming it', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'sparkify-sim-test-'));
  try {
    const file = join(dir, 'not-a-folder');
    await writeFile(file, 'x');
    await assert.rejects(simulate({ outDir: file, users: 2, days: 1, songs: 3, seed: 1 }), (e: unknown) => {
      assert.ok(e instanceof SparkifyError && e.code === 'SPK_E_CONFIG', String(e));
      assert.match(e.message, /not-a-folder/);
      return true;
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('reports progress and finishes with one done() line', async () => {
  const labels = new Set<string>();
  const done: string[] = [];
  const run = await simulateToTemp({ users: 300, days: 10, songs: 100, seed: 4, progress: { update: (label) => labels.add(label), done: (m) => done.push(m) } });
  try {
    assert.deepEqual([...labels].sort(), ['events', 'song files']);
    assert.equal(done.length, 1);
    assert.match(done[0]!, /^simulated [\d,]+ events in /);
  } finally {
    await run.remove();
  }
});
