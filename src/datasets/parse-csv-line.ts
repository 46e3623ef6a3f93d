/**
 * Splits one CSV record (RFC 4180: quoted fields, "" for a quote inside quotes) into its fields.
 * Returns undefined when a quoted field is still open at the end, so the caller can join the next line.
 */
export function parseCsvRecord(text: string): string[] | undefined {
  const fields: string[] = [];
  let i = 0;
  const n = text.length;
  for (;;) {
    if (i < n && text.charCodeAt(i) === 34) {
      let value = '';
      let j = i + 1;
      for (;;) {
        const q = text.indexOf('"', j);
        if (q === -1) return undefined;
        value += text.slice(j, q);
        if (text.charCodeAt(q + 1) === 34) {
          value += '"';
          j = q + 2;
          continue;
        }
        i = q + 1;
        break;
      }
      // Anything between the closing quote and the next comma is kept, as spreadsheet programs do.
      const comma = text.indexOf(',', i);
      value += text.slice(i, comma === -1 ? n : comma);
      fields.push(value);
      if (comma === -1) return fields;
      i = comma + 1;
    } else {
      const comma = text.indexOf(',', i);
      fields.push(text.slice(i, comma === -1 ? n : comma));
      if (comma === -1) return fields;
      i = comma + 1;
    }
  }
}
