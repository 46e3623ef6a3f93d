import { csvField, excelGeneral } from './csv-text.ts';
import { flat } from './flat.ts';
import { logJsonString } from './json-text.ts';

/**
 * The user columns of an event, pre-rendered around the per-event fields that sit between them in the
 * fixed column order (itemInSession, length, method, sessionId). Built once per user, reused for every event.
 */
export interface Who {
  /** `"firstName":…,"gender":…,"itemInSession":` */
  readonly jsonA: string;
  /** `,"lastName":…,"length":` */
  readonly jsonB: string;
  /** `"location":…,"method":"` */
  readonly jsonC: string;
  /** `"registration":….0,"sessionId":` */
  readonly jsonD: string;
  /** `"userAgent":…,"userId":"…"}` */
  readonly jsonE: string;
  /** `first,gender,` */
  readonly csvA: string;
  /** `last,` */
  readonly csvB: string;
  /** `location,` */
  readonly csvC: string;
  /** `registration,` */
  readonly csvD: string;
  /** `userId` */
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

export function whoOf(p: Person): Who {
  return {
    jsonA: flat(`"firstName":${logJsonString(p.firstName)},"gender":"${p.gender}","itemInSession":`),
    jsonB: flat(`,"lastName":${logJsonString(p.lastName)},"length":`),
    jsonC: flat(`"location":${logJsonString(p.location)},"method":"`),
    // eventsim wrote registration as a double, hence the `.0`.
    jsonD: flat(`"registration":${p.registrationMs}.0,"sessionId":`),
    jsonE: flat(`"userAgent":${logJsonString(p.userAgent)},"userId":${logJsonString(p.userId)}}`),
    csvA: flat(`${csvField(p.firstName)},${p.gender},`),
    csvB: flat(`${csvField(p.lastName)},`),
    csvC: flat(`${csvField(p.location)},`),
    csvD: flat(`${excelGeneral(p.registrationMs)},`),
    csvE: flat(csvField(p.userId)),
  };
}

/** Logged-out users and guests: every user column null, except userId which is an empty string. */
export const ANONYMOUS: Who = {
  jsonA: '"firstName":null,"gender":null,"itemInSession":',
  jsonB: ',"lastName":null,"length":',
  jsonC: '"location":null,"method":"',
  jsonD: '"registration":null,"sessionId":',
  jsonE: '"userAgent":null,"userId":""}',
  csvA: ',,',
  csvB: ',',
  csvC: ',',
  csvD: ',',
  csvE: '',
};
