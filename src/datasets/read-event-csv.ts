import { SparkifyError } from '../core/errors.ts';
import { checkType, type FieldSpec } from './field-spec.ts';
import { parseCsvRecord } from './parse-csv-line.ts';
import { reject, type Located } from './read-log-events.ts';
import { readLines, type LineOptions } from './read-lines.ts';
import type { QuarantineSink } from './quarantine.ts';
import { eventCsvFields, type EventCsvRow } from './schemas.ts';
import type { SourceCounts } from './source-counts.ts';

/** Excel writes large numbers as 1.54092E+12: the value is readable, the lost digits are not. */
const excelScientific = /^-?\d(\.\d+)?E\+\d+$/i;
const plainNumber = /^-?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/;
const maxRecordLines = 50;

/**
 * Streams the Cassandra project's event CSV files (header + 17 columns, no userAgent). Empty cells are
 * null except in required text columns (userId stays "" for logged-out events, as in the JSON logs).
 * A wrong header is a file-level error; a bad row is quarantined with file, line and field.
 */
export async function* readEventCsv(
  files: readonly string[],
  quarantine: QuarantineSink,
  counts: SourceCounts,
  options: LineOptions = {},
): AsyncGenerator<Located<EventCsvRow>> {
  for (const file of files) {
    counts.files++;
    let header = true;
    let carry: { line: number; text: string; lines: number } | undefined;
    for await (const item of readLines(file, options)) {
      if (item.kind === 'bad') {
        counts.read++;
        reject(quarantine, counts, file, item.line, '', item.reason, item.raw);
        continue;
      }
      const start = carry ?? { line: item.line, text: '', lines: 0 };
      const text = carry ? `${carry.text}\n${item.text}` : item.text;
      const fields = parseCsvRecord(text);
      if (fields === undefined && start.lines + 1 < maxRecordLines) {
        carry = { line: start.line, text, lines: start.lines + 1 };
        continue;
      }
      carry = undefined;
      if (header) {
        header = false;
        checkHeader(file, fields);
        continue;
      }
      counts.read++;
      if (fields === undefined) {
        reject(quarantine, counts, file, start.line, '', `unterminated quoted field over ${maxRecordLines} lines`, text);
        continue;
      }
      const row = toRow(fields, counts);
      if ('field' in row) {
        reject(quarantine, counts, file, start.line, row.field, row.reason, text);
        continue;
      }
      if (item.repairs.length > 0) counts.repaired++;
      yield { record: row.record, file, line: start.line, raw: text };
    }
    if (carry) {
      counts.read++;
      reject(quarantine, counts, file, carry.line, '', 'unterminated quoted field at end of file', carry.text);
    }
  }
}

function checkHeader(file: string, fields: string[] | undefined): void {
  const expected = eventCsvFields.map((f) => f.name);
  const got = fields ?? [];
  const at = expected.findIndex((name, i) => got[i] !== name);
  if (at !== -1 || got.length !== expected.length) {
    const column = at === -1 ? expected.length + 1 : at + 1;
    throw new SparkifyError(
      'SPK_E_BAD_RECORD',
      `${file}:1: unexpected CSV header at column ${column}: expected "${expected.join(',')}", got "${got.join(',')}"`,
      { details: { file, line: 1, field: expected[at] ?? '' } },
    );
  }
}

function toRow(fields: string[], counts: SourceCounts): { record: EventCsvRow } | { field: string; reason: string } {
  if (fields.length !== eventCsvFields.length) {
    return { field: '', reason: `expected ${eventCsvFields.length} columns, got ${fields.length}` };
  }
  const out: Record<string, unknown> = {};
  let lost = false;
  for (let i = 0; i < eventCsvFields.length; i++) {
    const spec = eventCsvFields[i] as FieldSpec;
    const cell = fields[i] as string;
    if (spec.type === 'string') {
      out[spec.name] = cell === '' && spec.nullable ? null : cell;
      continue;
    }
    if (cell === '') {
      if (!spec.nullable) return { field: spec.name, reason: 'missing required value' };
      out[spec.name] = null;
      continue;
    }
    if (!plainNumber.test(cell)) return { field: spec.name, reason: `expected a number, got ${JSON.stringify(cell.slice(0, 40))}` };
    const value = Number(cell);
    // The same rules as the JSON readers: this also catches 1E+999, which Number() turns into Infinity.
    const problem = checkType(value, spec.type);
    if (problem !== undefined) return { field: spec.name, reason: `${problem} (cell ${JSON.stringify(cell.slice(0, 40))})` };
    if (excelScientific.test(cell)) lost = true;
    out[spec.name] = value;
  }
  if (lost) counts.precisionLost++;
  return { record: out as unknown as EventCsvRow };
}
