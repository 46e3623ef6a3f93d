import { csvField, excelGeneral } from './csv-text.ts';
import { flat } from './flat.ts';
import { logJsonString } from './json-text.ts';

/**
 * The user columns of an event, pre-rendered together with the fixed text around them, in the pieces left
 * between the per-event values of the column order (itemInSession, length/level, page, sessionId, ts).
 * Built once per user and run (the run's millisecond offset ends every ts), reused for every event.
 */
export interface Who {
  /** `"firstName":…,"gender":…,"itemInSession":` */
  readonly jsonA: string;
  /** `,"lastName":…,"length":` */
  readonly jsonB: string;
  /** `"location":…,"method":"` */
  readonly jsonC: string;
  /** jsonC followed by the NextSong method and page, the common case. */
  readonly jsonCPlay: string;
  /** `"registration":….0,"sessionId":` */
  readonly jsonD: string;
  /** `796,"userAgent":…,"userId":"…"}`: the milliseconds of ts, then the rest of the line. */
  readonly jsonE: string;
  /** `first,gender,` */
  readonly csvA: string;
  /** `,last,` */
  readonly csvB: string;
  /** `location,` */
  readonly csvC: string;
  readonly csvCPlay: string;
  /** `registration,` */
  readonly csvD: string;
  /** `,userId\r\n` */
  readonly csvE: string;
}

export interface Person {
  readonly userId: string;
  readonly firstName: string;
  readonly lastName: string;
  readonly gender: 'F' | 'M';
  readonly location: string;
  /** As stored by eventsim: agents containing a comma are wrapped in double quotes, which are part of the value. */
  readonly userAgent: string;
  readonly registrationMs: number;
}

const msText = (offsetMs: number) => String(offsetMs).padStart(3, '0');

export function whoOf(p: Person, offsetMs: number): Who {
  const jsonC = `"location":${logJsonString(p.location)},"method":"`;
  const csvC = `${csvField(p.location)},`;
  return {
    jsonA: flat(`"firstName":${logJsonString(p.firstName)},"gender":"${p.gender}","itemInSession":`),
    jsonB: flat(`,"lastName":${logJsonString(p.lastName)},"length":`),
    jsonC: flat(jsonC),
    jsonCPlay: flat(`${jsonC}PUT","page":"NextSong",`),
    // eventsim wrote registration as a double, hence the `.0`.
    jsonD: flat(`"registration":${p.registrationMs}.0,"sessionId":`),
    jsonE: flat(`${msText(offsetMs)},"userAgent":${logJsonString(p.userAgent)},"userId":${logJsonString(p.userId)}}`),
    csvA: flat(`${csvField(p.firstName)},${p.gender},`),
    csvB: flat(`,${csvField(p.lastName)},`),
    csvC: flat(csvC),
    csvCPlay: flat(`${csvC}PUT,NextSong,`),
    csvD: flat(`${excelGeneral(p.registrationMs)},`),
    csvE: flat(`,${csvField(p.userId)}\r\n`),
  };
}

/**
 * Stands for "not rendered yet" in places that hold a Who. A real object rather than null on purpose: a field
 * that only ever holds objects of one shape lets the engine skip checks on every event
 * (docs/decisions/2026-11-25-simulator-pre-rendered-lines.md).
 */
export const UNSET_WHO: Who = { jsonA: '', jsonB: '', jsonC: '', jsonCPlay: '', jsonD: '', jsonE: '', csvA: '', csvB: '', csvC: '', csvCPlay: '', csvD: '', csvE: '' };

/** Logged-out users and guests: every user column null, except userId which is an empty string. */
export function anonymousWho(offsetMs: number): Who {
  return {
    jsonA: '"firstName":null,"gender":null,"itemInSession":',
    jsonB: ',"lastName":null,"length":',
    jsonC: '"location":null,"method":"',
    jsonCPlay: '"location":null,"method":"PUT","page":"NextSong",',
    jsonD: '"registration":null,"sessionId":',
    jsonE: flat(`${msText(offsetMs)},"userAgent":null,"userId":""}`),
    csvA: ',,',
    csvB: ',,',
    csvC: ',',
    csvCPlay: ',PUT,NextSong,',
    csvD: ',',
    csvE: ',\r\n',
  };
}
