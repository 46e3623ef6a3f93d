/**
 * A flat copy of a string. Concatenation and template literals produce V8 "cons" strings (trees of pieces);
 * a fragment that is pasted into millions of lines must be flat, or every write walks its tree again. The
 * round trip through a Buffer is the one portable way to be sure. For precomputed fragments only.
 */
export function flat(text: string): string {
  return Buffer.from(text, 'utf8').toString('utf8');
}
