import assert from 'node:assert/strict';
import { test } from 'node:test';
import { csvField, excelGeneral } from '../../src/simulator/csv-text.ts';

test('excelGeneral renders 13-digit numbers as Excel did in event_data', () => {
  // Pairs taken from the course files (registration and ts of the same rows).
  assert.equal(excelGeneral(1540919166796), '1.54092E+12');
  assert.equal(excelGeneral(1541105830796), '1.54111E+12');
  assert.equal(excelGeneral(1540344794796), '1.54034E+12');
  // Trailing zeros go, as in the sample's 1.541E+12 and 1.5411E+12.
  assert.equal(excelGeneral(1541000000000), '1.541E+12');
  assert.equal(excelGeneral(1541100000000), '1.5411E+12');
  assert.equal(excelGeneral(1541049999999), '1.54105E+12');
  // Half rounds up, and rounding may carry into the exponent.
  assert.equal(excelGeneral(1540925000000), '1.54093E+12');
  assert.equal(excelGeneral(9999995000000), '1E+13');
  // Numbers that fit the column are left alone.
  assert.equal(excelGeneral(12345678901), '12345678901');
  assert.throws(() => excelGeneral(1.5), RangeError);
});

test('csvField quotes only fields with commas, quotes or line breaks, doubling quotes', () => {
  assert.equal(csvField('Des\'ree'), "Des'ree");
  assert.equal(csvField('San Francisco-Oakland-Hayward, CA'), '"San Francisco-Oakland-Hayward, CA"');
  assert.equal(csvField('Weird Al" Yankovic'), '"Weird Al"" Yankovic"');
  assert.equal(csvField('two\nlines'), '"two\nlines"');
  assert.equal(csvField(''), '');
});
