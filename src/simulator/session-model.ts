import { cumulate } from './random-draws.ts';
import { pageCode } from './pages.ts';
import type { Row, Table } from './transitions.ts';
import { GUEST, LOGGED_IN_FREE, LOGGED_IN_PAID, LOGGED_OUT } from './transitions.ts';

/** The page after this one, or END when the session stops. */
export const END = -1;

export interface CompiledRow {
  readonly cumulative: Float64Array;
  readonly next: Int8Array;
}

/** A transition table with pages replaced by codes, indexed by the current page's code. */
export interface CompiledTable {
  readonly name: string;
  readonly start: CompiledRow;
  readonly rows: readonly (CompiledRow | undefined)[];
}

/** Who is emitting events: decides both the table and the `auth` column. */
export const MODE_IN = 0;
export const MODE_OUT = 1;
export const MODE_GUEST = 2;

export interface SessionModel {
  /** [free, paid] for logged-in users. */
  readonly loggedIn: readonly [CompiledTable, CompiledTable];
  readonly loggedOut: CompiledTable;
  readonly guest: CompiledTable;
}

function compileRow(row: Row): CompiledRow {
  const entries = Object.entries(row);
  return {
    cumulative: cumulate(entries.map(([, w]) => w)),
    next: Int8Array.from(entries.map(([name]) => (name === 'END' ? END : pageCode(name)))),
  };
}

export function compileTable(name: string, table: Table): CompiledTable {
  const start = table.START;
  if (start === undefined) throw new RangeError(`transition table ${name} has no START row`);
  const rows: (CompiledRow | undefined)[] = [];
  for (const [page, row] of Object.entries(table)) if (page !== 'START') rows[pageCode(page)] = compileRow(row);
  return { name, start: compileRow(start), rows };
}

/** Compiled on demand rather than at import, so importing the simulator costs nothing. */
export function createSessionModel(): SessionModel {
  return {
    loggedIn: [compileTable('logged-in free', LOGGED_IN_FREE), compileTable('logged-in paid', LOGGED_IN_PAID)],
    loggedOut: compileTable('logged-out', LOGGED_OUT),
    guest: compileTable('guest', GUEST),
  };
}
