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

export function copyStatement(table: string, columns: readonly string[], source: string): string {
  return `COPY ${ident(table)} (${columnList(columns)}) FROM ${source} WITH (FORMAT csv)`;
}
