import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SeededRandom } from '../../src/core/seeded-random.ts';
import { EventHeap } from '../../src/simulator/event-heap.ts';
import { ActivityCycle } from '../../src/simulator/activity.ts';
import { PAGES } from '../../src/simulator/pages.ts';
import { createSessionModel } from '../../src/simulator/session-model.ts';
import { GUEST, LOGGED_IN_FREE, LOGGED_IN_PAID, LOGGED_OUT } from '../../src/simulator/transitions.ts';
import type { Table } from '../../src/simulator/transitions.ts';

test('every page a table can lead to has a row where it will be looked up', () => {
  createSessionModel(); // throws on unknown page names
  const loggedIn = [LOGGED_IN_FREE, LOGGED_IN_PAID];
  // Logout hands over to the logged-out table and Login back to either logged-in one; Submit Upgrade and
  // Submit Downgrade switch between free and paid. Otherwise the next page is looked up in the same table.
  const lookedUpIn = (table: Table, from: string): Table[] => {
    if (from === 'Logout') return [LOGGED_OUT];
    if (from === 'Login') return loggedIn;
    if (from === 'Submit Upgrade') return [LOGGED_IN_PAID];
    if (from === 'Submit Downgrade') return [LOGGED_IN_FREE];
    return [table];
  };
  for (const table of [LOGGED_IN_FREE, LOGGED_IN_PAID, LOGGED_OUT, GUEST]) {
    for (const [from, row] of Object.entries(table)) {
      for (const [to, weight] of Object.entries(row)) {
        assert.ok(weight > 0, `${from} → ${to}`);
        if (to === 'END') continue;
        for (const next of lookedUpIn(table, from)) assert.ok(next[to] !== undefined, `${from} → ${to} has no row to continue from`);
      }
    }
  }
});

test('pages: GET answers 200 (Error 404), PUT redirects answer 307 except NextSong and Add to Playlist', () => {
  for (const p of PAGES) {
    if (p.name === 'Error') assert.deepEqual([p.method, p.status], ['GET', 404]);
    else if (p.method === 'GET') assert.equal(p.status, 200, p.name);
    else assert.equal(p.status, ['NextSong', 'Add to Playlist'].includes(p.name) ? 200 : 307, p.name);
  }
});

test('EventHeap pops keys in order', () => {
  const rng = new SeededRandom(1);
  const heap = new EventHeap(1000);
  const keys = Array.from({ length: 1000 }, () => rng.int(0, 50));
  keys.forEach((k, i) => heap.push(k, i));
  const out: number[] = [];
  while (heap.size > 0) {
    out.push(heap.topKey());
    if (out.length % 3 === 0 && heap.topKey() < 40) heap.replaceTopKey(heap.topKey() + 100);
    else heap.pop();
  }
  assert.deepEqual(out, [...out].sort((a, b) => a - b));
  assert.equal(out.length, 1000 + out.filter((k) => k >= 100).length);
});

test('ActivityCycle: session starts follow the hourly weights and the mean rate', () => {
  const cycle = new ActivityCycle(Array.from({ length: 24 }, (_, h) => (h % 2 === 0 ? 1 : 3)), [1, 1, 1, 1, 1, 1, 1]); // quiet and busy hours alternate
  const rng = new SeededRandom(3);
  const counts = [0, 0];
  let t = 0;
  let n = 0;
  while (n < 20000) {
    t = cycle.nextStart(rng, 24, t, Infinity); // 24 a day: one an hour on average
    counts[Math.floor(t / 3600) % 2]!++;
    n++;
  }
  assert.ok(Math.abs(counts[1]! / counts[0]! - 3) < 0.2, `busy/quiet ${counts[1]! / counts[0]!}`);
  // 20,000 starts at one an hour take about 20,000 hours.
  assert.ok(Math.abs(t / 3600 / 20000 - 1) < 0.03, `${t / 3600} hours`);
  assert.equal(cycle.nextStart(rng, 0.001, 0, 3600), Infinity);
});
