import assert from 'node:assert/strict';
import { test } from 'node:test';
import { logJsonString, pythonFloat, pythonJsonString } from '../../src/simulator/json-text.ts';

test('logJsonString escapes like eventsim: quotes, slashes and every non-ASCII character', () => {
  assert.equal(logJsonString('"Mozilla/5.0 (KHTML, like Gecko)"'), '"\\"Mozilla\\/5.0 (KHTML, like Gecko)\\""');
  assert.equal(logJsonString('Björk'), '"Bj\\u00f6rk"');
  assert.equal(logJsonString('a\\b\tc'), '"a\\\\b\\tc"');
  assert.equal(logJsonString('𝄞'), '"\\ud834\\udd1e"');
  assert.equal(JSON.parse(logJsonString('Noël / Déjà "Vu"')), 'Noël / Déjà "Vu"');
});

test('pythonJsonString escapes like json.dumps: non-ASCII yes, slashes no', () => {
  assert.equal(pythonJsonString('Clementina Santafè'), '"Clementina Santaf\\u00e8"');
  assert.equal(pythonJsonString('AC/DC'), '"AC/DC"');
});

test('pythonFloat prints floats like Python repr', () => {
  assert.equal(pythonFloat(337.68444), '337.68444');
  assert.equal(pythonFloat(-86.77836), '-86.77836');
  assert.equal(pythonFloat(267.7024), '267.7024');
  assert.equal(pythonFloat(245), '245.0');
});
