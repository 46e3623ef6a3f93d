import { DataType, tableFromIPC, type Field } from 'apache-arrow';

/**
 * One result row: column name to value. Types as Spark's map to JavaScript: integers up to int as number, bigint
 * (long) as bigint, float/double as number, decimal as an exact string ("12.34"), string, boolean, date and
 * timestamp as Date, binary as Uint8Array, arrays as arrays, structs and maps as plain objects, NULL as null.
 */
export type Row = Record<string, unknown>;

/**
 * The rows of one Arrow batch of an ExecutePlan response: each batch's `data` is a whole Arrow IPC stream (schema,
 * then record batches), so batches decode independently and a large result never has to be held at once.
 */
export function rowsOfArrowBatch(data: Uint8Array): Row[] {
  const table = tableFromIPC(data);
  const fields = table.schema.fields;
  const columns = fields.map((field, i) => ({ name: field.name, vector: table.getChildAt(i), convert: converter(field) }));
  const rows: Row[] = new Array(table.numRows);
  for (let r = 0; r < table.numRows; r++) {
    const row: Row = {};
    for (const { name, vector, convert } of columns) {
      const value: unknown = vector?.get(r);
      row[name] = value === null || value === undefined ? null : convert(value);
    }
    rows[r] = row;
  }
  return rows;
}

function converter(field: Field): (value: unknown) => unknown {
  const type = field.type;
  if (DataType.isDate(type) || DataType.isTimestamp(type)) return (v) => new Date(Number(v));
  if (DataType.isDecimal(type)) return (v) => decimalText(String(v), type.scale);
  return plain;
}

/** apache-arrow prints a decimal's unscaled integer; the scale puts the point back. */
function decimalText(unscaled: string, scale: number): string {
  const digits = unscaled.replace(/^"|"$/g, '');
  if (scale <= 0) return digits;
  const negative = digits.startsWith('-');
  const abs = (negative ? digits.slice(1) : digits).padStart(scale + 1, '0');
  return `${negative ? '-' : ''}${abs.slice(0, -scale)}.${abs.slice(-scale)}`;
}

/** Nested values (structs, lists, maps) as plain objects and arrays, so rows compare and print as data. */
function plain(value: unknown): unknown {
  if (typeof value !== 'object' || value === null || value instanceof Uint8Array) return value;
  const json = (value as { toJSON?: () => unknown }).toJSON;
  return typeof json === 'function' ? json.call(value) : value;
}
