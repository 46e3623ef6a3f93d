import { unreadableInput } from '../core/errors.ts';
import { fileChunks } from '../core/read-small-file.ts';
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
  // A path is read here (a small file at once); any other byte stream (an object from a store) is taken as it comes.
  const stream: Iterable<Uint8Array> | AsyncIterable<Uint8Array> = typeof source === 'string' ? fileChunks(source, 256 * 1024) : source;
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
