import { closeSync, createReadStream, fstatSync, openSync, readSync } from 'node:fs';
import { unreadableInput } from './errors.ts';

/** Files up to this size are read in one synchronous call; larger ones are streamed. */
const smallFileBytes = 1024 * 1024;

/**
 * A file's bytes in chunks of `chunkBytes`: a file of at most `wholeUpTo` bytes comes in one synchronous read, as one
 * chunk; a larger one is streamed. An unreadable file fails here or when the stream is read.
 */
export function fileChunks(path: string, chunkBytes: number, wholeUpTo = smallFileBytes): Iterable<Buffer> | AsyncIterable<Buffer> {
  const whole = readSmallFile(path, wholeUpTo);
  return whole !== undefined ? [whole] : (createReadStream(path, { highWaterMark: chunkBytes }) as AsyncIterable<Buffer>);
}

/**
 * The whole file when it holds at most `limit` bytes (default smallFileBytes), else undefined. Song files are a few
 * hundred bytes each and there are thousands (read by the star load and by the warehouse's local store), log files a
 * hundred kilobytes: a read stream costs several round trips to the thread pool per file (open, read, read, close) and
 * a buffer of its chunk size, where these synchronous calls block the thread only briefly
 * (docs/decisions/2026-12-01-small-files-in-one-synchronous-read.md).
 */
export function readSmallFile(path: string, limit = smallFileBytes): Buffer | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    const size = fstatSync(fd).size;
    if (size > limit) return undefined;
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
