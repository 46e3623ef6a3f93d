/**
 * Independent re-implementations of the course formats, written from the files rather than from the
 * simulator's code, to check the simulator's bytes against. Slow and simple on purpose.
 */

const nonAscii = /[\u007f-\uffff]/g;
const escapeNonAscii = (s: string) => s.replace(nonAscii, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

/** eventsim's JSON line: compact, '/' escaped, non-ASCII escaped, registration as a double. */
export function referenceLogLine(event: Record<string, unknown>): string {
  const parts = Object.entries(event).map(([key, value]) => {
    let text: string;
    if (value === null) text = 'null';
    else if (typeof value === 'string') text = escapeNonAscii(JSON.stringify(value)).replaceAll('/', '\\/');
    else if (key === 'registration') text = `${value}.0`;
    else text = String(value);
    return `"${key}":${text}`;
  });
  return `{${parts.join(',')}}`;
}

/** Excel's General format for a 13-digit number: six significant digits, as `1.54092E+12`. */
export function referenceExcel(value: number): string {
  const [mantissa, exponent] = value.toExponential(5).split('e');
  return `${mantissa!.replace(/\.?0+$/, '')}E${exponent!.replace(/^([+-])(\d)$/, '$10$2')}`;
}

export function referenceCsvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/** The event_data row of a log event: 17 columns, no userAgent, numbers of 13 digits Excel-mangled, CRLF. */
export function referenceCsvRow(event: Record<string, unknown>): string {
  const cells = Object.entries(event)
    .filter(([key]) => key !== 'userAgent')
    .map(([key, value]) => {
      if (value === null) return '';
      if (key === 'registration' || key === 'ts') return referenceExcel(value as number);
      return referenceCsvField(String(value));
    });
  return `${cells.join(',')}\r\n`;
}

/** Python's json.dumps with its defaults (", " and ": ", ensure_ascii, float repr) for a song file. */
export function referenceSongFile(song: Record<string, unknown>): string {
  const parts = Object.entries(song).map(([key, value]) => {
    let text: string;
    if (value === null) text = 'null';
    else if (typeof value === 'string') text = escapeNonAscii(JSON.stringify(value));
    else if (key === 'artist_latitude' || key === 'artist_longitude' || key === 'duration') text = Number.isInteger(value) ? `${value}.0` : String(value);
    else text = String(value);
    return `"${key}": ${text}`;
  });
  return `{${parts.join(', ')}}`;
}

export const LOG_FIELDS = [
  'artist', 'auth', 'firstName', 'gender', 'itemInSession', 'lastName', 'length', 'level', 'location', 'method', 'page',
  'registration', 'sessionId', 'song', 'status', 'ts', 'userAgent', 'userId',
] as const;

export const CSV_HEADER = 'artist,auth,firstName,gender,itemInSession,lastName,length,level,location,method,page,registration,sessionId,song,status,ts,userId';

export const SONG_FIELDS = [
  'num_songs', 'artist_id', 'artist_latitude', 'artist_longitude', 'artist_location', 'artist_name', 'song_id', 'title', 'duration', 'year',
] as const;
