import { excelGeneral } from './csv-text.ts';
import { flat } from './flat.ts';
import { PAGES } from './pages.ts';
import type { Song } from './song.ts';
import type { Who } from './who.ts';

/** auth column values, indexed by session mode (MODE_IN, MODE_OUT, MODE_GUEST) and then Cancelled. */
export const AUTHS = ['Logged In', 'Logged Out', 'Guest', 'Cancelled'] as const;
export const AUTH_CANCELLED = 3;
const LEVELS = ['free', 'paid'] as const;

/**
 * Renders events in the course's two formats. Each event is a concatenation of fixed pieces prepared once
 * (per page, per auth, per level, per user, per song): at a few hundred thousand events a second,
 * JSON.stringify per event would cost more than everything else put together, and could not produce
 * eventsim's escaping anyway.
 */
export class EventFormat {
  private readonly jsonAuth = AUTHS.map((a) => flat(`,"auth":"${a}",`));
  private readonly jsonLevel = LEVELS.map((l) => flat(`,"level":"${l}",`));
  private readonly jsonPage = PAGES.map((p) => flat(`${p.method}","page":"${p.name}",`));
  private readonly jsonStatus = PAGES.map((p) => flat(`,"status":${p.status},"ts":`));
  private readonly csvAuth = AUTHS.map((a) => flat(`,${a},`));
  private readonly csvLevel = LEVELS.map((l) => flat(`,${l},`));
  private readonly csvPage = PAGES.map((p) => flat(`${p.method},${p.name},`));
  private readonly csvStatus = PAGES.map((p) => flat(`,${p.status},`));
  // ts changes its Excel rendering only every 10^7 ms, so the last one is remembered.
  private excelKey = -1;
  private excelText = '';
  private readonly offsetMs: number;
  /** ts is written as the second followed by these three digits: small integers convert to text much faster than 13-digit ones. */
  private readonly msText: string;

  constructor(offsetMs: number) {
    if (!Number.isInteger(offsetMs) || offsetMs < 0 || offsetMs > 999) throw new RangeError(`offsetMs must be 0-999, got ${offsetMs}`);
    this.offsetMs = offsetMs;
    this.msText = String(offsetMs).padStart(3, '0');
  }

  json(who: Who, auth: number, level: number, page: number, sessionId: number, item: number, second: number, song: Song | null): string {
    return (
      '{"artist":' + (song === null ? 'null' : song.artistJson) + this.jsonAuth[auth] + who.jsonA + item + who.jsonB +
      (song === null ? 'null' : song.durationText) + this.jsonLevel[level] + who.jsonC + this.jsonPage[page] + who.jsonD +
      sessionId + ',"song":' + (song === null ? 'null' : song.titleJson) + this.jsonStatus[page] + second + this.msText + ',' + who.jsonE
    );
  }

  csv(who: Who, auth: number, level: number, page: number, sessionId: number, item: number, second: number, song: Song | null): string {
    return (
      (song === null ? '' : song.artistCsv) + this.csvAuth[auth] + who.csvA + item + ',' + who.csvB +
      (song === null ? '' : song.durationText) + this.csvLevel[level] + who.csvC + this.csvPage[page] + who.csvD +
      sessionId + ',' + (song === null ? '' : song.titleCsv) + this.csvStatus[page] + this.excelTs(second * 1000 + this.offsetMs) + ',' + who.csvE + '\r\n'
    );
  }

  /** Valid for 13-digit timestamps (2001-09-09 to 2286-11-20), which the options enforce. */
  private excelTs(ts: number): string {
    const key = Math.round(ts / 1e7);
    if (key !== this.excelKey) {
      this.excelKey = key;
      this.excelText = excelGeneral(ts);
    }
    return this.excelText;
  }
}

export const CSV_HEADER = 'artist,auth,firstName,gender,itemInSession,lastName,length,level,location,method,page,registration,sessionId,song,status,ts,userId\r\n';
