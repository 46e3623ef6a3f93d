import { msPerDay, splitTimestamp } from '../../core/time-of-day.ts';
import type { Located } from '../../datasets/read-log-events.ts';
import { reject } from '../../datasets/read-log-events.ts';
import type { QuarantineSink } from '../../datasets/quarantine.ts';
import type { LogEvent, SongRecord } from '../../datasets/schemas.ts';
import type { SourceCounts } from '../../datasets/source-counts.ts';
import type { LatestUsers } from './latest-users.ts';
import type { SongCatalog } from './song-catalog.ts';

export const stageSongColumns = [
  'seq', 'song_id', 'title', 'artist_id', 'year', 'duration',
  'artist_name', 'artist_location', 'artist_latitude', 'artist_longitude',
] as const;

/** The columns of songplays (and stage_songplays), in the order playCells gives them. */
export const songplayColumns = [
  'songplay_id', 'start_time', 'user_id', 'level', 'song_id', 'artist_id', 'session_id', 'location', 'user_agent',
] as const;

const userIdPattern = /^[1-9]\d{0,8}$/;

/** A staged song row; every song record that validated is staged (duplicates are resolved in SQL). */
export function songCells(counts: SourceCounts) {
  let seq = 0;
  return ({ record: s }: Located<SongRecord>) => {
    counts.loaded++;
    return [seq++, s.song_id, s.title, s.artist_id, s.year, s.duration, s.artist_name, s.artist_location, s.artist_latitude, s.artist_longitude];
  };
}

/**
 * The course's rule: songplays, users and time come only from NextSong events, so other pages are counted
 * as filtered. A NextSong event that cannot make a songplay (no user, no song, a ts no timestamp can hold) is
 * quarantined with its field. A play is matched to the catalog here, its id is its natural key
 * "sessionId:itemInSession:userId" (so re-loading the same input yields the same ids), and its user's latest
 * observation goes to `users` (`fileIndex`: where the current file stands in the whole load's files).
 */
export function playCells(catalog: SongCatalog, users: LatestUsers, counts: SourceCounts, quarantine: QuarantineSink, fileIndex: () => number = () => 0) {
  const timestampText = timestampFormatter();
  return ({ record: e, file, line, raw }: Located<LogEvent>) => {
    if (e.page !== 'NextSong') {
      counts.filtered++;
      return undefined;
    }
    const problem = nextSongProblem(e);
    if (problem !== undefined) {
      reject(quarantine, counts, file, line, problem.field, problem.reason, raw);
      return undefined;
    }
    counts.loaded++;
    const userId = Number(e.userId);
    users.observe(userId, e, fileIndex());
    const song = catalog.match(e.song as string, e.artist as string, e.length);
    return [
      `${e.sessionId}:${e.itemInSession}:${userId}`, timestampText(e.ts), userId, e.level,
      song === undefined ? null : song[0], song === undefined ? null : song[1], e.sessionId, e.location, e.userAgent,
    ];
  };
}

/**
 * Epoch milliseconds (an integer) as the text of a timestamp without time zone (UTC), exact to the millisecond:
 * "2018-11-01T00:00:31.245" (PostgreSQL reads the T as the separator). A formatter remembers the day it last wrote
 * (log files hold a day each), and writes the time of day from tables of digits.
 */
export function timestampFormatter(): (ts: number) => string {
  let day = Number.NaN;
  let prefix = '';
  const parts = new Int32Array(4);
  return (ts) => {
    const d = splitTimestamp(ts, parts);
    if (d !== day) {
      day = d;
      prefix = new Date(d * msPerDay).toISOString().slice(0, 11);
    }
    return `${prefix}${twoDigits[parts[0] as number]}:${twoDigits[parts[1] as number]}:${twoDigits[parts[2] as number]}.${threeDigits[parts[3] as number]}`;
  };
}

const twoDigits = Array.from({ length: 60 }, (_, i) => String(i).padStart(2, '0'));
const threeDigits = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, '0'));

/** The years an ISO timestamp writes with four digits, as PostgreSQL reads them: 0001-01-01 to 9999-12-31. */
const earliestTs = -62_135_596_800_000; // Date.UTC reads the year 1 as 1901, hence the literal
export const latestTs = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

function nextSongProblem(e: LogEvent): { field: string; reason: string } | undefined {
  if (!userIdPattern.test(e.userId)) {
    return { field: 'userId', reason: e.userId === '' ? 'NextSong event without a user' : `userId ${JSON.stringify(e.userId)} is not a positive integer` };
  }
  if (e.song === null) return { field: 'song', reason: 'NextSong event without a song' };
  if (e.artist === null) return { field: 'artist', reason: 'NextSong event without an artist' };
  if (e.ts < earliestTs || e.ts > latestTs) return { field: 'ts', reason: `ts ${e.ts} is outside the years 1 to 9999` };
  return undefined;
}
