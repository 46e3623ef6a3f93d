import type { CqlEngine, CqlRow } from '../../engines/cql-engine.ts';
import { cqlFile } from './cql-files.ts';

/**
 * The app team's questions, one table each. Every query names its table's whole partition key, so each answer is
 * one partition read — and none needs ALLOW FILTERING.
 */
export interface CassandraQuery<A> {
  /** CLI name: `sparkify cassandra query <name>`. */
  name: string;
  question: string;
  /** The CQL (cql/queries/<name>.cql) with `?` markers. */
  cql: string;
  /** The bound values, in marker order. */
  params(args: A): unknown[];
  /** Output columns, in order. */
  columns: readonly string[];
}

const query = <A>(q: Omit<CassandraQuery<A>, 'cql'>): CassandraQuery<A> => ({ ...q, cql: cqlFile(`queries/${q.name}`) });

export const cassandraQueries = {
  sessionSongs: query<{ session: number; item: number }>({
    name: 'session-songs',
    question: 'Q1: artist, song title and length heard at one item of one session',
    params: (a) => [a.session, a.item],
    columns: ['artist', 'song', 'length'],
  }),
  userSession: query<{ user: number; session: number }>({
    name: 'user-session',
    question: "Q2: artist and song (in play order) and the user's name, for one session of one user",
    params: (a) => [a.user, a.session],
    columns: ['item_in_session', 'artist', 'song', 'first_name', 'last_name'],
  }),
  songListeners: query<{ song: string }>({
    name: 'song-listeners',
    question: 'Q3: the first and last name of every user who listened to a song',
    params: (a) => [a.song],
    columns: ['user_id', 'first_name', 'last_name'],
  }),
  userSessions: query<{ user: number }>({
    name: 'user-sessions',
    question: "Q4: a user's sessions in time order, with the songs played and seconds listened in each",
    params: (a) => [a.user],
    columns: ['session_id', 'songs', 'seconds'],
  }),
  artistListeners: query<{ artist: string }>({
    name: 'artist-listeners',
    question: "Q5: an artist's listeners, with how many plays each",
    params: (a) => [a.artist],
    columns: ['user_id', 'first_name', 'last_name', 'level', 'plays'],
  }),
};

export interface QueryAnswer {
  query: string;
  cql: string;
  params: unknown[];
  rows: CqlRow[];
}

/** Runs one question against a loaded keyspace (the engine's current one). */
export async function answer<A>(engine: CqlEngine, q: CassandraQuery<A>, args: A): Promise<QueryAnswer> {
  const params = q.params(args);
  const rows = await engine.query(q.cql, params);
  return { query: q.name, cql: q.cql, params, rows: rows.map((r) => pick(r, q.columns)) };
}

function pick(row: CqlRow, columns: readonly string[]): CqlRow {
  const out: CqlRow = {};
  for (const c of columns) out[c] = row[c] ?? null;
  return out;
}
