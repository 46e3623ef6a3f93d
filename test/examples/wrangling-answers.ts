import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { filesUnder } from '../pipelines/lake/lake-fixtures.ts';

/**
 * The wrangling questions' answers computed in plain TypeScript from the raw log files, independently of any engine:
 * the SQL files (wrangling.test.ts) and the DataFrame versions (wrangling-dataframe.test.ts) are both checked
 * against these. Rows are shaped as the examples return them.
 */
export interface Event { userId: string; page: string; gender: string | null; artist: string | null; ts: number }

export function readEvents(input: string): Event[] {
  return filesUnder(join(input, 'log_data'), '.json')
    .flatMap((f) => readFileSync(f, 'utf8').split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as Event));
}

const count = <K>(keys: K[]) => keys.reduce((m, k) => m.set(k, (m.get(k) ?? 0) + 1), new Map<K, number>());
const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Pages never visited by the visitor with the empty userId, sorted; and how many pages that visitor did visit. */
export function pagesNeverVisited(events: Event[]): { rows: { page: string }[]; visited: number } {
  const visited = new Set(events.filter((e) => e.userId === '').map((e) => e.page));
  const rows = [...new Set(events.map((e) => e.page))].filter((p) => !visited.has(p)).sort(byText).map((page) => ({ page }));
  return { rows, visited: visited.size };
}

export function distinctUsersOfGender(events: Event[], gender = 'F'): { users: number }[] {
  return [{ users: new Set(events.filter((e) => e.gender === gender).map((e) => e.userId)).size }];
}

export function mostPlayedArtist(events: Event[]): { artist: string; plays: number }[] {
  const plays = [...count(events.filter((e) => e.page === 'NextSong').map((e) => e.artist as string))]
    .sort(([a, x], [b, y]) => y - x || byText(a, b));
  return plays.slice(0, 1).map(([artist, n]) => ({ artist, plays: n }));
}

/** Per user: a NextSong's period is the number of Home visits at or after its time (newest first, ties together). */
export function songsBetweenHomeVisits(events: Event[]): number {
  const groups = new Map<string, number>();
  const byUser = Map.groupBy(events.filter((e) => e.page === 'NextSong' || e.page === 'Home'), (e) => e.userId);
  for (const [user, list] of byUser) {
    const homes = list.filter((e) => e.page === 'Home').map((e) => e.ts);
    for (const e of list) {
      if (e.page !== 'NextSong') continue;
      const key = `${user}\u0000${homes.filter((ts) => ts >= e.ts).length}`;
      groups.set(key, (groups.get(key) ?? 0) + 1);
    }
  }
  return [...groups.values()].reduce((a, b) => a + b, 0) / groups.size;
}

/** Plays per hour of the day, UTC. */
export function hourlyPlays(events: Event[]): { hour: number; plays: number }[] {
  return [...count(events.filter((e) => e.page === 'NextSong').map((e) => new Date(e.ts).getUTCHours()))]
    .sort(([a], [b]) => a - b).map(([hour, plays]) => ({ hour, plays }));
}

export function usersWhoDowngraded(events: Event[]): { userId: string }[] {
  return [...new Set(events.filter((e) => e.page === 'Submit Downgrade').map((e) => e.userId))].sort(byText).map((userId) => ({ userId }));
}
