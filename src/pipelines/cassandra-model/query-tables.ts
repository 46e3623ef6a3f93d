import { cqlFile } from './cql-files.ts';
import type { Play } from './play.ts';

export const tableNames = ['session_songs', 'user_session_songs', 'song_listeners', 'user_sessions', 'artist_listeners'] as const;
export type TableName = (typeof tableNames)[number];

/** The three tables of the course's questions (Q1-Q3); the benchmark loads these. */
export const courseTables: readonly TableName[] = ['session_songs', 'user_session_songs', 'song_listeners'];

export interface QueryTable {
  name: TableName;
  /** CREATE TABLE, with the key design explained in its comments (cql/tables/<name>.cql). */
  ddl: string;
  /** The prepared INSERT (cql/inserts/<name>.cql). */
  insert: string;
  /** How many leading values of `values()` form the partition key: rows that agree on them may share a batch. */
  partitionKeyValues: number;
  /** The bound values of the INSERT, in its column order; null becomes unset so no tombstone is written. */
  values(play: Play): unknown[];
}

const unset = (v: string | null) => v ?? undefined;

const specs: Record<TableName, Omit<QueryTable, 'name' | 'ddl' | 'insert'>> = {
  session_songs: { partitionKeyValues: 2, values: (p) => [p.sessionId, p.itemInSession, p.userId, p.artist, p.song, p.length] },
  user_session_songs: {
    partitionKeyValues: 2,
    values: (p) => [p.userId, p.sessionId, p.itemInSession, p.artist, p.song, unset(p.firstName), unset(p.lastName)],
  },
  song_listeners: { partitionKeyValues: 1, values: (p) => [p.song, p.userId, unset(p.firstName), unset(p.lastName)] },
  user_sessions: { partitionKeyValues: 1, values: (p) => [p.userId, p.sessionId, p.itemInSession, p.length] },
  artist_listeners: {
    partitionKeyValues: 1,
    values: (p) => [p.artist, p.userId, p.sessionId, p.itemInSession, unset(p.firstName), unset(p.lastName), p.level],
  },
};

export function queryTable(name: TableName): QueryTable {
  return { name, ddl: cqlFile(`tables/${name}`), insert: cqlFile(`inserts/${name}`), ...specs[name] };
}
