import { closeSync, createReadStream, fstatSync, openSync, readSync } from 'node:fs';
import { unreadableInput } from '../core/errors.ts';
import { JsonObjectSplitter, type JsonPiece, type SplitOptions } from './json-object-splitter.ts';

export type { JsonPiece, SplitOptions } from './json-object-splitter.ts';

/**
 * Splits a file holding one or several concatenated top-level JSON objects (pretty-printed or not) into the
 * bytes of each object, streaming and in bounded memory. It scans bytes, not characters: the structural
 * characters are ASCII and never occur inside a UTF-8 multi-byte sequence, so decoding can wait until an
 * object is complete. Text outside objects, unbalanced braces, a truncated last object and objects larger
 * than `maxObjectBytes` come back as 'bad' pieces with the line they start on.
 */
export async function* splitJsonObjects(source: string | AsyncIterable<Uint8Array>, maxObjectBytes = 4 * 1024 * 1024, options: SplitOptions = {}): AsyncGenerator<JsonPiece> {
  const splitter = new JsonObjectSplitter(maxObjectBytes, options);
  if (typeof source === 'string') {
    const whole = readSmallFile(source);
    if (whole !== undefined) {
      yield* splitter.push(whole);
      yield* splitter.end();
      return;
    }
  }
  // A path is read here; any other byte stream (an object from a store) is taken as it comes.
  const stream: AsyncIterable<Uint8Array> = typeof source === 'string' ? createReadStream(source, { highWaterMark: 256 * 1024 }) : source;
  try {
    for await (const bytes of stream) {
      yield* splitter.push(Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    }
  } catch (cause) {
    // A store's stream already fails with an error that names the object.
    if (typeof source !== 'string') throw cause;
    throw unreadableInput(source, cause);
  }
  yield* splitter.end();
}

/** Files up to this size are read in one synchronous call; larger ones are streamed. */
const smallFileBytes = 1024 * 1024;

/**
 * The whole file when it holds at most smallFileBytes, else undefined. Song files are a few hundred bytes each and
 * there are thousands: a read stream costs several round trips to the thread pool per file (open, read, read,
 * close), about 150 µs here, where these synchronous calls take 6 µs and block the thread for no longer than that.
 */
function readSmallFile(path: string): Buffer | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    const size = fstatSync(fd).size;
    if (size > smallFileBytes) return undefined;
    // One byte more than the size says, to notice a file that grew since.
    const buffer = Buffer.allocUnsafe(size + 1);
    let filled = 0;
    for (let n = -1; n !== 0 && filled < buffer.length; filled += n) n = readSync(fd, buffer, filled, buffer.length - filled, filled);
    return filled > size ? undefined : buffer.subarray(0, filled);
  } catch (cause) {
    throw unreadableInput(path, cause);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
