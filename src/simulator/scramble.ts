/**
 * A keyed bijection on 32-bit integers (xor with the key, then the lowbias32 finalizer, whose steps are each
 * invertible). Distinct indices therefore get distinct outputs: the catalog relies on this so that ids are
 * unique and no two songs share a generator seed, without remembering which ids were handed out.
 */
export function scramble32(index: number, key: number): number {
  let x = (index ^ key) >>> 0;
  x = Math.imul(x ^ (x >>> 16), 0x7feb352d);
  x = Math.imul(x ^ (x >>> 15), 0x846ca68b);
  return (x ^ (x >>> 16)) >>> 0;
}

/** Eight upper-case hex digits. */
export function hex8(value: number): string {
  return (value >>> 0).toString(16).toUpperCase().padStart(8, '0');
}
