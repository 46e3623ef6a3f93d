/**
 * CSV text for Postgres COPY (FORMAT csv): NULL is an unquoted empty cell, so every string is quoted to
 * keep '' distinct from NULL. Numbers are written as JavaScript prints them (shortest round-trip form).
 */
export function csvCell(value: string | number | null): string {
  if (value === null) return '';
  if (typeof value === 'number') return String(value);
  return `"${value.includes('"') ? value.replaceAll('"', '""') : value}"`;
}

export type CsvCells = readonly (string | number | null)[];

/** Groups rows into chunks of about `rowsPerChunk` lines: COPY streams ingest big strings far faster than tiny ones. */
export async function* csvChunks<T>(
  rows: AsyncIterable<T>,
  toCells: (row: T) => CsvCells | undefined,
  rowsPerChunk = 2000,
): AsyncGenerator<string> {
  let buffer = '';
  let n = 0;
  for await (const row of rows) {
    const cells = toCells(row);
    if (cells === undefined) continue;
    buffer += csvLine(cells);
    if (++n >= rowsPerChunk) {
      yield buffer;
      buffer = '';
      n = 0;
    }
  }
  if (buffer !== '') yield buffer;
}

/** csvChunks for rows that arrive in batches: a chunk per batch, encoded without an asynchronous step per row. */
export async function* csvBatchChunks<T>(batches: AsyncIterable<readonly T[]>, toCells: (row: T) => CsvCells | undefined): AsyncGenerator<string> {
  for await (const batch of batches) {
    let buffer = '';
    for (const row of batch) {
      const cells = toCells(row);
      if (cells !== undefined) buffer += csvLine(cells);
    }
    if (buffer !== '') yield buffer;
  }
}

/** One row and its newline; the same text as csvCell's joined with commas. */
export function csvLine(cells: CsvCells): string {
  let line = '';
  for (let i = 0; i < cells.length; i++) {
    const value = cells[i] as string | number | null;
    if (i > 0) line += ',';
    if (typeof value === 'string') line += value.includes('"') ? `"${value.replaceAll('"', '""')}"` : `"${value}"`;
    else if (value !== null) line += String(value);
  }
  return `${line}\n`;
}
