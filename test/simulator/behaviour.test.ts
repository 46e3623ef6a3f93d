import assert from 'node:assert/strict';
import { test } from 'node:test';
import { requireDataset, sample } from '../support/datasets.ts';
import { logStats } from './log-stats.ts';
import type { LogStats } from './log-stats.ts';
import { logEvents, simulateToTemp } from './simulated-dataset.ts';

/**
 * The simulator against the course sample it was calibrated on (log_data, Nov 2018: 8,056 events, 97 users,
 * 30 days). One simulated month of 400 users must land within these tolerances of the sample's figures.
 * They are loose where the sample itself is small: its 97 users include a handful of heavy listeners, so
 * per-user figures swing by ±15-20% from seed to seed (seeds 1-10 all pass; their means are within 3% of the sample).
 */
const TOLERANCE = {
  /** Absolute difference in the share of events, for each page the sample shows, after setting aside pages it does not. */
  pageShare: { NextSong: 0.02, Home: 0.015, other: 0.003 },
  /** Pages the sample lacks (Thumbs Up, Add to Playlist, Roll Advert, Cancel, …) may take at most this share. */
  pagesNotInSample: 0.04,
  /** Relative differences. */
  playsPerSession: 0.2,
  eventsPerUser: 0.25,
  sessionsPerUser: 0.2,
  /** Absolute difference in the share of plays at level paid. */
  paidPlayShare: 0.06,
};

function within(name: string, actual: number, expected: number, tolerance: number, relative: boolean): void {
  const diff = relative ? Math.abs(actual - expected) / expected : Math.abs(actual - expected);
  assert.ok(diff <= tolerance, `${name}: simulated ${actual.toFixed(4)}, sample ${expected.toFixed(4)} (off by ${diff.toFixed(4)}${relative ? ' relative' : ''}, tolerance ${tolerance})`);
}

function report(s: LogStats): string {
  return `${s.events} events, ${s.playsPerSession.toFixed(2)} plays/session, ${s.eventsPerUser.toFixed(1)} events/user, ${s.sessionsPerUser.toFixed(2)} sessions/user, paid plays ${s.paidPlayShare.toFixed(3)}`;
}

test('a simulated month matches the course sample: page mix, plays per session, paid share, events per user', async (t) => {
  if (!requireDataset(t, sample.logs)) return;
  const real = logStats(await logEvents(sample.logs));
  const run = await simulateToTemp({ users: 400, days: 30, songs: 1000, seed: 2018, start: new Date('2018-11-01T00:00:00Z') });
  try {
    const sim = logStats(await logEvents(run.dir));
    t.diagnostic(`sample:    ${report(real)}`);
    t.diagnostic(`simulated: ${report(sim)}`);

    let notInSample = 0;
    for (const [page, share] of sim.pageMix) if (!real.pageMix.has(page)) notInSample += share;
    assert.ok(notInSample <= TOLERANCE.pagesNotInSample, `pages the sample lacks take ${notInSample}`);
    for (const [page, expected] of real.pageMix) {
      const actual = (sim.pageMix.get(page) ?? 0) / (1 - notInSample);
      const tolerance = page === 'NextSong' || page === 'Home' ? TOLERANCE.pageShare[page] : TOLERANCE.pageShare.other;
      within(`share of ${page}`, actual, expected, tolerance, false);
    }
    within('plays per session', sim.playsPerSession, real.playsPerSession, TOLERANCE.playsPerSession, true);
    within('events per user', sim.eventsPerUser, real.eventsPerUser, TOLERANCE.eventsPerUser, true);
    within('sessions per user', sim.sessionsPerUser, real.sessionsPerUser, TOLERANCE.sessionsPerUser, true);
    within('paid share of plays', sim.paidPlayShare, real.paidPlayShare, TOLERANCE.paidPlayShare, false);
  } finally {
    await run.remove();
  }
});
