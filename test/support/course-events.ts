import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The course's event CSV files read the plainest way possible, for computing expected answers independently of
 * the platform's readers and loader: a small RFC 4180 parser and array filters, nothing shared with src/.
 */
export type RawEvent = Record<string, string>;

export function readRawEvents(dir: string): RawEvent[] {
  const out: RawEvent[] = [];
  for (const name of readdirSync(dir).filter((f) => f.endsWith('.csv')).sort()) {
    const [header, ...rows] = parseCsv(readFileSync(join(dir, name), 'utf8').replace(/^\uFEFF/, ''));
    for (const row of rows) {
      if (row.length === 1 && row[0] === '') continue;
      out.push(Object.fromEntries((header ?? []).map((h, i) => [h, row[i] ?? ''])));
    }
  }
  return out;
}

/** Rows of a whole CSV text: quoted fields may hold commas, doubled quotes and line breaks; CRLF or LF. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else cell += c;
  }
  if (cell !== '' || row.length > 0) {
    row.push(cell);
    rows.push(row);
  }
  return rows;
}

/** The course's own filter for event_datafile_new.csv: rows with an artist. */
export const plays = (events: RawEvent[]) => events.filter((e) => e.artist !== '');

const n = (s: string | undefined) => Number(s);

export function expectedSessionSongs(events: RawEvent[], session: number, item: number) {
  return plays(events).filter((e) => n(e.sessionId) === session && n(e.itemInSession) === item)
    .map((e) => ({ artist: e.artist, song: e.song, length: n(e.length) }));
}

export function expectedUserSession(events: RawEvent[], user: number, session: number) {
  return plays(events).filter((e) => n(e.userId) === user && n(e.sessionId) === session)
    .sort((a, b) => n(a.itemInSession) - n(b.itemInSession))
    .map((e) => ({ item_in_session: n(e.itemInSession), artist: e.artist, song: e.song, first_name: e.firstName, last_name: e.lastName }));
}

export function expectedSongListeners(events: RawEvent[], song: string) {
  const byUser = new Map<number, RawEvent>();
  for (const e of plays(events)) if (e.song === song) byUser.set(n(e.userId), e);
  return [...byUser].sort(([a], [b]) => a - b).map(([user_id, e]) => ({ user_id, first_name: e.firstName, last_name: e.lastName }));
}

export function expectedUserSessions(events: RawEvent[], user: number) {
  const bySession = new Map<number, { songs: number; seconds: number }>();
  for (const e of plays(events)) {
    if (n(e.userId) !== user) continue;
    const s = bySession.get(n(e.sessionId)) ?? { songs: 0, seconds: 0 };
    s.songs++;
    s.seconds += n(e.length);
    bySession.set(n(e.sessionId), s);
  }
  return [...bySession].sort(([a], [b]) => a - b).map(([session_id, s]) => ({ session_id, ...s }));
}

/** Name and level are those of the listener's first play of the artist (lowest session, then item). */
export function expectedArtistListeners(events: RawEvent[], artist: string) {
  const byUser = new Map<number, RawEvent[]>();
  for (const e of plays(events)) if (e.artist === artist) byUser.set(n(e.userId), [...(byUser.get(n(e.userId)) ?? []), e]);
  return [...byUser].sort(([a], [b]) => a - b).map(([user_id, es]) => {
    const first = [...es].sort((a, b) => n(a.sessionId) - n(b.sessionId) || n(a.itemInSession) - n(b.itemInSession))[0] as RawEvent;
    return { user_id, first_name: first.firstName, last_name: first.lastName, level: first.level, plays: es.length };
  });
}
