import type { LogEvent } from '../../datasets/schemas.ts';

/** One song play, the unit every query table is written from: the columns of the course's event_datafile_new.csv. */
export interface Play {
  artist: string;
  firstName: string | null;
  gender: string | null;
  itemInSession: number;
  lastName: string | null;
  length: number;
  level: string;
  location: string | null;
  sessionId: number;
  song: string;
  userId: number;
}

/** The denormalised file's columns, in the course's order. */
export const playColumns = ['artist', 'firstName', 'gender', 'itemInSession', 'lastName', 'length', 'level', 'location',
  'sessionId', 'song', 'userId'] as const satisfies readonly (keyof Play)[];

/** The fields a play is made of, present in both the JSON logs and the event CSV (which lacks only userAgent). */
export type PlaySourceRecord = Pick<LogEvent, 'artist' | 'firstName' | 'gender' | 'itemInSession' | 'lastName' | 'length' |
  'level' | 'location' | 'page' | 'sessionId' | 'song' | 'userId'>;

const userIdPattern = /^[1-9]\d{0,8}$/;
/** Cassandra refuses a partition key over 65,535 bytes; song and artist are partition keys. */
export const maxKeyBytes = 65_535;

/**
 * The rule that makes plays: a NextSong event is a play; every other page is filtered (counted, not an error).
 * A NextSong event that cannot make a play — no artist, song, length or user — is quarantined with its field.
 * On the course data "NextSong" and "has an artist" pick the same 6,820 rows (the course's own filter).
 */
export function toPlay(e: PlaySourceRecord): Play | 'filtered' | { field: string; reason: string } {
  if (e.page !== 'NextSong') return 'filtered';
  if (e.artist === null || e.artist === '') return { field: 'artist', reason: 'NextSong event without an artist' };
  if (e.song === null || e.song === '') return { field: 'song', reason: 'NextSong event without a song' };
  if (e.length === null) return { field: 'length', reason: 'NextSong event without a length' };
  if (!userIdPattern.test(e.userId)) {
    return { field: 'userId', reason: e.userId === '' ? 'NextSong event without a user' : `userId ${JSON.stringify(e.userId)} is not a positive integer` };
  }
  for (const [field, text] of [['artist', e.artist], ['song', e.song]] as const) {
    // Cheap first: a string under maxKeyBytes/3 UTF-16 units cannot exceed maxKeyBytes in UTF-8.
    const bytes = text.length * 3 > maxKeyBytes ? Buffer.byteLength(text) : 0;
    if (bytes > maxKeyBytes) return { field, reason: `${bytes} bytes: too long for a Cassandra partition key (at most ${maxKeyBytes})` };
  }
  return {
    artist: e.artist, firstName: e.firstName, gender: e.gender, itemInSession: e.itemInSession, lastName: e.lastName,
    length: e.length, level: e.level, location: e.location, sessionId: e.sessionId, song: e.song, userId: Number(e.userId),
  };
}
