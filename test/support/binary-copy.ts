/**
 * Songplay rows in PostgreSQL's binary COPY form (no header or trailer) read back as csvLine would write them, for
 * comparing and matching in tests: text quoted (quotes doubled), int4 as digits, the timestamp as its ISO text
 * (quoted), NULL as nothing. Written here from the format's definition, independently of the encoder.
 */
const songplayTypes = ['text', 'timestamp', 'int4', 'text', 'text', 'text', 'int4', 'text', 'text'] as const;
const epoch2000 = 946_684_800_000n;
const decoder = new TextDecoder('utf-8', { fatal: true });

export function songplayRowsAsCsv(bytes: Uint8Array): string {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = 0;
  let csv = '';
  while (at < bytes.length) {
    const fields = view.getInt16(at);
    at += 2;
    if (fields !== songplayTypes.length) throw new Error(`a row of ${fields} fields at byte ${at - 2}`);
    const cells: string[] = [];
    for (const type of songplayTypes) {
      const length = view.getInt32(at);
      at += 4;
      if (length === -1) {
        cells.push('');
        continue;
      }
      if (type === 'text') {
        const text = decoder.decode(bytes.subarray(at, at + length));
        cells.push(`"${text.replaceAll('"', '""')}"`);
      } else if (type === 'int4') {
        if (length !== 4) throw new Error(`int4 of ${length} bytes`);
        cells.push(String(view.getInt32(at)));
      } else {
        if (length !== 8) throw new Error(`timestamp of ${length} bytes`);
        const micros = view.getBigInt64(at);
        if (micros % 1000n !== 0n) throw new Error('a timestamp finer than milliseconds');
        cells.push(`"${new Date(Number(micros / 1000n + epoch2000)).toISOString().slice(0, 23)}"`);
      }
      at += length;
    }
    csv += `${cells.join(',')}\n`;
  }
  return csv;
}
