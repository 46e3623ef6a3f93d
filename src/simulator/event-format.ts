import { csvField, excelGeneral } from './csv-text.ts';
import { flat } from './flat.ts';
import { logJsonString } from './json-text.ts';
import { PAGES } from './pages.ts';
import type { Who } from './who.ts';

/** auth column values, indexed by session mode (MODE_IN, MODE_OUT, MODE_GUEST) and then Cancelled. */
export const AUTHS = ['Logged In', 'Logged Out', 'Guest', 'Cancelled'] as const;
export const AUTH_CANCELLED = 3;
const LEVELS = ['free', 'paid'] as const;

export const CSV_HEADER = 'artist,auth,firstName,gender,itemInSession,lastName,length,level,location,method,page,registration,sessionId,song,status,ts,userId\r\n';

/** A song's share of a NextSong event, pre-rendered: plays are always logged in, PUT and 200. */
export interface SongFragments {
  /** `{"artist":"…","auth":"Logged In",` */
  readonly jsonHead: string;
  /** `246.30812,"level":"free",` and the paid variant. */
  readonly jsonLength: readonly [string, string];
  /** `,"song":"…","status":200,"ts":` */
  readonly jsonTail: string;
  readonly csvHead: string;
  readonly csvLength: readonly [string, string];
  readonly csvTail: string;
}

export function songFragments(artist: string, title: string, durationText: string): SongFragments {
  return {
    jsonHead: flat(`{"artist":${logJsonString(artist)},"auth":"Logged In",`),
    jsonLength: [flat(`${durationText},"level":"free",`), flat(`${durationText},"level":"paid",`)],
    jsonTail: flat(`,"song":${logJsonString(title)},"status":200,"ts":`),
    csvHead: flat(`${csvField(artist)},Logged In,`),
    csvLength: [flat(`${durationText},free,`), flat(`${durationText},paid,`)],
    csvTail: flat(`,${csvField(title)},200,`),
  };
}

/**
 * Renders events in the course's two formats by concatenating pieces prepared once (per song, per user,
 * per page, auth and level), about a dozen per line. At the simulator's rate JSON.stringify per event would
 * cost more than everything else together (docs/decisions/2026-11-25-simulator-pre-rendered-lines.md), and
 * could not produce eventsim's escaping anyway.
 */
export class EventFormat {
  private readonly jsonHead = AUTHS.map((a) => flat(`{"artist":null,"auth":"${a}",`));
  private readonly jsonLength = LEVELS.map((l) => flat(`null,"level":"${l}",`));
  private readonly jsonPage = PAGES.map((p) => flat(`${p.method}","page":"${p.name}",`));
  private readonly jsonTail = PAGES.map((p) => flat(`,"song":null,"status":${p.status},"ts":`));
  private readonly csvHead = AUTHS.map((a) => flat(`,${a},`));
  private readonly csvLength = LEVELS.map((l) => flat(`,${l},`));
  private readonly csvPage = PAGES.map((p) => flat(`${p.method},${p.name},`));
  private readonly csvTail = PAGES.map((p) => flat(`,,${p.status},`));
  private readonly offsetMs: number;
  // ts changes its Excel rendering only every 10^7 ms, so the last one is remembered.
  private excelKey = -1;
  private excelText = '';

  /** `offsetMs` must be the one the Who fragments were built with: ts is written as the second, then those three digits. */
  constructor(offsetMs: number) {
    if (!Number.isInteger(offsetMs) || offsetMs < 0 || offsetMs > 999) throw new RangeError(`offsetMs must be 0-999, got ${offsetMs}`);
    this.offsetMs = offsetMs;
  }

  playJson(who: Who, level: number, sessionId: number, item: number, second: number, song: SongFragments): string {
    return song.jsonHead + who.jsonA + item + who.jsonB + song.jsonLength[level] + who.jsonCPlay + who.jsonD + sessionId + song.jsonTail + second + who.jsonE;
  }

  playCsv(who: Who, level: number, sessionId: number, item: number, second: number, song: SongFragments): string {
    return song.csvHead + who.csvA + item + who.csvB + song.csvLength[level] + who.csvCPlay + who.csvD + sessionId + song.csvTail + this.excelTs(second) + who.csvE;
  }

  pageJson(who: Who, auth: number, level: number, page: number, sessionId: number, item: number, second: number): string {
    return (
      this.jsonHead[auth] + who.jsonA + item + who.jsonB + this.jsonLength[level] + who.jsonC + this.jsonPage[page] + who.jsonD + sessionId +
      this.jsonTail[page] + second + who.jsonE
    );
  }

  pageCsv(who: Who, auth: number, level: number, page: number, sessionId: number, item: number, second: number): string {
    return (
      this.csvHead[auth] + who.csvA + item + who.csvB + this.csvLength[level] + who.csvC + this.csvPage[page] + who.csvD + sessionId +
      this.csvTail[page] + this.excelTs(second) + who.csvE
    );
  }

  /** Valid for 13-digit timestamps (2001-09-09 to 2286-11-20), which the options enforce. */
  private excelTs(second: number): string {
    const ts = second * 1000 + this.offsetMs;
    const key = Math.round(ts / 1e7);
    if (key !== this.excelKey) {
      this.excelKey = key;
      this.excelText = excelGeneral(ts);
    }
    return this.excelText;
  }
}
