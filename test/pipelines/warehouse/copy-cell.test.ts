import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CellReject, copyCell, timestampText } from '../../../src/pipelines/warehouse/copy/copy-cell.ts';

const cell = (v: unknown, type: Parameters<typeof copyCell>[1]) => {
  const r = copyCell(v, type);
  return r instanceof CellReject ? `REJECT ${r.reason}` : r;
};

test('text columns: strings as they are, numbers and nested JSON as their text, NUL rejected', () => {
  assert.equal(cell('Ça plane', 'varchar'), 'Ça plane');
  assert.equal(cell('', 'varchar'), '');
  assert.equal(cell(112, 'varchar'), '112');
  assert.equal(cell({ a: [1] }, 'varchar'), '{"a":[1]}');
  assert.equal(cell(null, 'varchar'), null);
  assert.equal(cell(undefined, 'varchar'), null);
  assert.match(String(cell('a\u0000b', 'varchar')), /^REJECT NUL character/);
  assert.match(String(cell('x'.repeat(65_536), 'varchar')), /^REJECT String length exceeds DDL length/);
  assert.equal(cell('é'.repeat(30_000), 'varchar'), 'é'.repeat(30_000));
});

test('integer columns: numbers and numeric text in range; "" is NULL; fractions, overflow and words are rejected', () => {
  assert.equal(cell(39, 'integer'), 39);
  assert.equal(cell('39', 'integer'), 39);
  assert.equal(cell(' -7 ', 'integer'), -7);
  assert.equal(cell('', 'integer'), null);
  assert.equal(cell(2147483647, 'integer'), 2147483647);
  assert.match(String(cell(2147483648, 'integer')), /^REJECT Overflow, Value 2147483648, Type: Integer/);
  assert.match(String(cell(1.5, 'integer')), /^REJECT Invalid digit, Value 1.5, Type: Integer/);
  assert.match(String(cell('abc', 'integer')), /^REJECT Invalid digit, Value "abc", Type: Integer/);
  assert.match(String(cell(true, 'integer')), /^REJECT Invalid digit, Value true/);
  assert.equal(cell(2 ** 40, 'bigint'), 2 ** 40);
  assert.match(String(cell(2 ** 60, 'bigint')), /^REJECT Overflow/);
});

test('double columns: finite numbers and numeric text', () => {
  assert.equal(cell(337.68444, 'double'), 337.68444);
  assert.equal(cell('1.5e3', 'double'), 1500);
  assert.equal(cell(1540919166796.0, 'double'), 1540919166796);
  assert.equal(cell('', 'double'), null);
  assert.match(String(cell('1,5', 'double')), /^REJECT Invalid digit/);
  assert.match(String(cell([], 'double')), /^REJECT Invalid digit, Value an array/);
});

test("timestamps with TIMEFORMAT 'epochmillisecs'", () => {
  assert.equal(cell(1541105830796, 'timestamp'), '2018-11-01 20:57:10.796');
  assert.equal(cell('1541105830000', 'timestamp'), '2018-11-01 20:57:10.000');
  assert.equal(cell(0, 'timestamp'), '1970-01-01 00:00:00.000');
  assert.match(String(cell(1.5, 'timestamp')), /^REJECT Invalid timestamp/);
  assert.match(String(cell('yesterday', 'timestamp')), /^REJECT Invalid timestamp/);
  assert.match(String(cell(8.64e15, 'timestamp')), /^REJECT Timestamp out of range/);
  assert.equal(timestampText(-62135596800000), '0001-01-01 00:00:00.000');
});

test('nested JSON deeper than 1,000 levels into a text column is rejected, not a stack overflow', () => {
  const nested = (depth: number) => JSON.parse(`${'['.repeat(depth)}${']'.repeat(depth)}`) as unknown;
  assert.equal(cell(nested(1000), 'varchar'), `${'['.repeat(1000)}${']'.repeat(1000)}`);
  assert.equal(cell(nested(1001), 'varchar'), 'REJECT JSON nested deeper than 1000 levels');
  assert.equal(cell(nested(200_000), 'varchar'), 'REJECT JSON nested deeper than 1000 levels');
  assert.equal(cell({ a: [{ b: nested(999) }] }, 'varchar'), 'REJECT JSON nested deeper than 1000 levels');
  assert.match(String(cell(nested(5000), 'integer')), /^REJECT Invalid digit/);
});
