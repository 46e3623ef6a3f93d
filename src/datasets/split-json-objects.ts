import { createReadStream } from 'node:fs';
import { unreadableInput } from '../core/errors.ts';

export type JsonPiece =
  | { kind: 'object'; line: number; bytes: Buffer; repairs: string[] }
  | { kind: 'bad'; line: number; reason: string; raw: string };

const OPEN = 0x7b;
const CLOSE = 0x7d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const NEWLINE = 0x0a;
const lossy = new TextDecoder('utf-8');

/**
 * Splits a file holding one or several concatenated top-level JSON objects (pretty-printed or not) into the
 * bytes of each object, streaming and in bounded memory. It scans bytes, not characters: the structural
 * characters are ASCII and never occur inside a UTF-8 multi-byte sequence, so decoding can wait until an
 * object is complete. Text outside objects, unbalanced braces, a truncated last object and objects larger
 * than `maxObjectBytes` come back as 'bad' pieces with the line they start on.
 */
export interface SplitOptions {
  /**
   * JSON strings cannot hold a raw line break, so one inside a string means the object was cut (a truncated line of
   * a JSON-lines file): end it there as a bad piece and carry on with the next line, instead of reading on until
   * the quotes and braces happen to balance and losing the records in between. Off by default.
   */
  lineBreakEndsString?: boolean;
}

export async function* splitJsonObjects(source: string | AsyncIterable<Uint8Array>, maxObjectBytes = 4 * 1024 * 1024, options: SplitOptions = {}): AsyncGenerator<JsonPiece> {
  const lineBreakEndsString = options.lineBreakEndsString ?? false;
  let depth = 0;
  let inString = false;
  let escaped = false;
  let line = 1;
  let startLine = 0;
  let parts: Buffer[] = [];
  let size = 0;
  let tooBig = false;
  let stray: number[] = [];
  let strayLine = 0;
  let first = true;
  let bom = false;
  // A path is read here; any other byte stream (an object from a store) is taken as it comes.
  const stream: AsyncIterable<Uint8Array> = typeof source === 'string' ? createReadStream(source, { highWaterMark: 256 * 1024 }) : source;

  const flushStray = (): JsonPiece | undefined => {
    if (stray.length === 0) return undefined;
    const text = lossy.decode(Uint8Array.from(stray)).trim();
    stray = [];
    return text === '' ? undefined : { kind: 'bad', line: strayLine, reason: 'text outside a JSON object', raw: text };
  };

  try {
    for await (const bytes of stream) {
      const chunk = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      let objectStart = depth > 0 ? 0 : -1;
      let i0 = 0;
      if (first) {
        first = false;
        // A byte-order mark before the first object is stripped and reported as a repair.
        if (chunk.length >= 3 && chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) {
          bom = true;
          i0 = 3;
        }
      }
      for (let i = i0; i < chunk.length; i++) {
        const b = chunk[i] as number;
        if (b === NEWLINE) line++;
        if (depth === 0) {
          if (b === OPEN) {
            const s = flushStray();
            if (s) yield s;
            depth = 1;
            startLine = line;
            objectStart = i;
            inString = false;
            escaped = false;
          } else if (stray.length > 0 || (b !== 0x20 && b !== NEWLINE && b !== 0x0d && b !== 0x09)) {
            // Whitespace is skipped only before stray text: inside it, it is part of the raw text quarantined.
            if (stray.length === 0) strayLine = line;
            if (stray.length < 2048) stray.push(b);
          }
          continue;
        }
        if (inString) {
          if (escaped) escaped = false;
          else if (b === BACKSLASH) escaped = true;
          else if (b === QUOTE) inString = false;
          else if (b === NEWLINE && lineBreakEndsString) {
            const head = Buffer.concat([...parts, chunk.subarray(objectStart, i)]).subarray(0, 2048);
            yield { kind: 'bad', line: startLine, reason: 'unterminated string (line break inside a JSON string)', raw: lossy.decode(head).trimEnd() };
            depth = 0;
            inString = false;
            parts = [];
            size = 0;
            tooBig = false;
            objectStart = -1;
          }
          continue;
        }
        if (b === QUOTE) inString = true;
        else if (b === OPEN) depth++;
        else if (b === CLOSE && --depth === 0) {
          const piece = chunk.subarray(objectStart, i + 1);
          if (!tooBig && size + piece.length <= maxObjectBytes) {
            parts.push(piece);
            yield { kind: 'object', line: startLine, bytes: parts.length === 1 ? (parts[0] as Buffer) : Buffer.concat(parts), repairs: bom ? ['BOM'] : [] };
            bom = false;
          } else {
            yield { kind: 'bad', line: startLine, reason: `JSON object larger than ${maxObjectBytes} bytes`, raw: lossy.decode(parts[0]?.subarray(0, 2048) ?? piece.subarray(0, 2048)) };
          }
          parts = [];
          size = 0;
          tooBig = false;
          objectStart = -1;
        }
      }
      if (depth > 0 && objectStart >= 0) {
        const piece = chunk.subarray(objectStart);
        if (!tooBig && size + piece.length <= maxObjectBytes) {
          parts.push(Buffer.from(piece));
          size += piece.length;
        } else if (!tooBig) {
          tooBig = true;
          if (parts.length === 0) parts.push(Buffer.from(piece.subarray(0, 2048)));
        }
      }
    }
  } catch (cause) {
    // A store's stream already fails with an error that names the object.
    if (typeof source !== 'string') throw cause;
    throw unreadableInput(source, cause);
  }
  const s = flushStray();
  if (s) yield s;
  if (depth > 0) {
    yield { kind: 'bad', line: startLine, reason: 'truncated JSON object (end of file inside the object)', raw: lossy.decode(Buffer.concat(parts).subarray(0, 2048)) };
  }
}
