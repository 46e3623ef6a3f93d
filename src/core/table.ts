/** Renders rows as an aligned, boxed text table: numbers right-aligned, everything else left-aligned. */
export function formatTable(input: readonly object[], columns?: readonly string[]): string {
  const rows = input as readonly Record<string, unknown>[];
  const cols = columns ?? (rows.length > 0 ? Object.keys(rows[0] as object) : []);
  if (cols.length === 0) return '(no rows)\n';
  const cells = rows.map((row) => cols.map((c) => display(row[c])));
  const numeric = cols.map((_, i) => cells.length > 0 && cells.every((r, j) => isNumeric(rows[j]?.[cols[i] as string], r[i] as string)));
  const widths = cols.map((c, i) => Math.max(c.length, ...cells.map((r) => (r[i] as string).length)));
  const line = (parts: string[]) => `│ ${parts.join(' │ ')} │`;
  const rule = (l: string, m: string, r: string) => `${l}${widths.map((w) => '─'.repeat(w + 2)).join(m)}${r}`;
  const out = [
    rule('┌', '┬', '┐'),
    line(cols.map((c, i) => c.padEnd(widths[i] as number))),
    rule('├', '┼', '┤'),
    ...cells.map((r) => line(r.map((v, i) => (numeric[i] ? v.padStart(widths[i] as number) : v.padEnd(widths[i] as number))))),
    rule('└', '┴', '┘'),
  ];
  return `${out.join('\n')}\n`;
}

function display(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString().replace('T', ' ').replace('.000Z', '');
  if (typeof value === 'number') return Number.isInteger(value) ? value.toLocaleString('en-US') : value.toFixed(2);
  if (typeof value === 'bigint') return value.toLocaleString('en-US');
  return String(value);
}

function isNumeric(raw: unknown, _shown: string): boolean {
  return typeof raw === 'number' || typeof raw === 'bigint' || raw === null || raw === undefined;
}
