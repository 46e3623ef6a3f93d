import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { listFiles, logLines, simulateToTemp } from './simulated-dataset.ts';

interface PlayCheck {
  plays: number;
  matched: number;
  /** Plays per catalog song, most played first. */
  counts: number[];
}

/**
 * Joins the plays to the catalog the way the ETL does (title + artist name + duration) but on the raw text
 * of each file, so that a duration printed with other digits would count as a miss.
 */
async function checkPlays(dir: string): Promise<PlayCheck> {
  const catalog = new Map<string, string>(); // `${title}\u0000${artist}` -> duration text
  const plays = new Map<string, number>();
  for (const file of (await listFiles(dir)).filter((f) => f.startsWith('song_data/'))) {
    const text = await readFile(join(dir, file), 'utf8');
    const o = JSON.parse(text);
    const duration = /"duration": ([^,]+),/.exec(text)?.[1];
    assert.ok(duration);
    catalog.set(`${o.title}\u0000${o.artist_name}`, duration);
    plays.set(`${o.title}\u0000${o.artist_name}`, 0);
  }
  let total = 0;
  let matched = 0;
  for (const { lines } of await logLines(dir)) {
    for (const line of lines) {
      const e = JSON.parse(line);
      if (e.page !== 'NextSong') continue;
      total++;
      const key = `${e.song}\u0000${e.artist}`;
      const duration = catalog.get(key);
      if (duration === undefined) continue;
      assert.equal(/"length":([^,]+),/.exec(line)?.[1], duration, `a play of a catalog song carries its exact duration: ${line}`);
      matched++;
      plays.set(key, (plays.get(key) ?? 0) + 1);
    }
  }
  return { plays: total, matched, counts: [...plays.values()].sort((a, b) => b - a) };
}

test('plays refer to catalog songs exactly (title, artist, duration text), except the configured off-catalog share', async () => {
  const run = await simulateToTemp({ users: 300, days: 10, songs: 300, seed: 21, offCatalogShare: 0.25 });
  try {
    const check = await checkPlays(run.dir);
    assert.equal(check.plays, run.summary.nextSongEvents);
    assert.equal(check.plays - check.matched, run.summary.offCatalogPlays);
    const offShare = 1 - check.matched / check.plays;
    assert.ok(check.plays > 5000, `${check.plays} plays`);
    assert.ok(Math.abs(offShare - 0.25) < 0.03, `off-catalog share ${offShare}, configured 0.25`);
    // Zipf-like popularity: the top tenth of the catalog takes well over a tenth of the plays.
    const top = check.counts.slice(0, 30).reduce((a, b) => a + b, 0);
    assert.ok(top / check.matched > 0.3, `top 10% of songs get ${top / check.matched} of plays`);
    assert.ok(check.counts[0]! > 5 * check.counts[150]!, `most played ${check.counts[0]}, median ${check.counts[150]}`);
  } finally {
    await run.remove();
  }
});

test('with offCatalogShare 0 every play is a catalog song', async () => {
  const run = await simulateToTemp({ users: 60, days: 5, songs: 50, seed: 3, offCatalogShare: 0 });
  try {
    const check = await checkPlays(run.dir);
    assert.ok(check.plays > 500);
    assert.equal(check.matched, check.plays);
    assert.equal(run.summary.offCatalogPlays, 0);
  } finally {
    await run.remove();
  }
});
