import type { FieldSpec } from './field-spec.ts';

/** Million-Song-Dataset song metadata, one object per song (a file may hold several). */
export interface SongRecord {
  num_songs: number | null;
  artist_id: string;
  artist_latitude: number | null;
  artist_longitude: number | null;
  artist_location: string | null;
  artist_name: string;
  song_id: string;
  title: string;
  duration: number;
  year: number | null;
}

export const songFields: readonly FieldSpec[] = [
  { name: 'num_songs', type: 'integer', nullable: true },
  { name: 'artist_id', type: 'string', nullable: false },
  { name: 'artist_latitude', type: 'number', nullable: true },
  { name: 'artist_longitude', type: 'number', nullable: true },
  { name: 'artist_location', type: 'string', nullable: true },
  { name: 'artist_name', type: 'string', nullable: false },
  { name: 'song_id', type: 'string', nullable: false },
  { name: 'title', type: 'string', nullable: false },
  { name: 'duration', type: 'number', nullable: false },
  { name: 'year', type: 'int32', nullable: true },
];

/** One eventsim log event. `userId` is a string, "" when nobody is logged in; `ts` is epoch milliseconds. */
export interface LogEvent {
  artist: string | null;
  auth: string;
  firstName: string | null;
  gender: string | null;
  itemInSession: number;
  lastName: string | null;
  length: number | null;
  level: string;
  location: string | null;
  method: string | null;
  page: string;
  registration: number | null;
  sessionId: number;
  song: string | null;
  status: number | null;
  ts: number;
  userAgent: string | null;
  userId: string;
}

export const logEventFields: readonly FieldSpec[] = [
  { name: 'artist', type: 'string', nullable: true },
  { name: 'auth', type: 'string', nullable: false },
  { name: 'firstName', type: 'string', nullable: true },
  { name: 'gender', type: 'string', nullable: true },
  { name: 'itemInSession', type: 'int32', nullable: false },
  { name: 'lastName', type: 'string', nullable: true },
  { name: 'length', type: 'number', nullable: true },
  { name: 'level', type: 'string', nullable: false },
  { name: 'location', type: 'string', nullable: true },
  { name: 'method', type: 'string', nullable: true },
  { name: 'page', type: 'string', nullable: false },
  { name: 'registration', type: 'number', nullable: true },
  { name: 'sessionId', type: 'int32', nullable: false },
  { name: 'song', type: 'string', nullable: true },
  { name: 'status', type: 'integer', nullable: true },
  { name: 'ts', type: 'integer', nullable: false },
  { name: 'userAgent', type: 'string', nullable: true },
  { name: 'userId', type: 'string', nullable: false },
];

/** The Cassandra project's event CSV: the log fields without userAgent, in the same order (17 columns). */
export type EventCsvRow = Omit<LogEvent, 'userAgent'>;

export const eventCsvFields: readonly FieldSpec[] = logEventFields.filter((f) => f.name !== 'userAgent');
