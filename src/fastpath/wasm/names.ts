// AssemblyScript: the table of names (JSON keys) a module looks for, shared by plain-json-check.ts and play-scan.ts.
// From base(): each name's length (i32 at NAME_LENGTHS), a type code and a flag the module gives meaning to (u8 at
// NAME_TYPES and NAME_FLAGS), and its bytes in a 64-byte slot at NAME_BYTES, which setNames ends with a quote. At
// most 32 names of at most 63 bytes. The caller fills it (src/fastpath/wasm-modules.ts, writeNames), then calls setNames.

import { QUOTE } from './ascii';

export const NAME_LENGTHS: usize = 0;
export const NAME_TYPES: usize = 128;
export const NAME_FLAGS: usize = 160;
export const NAME_BYTES: usize = 256;
/** Where the table ends, from base(). */
export const NAMES_END: usize = NAME_BYTES + 64 * 32;

/** base(), once setNames has run. */
let table: usize = 0;
let count: i32 = 0;

/** Where the module's memory is free: after its static data, 16-byte aligned. */
export function base(): usize {
  return (__heap_base + 15) & ~(<usize>15);
}

/** After the caller has written the table: n names. */
export function setNames(n: i32): void {
  count = n;
  table = base();
  for (let k = 0; k < n; k++) store<u8>(table + NAME_BYTES + (<usize>k << 6) + nameLength(k), QUOTE);
}

export function nameCount(): i32 {
  return count;
}

export function nameLength(k: i32): usize {
  return <usize>load<i32>(table + NAME_LENGTHS + (<usize>k << 2));
}

export function nameType(k: i32): u8 {
  return load<u8>(table + NAME_TYPES + <usize>k);
}

export function nameFlag(k: i32): u8 {
  return load<u8>(table + NAME_FLAGS + <usize>k);
}

/**
 * Whether the bytes at `at` are name k's and then its closing quote, before e: one 16-byte comparison for a name of
 * up to 15 bytes (the caller leaves 16 readable bytes past its input).
 */
export function nameThenQuote(at: usize, e: usize, k: i32): bool {
  const n = nameLength(k);
  if (at + n >= e) return false;
  const slot = table + NAME_BYTES + (<usize>k << 6);
  if (n < 16) {
    const same = i8x16.bitmask(i8x16.eq(v128.load(at), v128.load(slot)));
    const mask = (<i32>1 << <i32>(n + 1)) - 1;
    return (same & mask) == mask;
  }
  return load<u8>(at + n) == QUOTE && memory.compare(at, slot, n) == 0;
}

/** The name whose bytes and closing quote stand at `from`, before e, or -1. */
export function nameAt(from: usize, e: usize): i32 {
  for (let k = 0; k < count; k++) if (nameThenQuote(from, e, k)) return k;
  return -1;
}
