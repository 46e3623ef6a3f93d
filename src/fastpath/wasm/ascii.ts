// AssemblyScript: the bytes the WebAssembly readers (plain-json-check.ts, play-scan.ts, play-rows.ts) look for.

export const TAB: u8 = 0x09;
export const NEWLINE: u8 = 0x0a;
export const CR: u8 = 0x0d;
export const SPACE: u8 = 0x20;
export const QUOTE: u8 = 0x22;
export const PLUS: u8 = 0x2b;
export const COMMA: u8 = 0x2c;
export const MINUS: u8 = 0x2d;
export const DOT: u8 = 0x2e;
export const SLASH: u8 = 0x2f;
export const ZERO: u8 = 0x30;
export const NINE: u8 = 0x39;
export const COLON: u8 = 0x3a;
export const UPPER_E: u8 = 0x45;
export const LBRACKET: u8 = 0x5b;
export const BACKSLASH: u8 = 0x5c;
export const RBRACKET: u8 = 0x5d;
export const LOWER_E: u8 = 0x65;
export const LOWER_F: u8 = 0x66;
export const LOWER_L: u8 = 0x6c;
export const LOWER_N: u8 = 0x6e;
export const LOWER_T: u8 = 0x74;
export const LOWER_U: u8 = 0x75;
export const LBRACE: u8 = 0x7b;
export const RBRACE: u8 = 0x7d;

/** Whether x (a byte, or a reader's past-the-end value above 0xff) is an ASCII digit. */
// @ts-ignore: decorator
@inline export function isDigit(x: u32): bool {
  return x >= ZERO && x <= NINE;
}
