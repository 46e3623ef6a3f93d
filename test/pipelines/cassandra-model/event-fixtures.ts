import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';

/** A log event for fixtures: a real NextSong of the sample (user 8, session 139), with overrides. */
export type FixtureEvent = Record<string, string | number | null>;

export function event(overrides: FixtureEvent = {}): FixtureEvent {
  return {
    artist: "Des'ree", auth: 'Logged In', firstName: 'Kaylee', gender: 'F', itemInSession: 1, lastName: 'Summers',
    length: 246.30812, level: 'free', location: 'Phoenix-Mesa-Scottsdale, AZ', method: 'PUT', page: 'NextSong',
    registration: 1540344794796, sessionId: 139, song: 'You Gotta Be', status: 200, ts: 1541106106796,
    userAgent: 'Mozilla/5.0', userId: '8', ...overrides,
  };
}

const csvColumns = ['artist', 'auth', 'firstName', 'gender', 'itemInSession', 'lastName', 'length', 'level', 'location',
  'method', 'page', 'registration', 'sessionId', 'song', 'status', 'ts', 'userId'];

const cell = (v: string | number | null | undefined) => {
  if (v === null || v === undefined) return '';
  const text = String(v);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
};

/** A fresh directory removed after the test. */
export async function fixtureDir(t: TestContext): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'sparkify-cassandra-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** The course's event CSV layout: header + 17 columns; a string row is written as it is (for broken lines). */
export async function writeEventCsv(dir: string, name: string, rows: (FixtureEvent | string)[]): Promise<string> {
  await mkdir(join(dir, 'event_data'), { recursive: true });
  const file = join(dir, 'event_data', name);
  const lines = rows.map((r) => (typeof r === 'string' ? r : csvColumns.map((c) => cell(r[c])).join(',')));
  await writeFile(file, `${[csvColumns.join(','), ...lines].join('\n')}\n`);
  return file;
}

/** JSON lines as in log_data; a string row is written as it is. */
export async function writeLogJson(dir: string, name: string, rows: (FixtureEvent | string)[]): Promise<string> {
  await mkdir(join(dir, 'log_data'), { recursive: true });
  const file = join(dir, 'log_data', name);
  await writeFile(file, rows.map((r) => (typeof r === 'string' ? r : JSON.stringify(r))).join('\n'));
  return file;
}

/** A song title built to break any CQL that splices values: quotes of both kinds, semicolons, a comment, a batch. */
export const hostileTitle = `It's "Done"; DROP TABLE song_listeners; -- '); APPLY BATCH; ${"'"}`;
