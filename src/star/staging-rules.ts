import type { Located } from '../datasets/read-log-events.ts';
import { reject } from '../datasets/read-log-events.ts';
import type { QuarantineSink } from '../datasets/quarantine.ts';
import type { LogEvent, SongRecord } from '../datasets/schemas.ts';
import type { SourceCounts } from '../datasets/source-counts.ts';

export const stageSongColumns = [
  'seq', 'song_id', 'title', 'artist_id', 'year', 'duration',
  'artist_name', 'artist_location', 'artist_latitude', 'artist_longitude',
] as const;

export const stageEventColumns = [
  'ts', 'user_id', 'first_name', 'last_name', 'gender', 'level', 'song', 'artist',
  'length', 'session_id', 'item_in_session', 'location', 'user_agent',
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
 * as filtered. A NextSong event that cannot make a songplay (no user, no song) is quarantined with its field.
 */
export function eventCells(counts: SourceCounts, quarantine: QuarantineSink) {
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
    return [
      e.ts, Number(e.userId), e.firstName, e.lastName, e.gender, e.level, e.song, e.artist,
      e.length, e.sessionId, e.itemInSession, e.location, e.userAgent,
    ];
  };
}

function nextSongProblem(e: LogEvent): { field: string; reason: string } | undefined {
  if (!userIdPattern.test(e.userId)) {
    return { field: 'userId', reason: e.userId === '' ? 'NextSong event without a user' : `userId ${JSON.stringify(e.userId)} is not a positive integer` };
  }
  if (e.song === null) return { field: 'song', reason: 'NextSong event without a song' };
  if (e.artist === null) return { field: 'artist', reason: 'NextSong event without an artist' };
  return undefined;
}
