/**
 * CSV text for Postgres COPY (FORMAT csv): NULL is an unquoted empty cell, so every string is quoted to
 * keep '' distinct from NULL. Numbers are written as JavaScript prints them (shortest round-trip form).
 */
export function csvCell(value: string | number | null): string {
  if (value === null) return '';
  if (typeof value === 'number') return String(value);
  return `"${value.includes('"') ? value.replaceAll('"', '""') : value}"`;
}

/** Groups rows into chunks of about `rowsPerChunk` lines: COPY streams ingest big strings far faster than tiny ones. */
export async function* csvChunks<T>(
  rows: AsyncIterable<T>,
  toCells: (row: T) => readonly (string | number | null)[] | undefined,
  rowsPerChunk = 2000,
): AsyncGenerator<string> {
  let buffer = '';
  let n = 0;
  for await (const row of rows) {
    const cells = toCells(row);
    if (cells === undefined) continue;
    let line = '';
    for (let i = 0; i < cells.length; i++) {
      if (i > 0) line += ',';
      line += csvCell(cells[i] as string | number | null);
    }
    buffer += `${line}\n`;
    if (++n >= rowsPerChunk) {
      yield buffer;
      buffer = '';
      n = 0;
    }
  }
  if (buffer !== '') yield buffer;
}
