import { configError } from '../core/errors.ts';

const plainIdentifier = /^[a-z_][a-z0-9_]{0,62}$/;

/** Identifiers are never taken from data; those from configuration are checked before they reach SQL. */
export function ident(name: string): string {
  if (!plainIdentifier.test(name)) throw configError(`invalid SQL identifier ${JSON.stringify(name)} (lower-case letters, digits, _)`);
  return name;
}

export function columnList(columns: readonly string[]): string {
  return columns.map(ident).join(', ');
}

export function copyStatement(table: string, columns: readonly string[], source: string, format: 'csv' | 'binary' = 'csv'): string {
  return `COPY ${ident(table)} (${columnList(columns)}) FROM ${source} WITH (FORMAT ${format === 'binary' ? 'binary' : 'csv'})`;
}

/**
 * PostgreSQL's binary COPY stream begins with a signature, a flags word and a header-extension length (both 0), and
 * ends with a field count of -1; the rows between are the caller's (CopyOptions.format 'binary').
 */
export const binaryCopyHeader = new Uint8Array([0x50, 0x47, 0x43, 0x4f, 0x50, 0x59, 0x0a, 0xff, 0x0d, 0x0a, 0x00, 0, 0, 0, 0, 0, 0, 0, 0]);
export const binaryCopyTrailer = new Uint8Array([0xff, 0xff]);
