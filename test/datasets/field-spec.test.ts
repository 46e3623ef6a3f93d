import assert from 'node:assert/strict';
import { test } from 'node:test';
import { validateObject, type FieldSpec } from '../../src/datasets/field-spec.ts';

const specs: FieldSpec[] = [
  { name: 'name', type: 'string', nullable: false },
  { name: 'note', type: 'string', nullable: true },
  { name: 'ts', type: 'integer', nullable: false },
  { name: 'session', type: 'int32', nullable: true },
  { name: 'length', type: 'number', nullable: true },
];

const problem = (value: unknown) => {
  const result = validateObject(value, specs);
  return result.ok ? undefined : result.problem;
};

test('a valid object comes back with nullable absences as null and unknown keys dropped', () => {
  assert.deepEqual(validateObject({ name: 'a', ts: 1541105830796, extra: [1] }, specs), {
    ok: true, record: { name: 'a', note: null, ts: 1541105830796, session: null, length: null }, coerced: [],
  });
});

test('numbers given for text fields are taken as text and named as coerced', () => {
  assert.deepEqual(validateObject({ name: 112, note: 2562, ts: 0 }, specs), {
    ok: true, record: { name: '112', note: '2562', ts: 0, session: null, length: null }, coerced: ['name', 'note'],
  });
});

test('each problem names its field', () => {
  assert.deepEqual(problem([]), { field: '', reason: 'expected a JSON object, got an array' });
  assert.deepEqual(problem('text'), { field: '', reason: 'expected a JSON object, got the string "text"' });
  assert.deepEqual(problem({ ts: 1 }), { field: 'name', reason: 'missing required field' });
  assert.deepEqual(problem({ name: null, ts: 1 }), { field: 'name', reason: 'null in a required field' });
  assert.deepEqual(problem({ name: true, ts: 1 }), { field: 'name', reason: 'expected a string, got boolean true' });
  assert.deepEqual(problem({ name: 'a', ts: '1' }), { field: 'ts', reason: 'expected an integer, got the string "1"' });
  assert.deepEqual(problem({ name: 'a', ts: 2 ** 53 }), { field: 'ts', reason: `expected an integer, got number ${2 ** 53}` });
  assert.deepEqual(problem({ name: 'a', ts: 1, length: Infinity }), { field: 'length', reason: 'expected a number, got number Infinity' });
  assert.deepEqual(problem({ name: 'a', ts: 1, note: { x: 1 } }), { field: 'note', reason: 'expected a string, got an object' });
  assert.equal(problem({ name: 'a', ts: 1, note: 'x'.repeat(100) })?.reason, undefined);
});

test('NUL in text is a record problem, not a load failure later', () => {
  assert.deepEqual(problem({ name: 'a\u0000b', ts: 1 }), { field: 'name', reason: 'NUL character (U+0000) in text' });
});

test('int32 fields accept the 32-bit range and nothing beyond it', () => {
  for (const session of [-2147483648, 0, 2147483647]) assert.equal(problem({ name: 'a', ts: 1, session }), undefined);
  for (const session of [-2147483649, 2147483648, 1.5]) {
    assert.deepEqual(problem({ name: 'a', ts: 1, session }), { field: 'session', reason: `expected a 32-bit integer, got number ${session}` });
  }
});

test('a lone surrogate in text becomes U+FFFD and is named as a repair; a pair is left as it is', () => {
  assert.deepEqual(validateObject({ name: 'a\ud800b', note: '\udc00', ts: 1 }, specs), {
    ok: true, record: { name: 'a\ufffdb', note: '\ufffd', ts: 1, session: null, length: null }, coerced: ['name', 'note'],
  });
  assert.deepEqual(validateObject({ name: 'é\ud83d\ude00', ts: 1 }, specs), {
    ok: true, record: { name: 'é\ud83d\ude00', note: null, ts: 1, session: null, length: null }, coerced: [],
  });
});
