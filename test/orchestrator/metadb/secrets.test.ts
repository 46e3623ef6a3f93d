import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { SparkifyError } from '../../../src/core/errors.ts';
import { parseConnectionUri } from '../../../src/orchestrator/metadb/connection-uri.ts';
import { deleteConnection, getConnection, listConnections, putConnection } from '../../../src/orchestrator/metadb/connections.ts';
import { SecretBox } from '../../../src/orchestrator/metadb/secrets/secret-box.ts';
import { loadSecretKey } from '../../../src/orchestrator/metadb/secrets/secret-key.ts';
import { getVariable, getVariableJson, listVariables, setVariable } from '../../../src/orchestrator/metadb/variables.ts';
import { engineKinds, metadb } from './fixtures.ts';

const secretError = (e: SparkifyError) => e.code === 'SPK_E_SECRET';

test('a sealed value opens with its key and context only; each seal has its own IV', () => {
  const box = new SecretBox(randomBytes(32));
  const a = box.seal('hunter2', 'variable:x');
  assert.notEqual(a, box.seal('hunter2', 'variable:x'), 'a fresh IV each time');
  assert.equal(box.open(a, 'variable:x'), 'hunter2');
  assert.throws(() => box.open(a, 'variable:y'), secretError, 'moved to another row');
  assert.throws(() => new SecretBox(randomBytes(32)).open(a, 'variable:x'), (e: SparkifyError) => secretError(e) && /another key/.test(e.message));
  const tampered = `${a.slice(0, -4)}${a.slice(-4) === 'AAAA' ? 'BBBB' : 'AAAA'}`;
  assert.throws(() => box.open(tampered, 'variable:x'), secretError);
  assert.throws(() => new SecretBox(randomBytes(16)), secretError);
});

test('the key file is made with mode 0600 on first use, then reused; a readable one or a bad key is refused', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'sparkify-key-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'data', 'secret.key');
  const key = loadSecretKey({ file });
  assert.equal(key.length, 32);
  assert.equal(statSync(file).mode & 0o777, 0o600);
  assert.deepEqual(loadSecretKey({ file }), key);
  chmodSync(file, 0o644);
  assert.throws(() => loadSecretKey({ file }), (e: SparkifyError) => secretError(e) && /chmod 600/.test(e.message));
  const hex = randomBytes(32).toString('hex');
  assert.deepEqual(loadSecretKey({ value: { text: hex, name: 'K' }, file }), Buffer.from(hex, 'hex'));
  assert.throws(() => loadSecretKey({ value: { text: 'too-short', name: 'K' }, file }), (e: SparkifyError) => secretError(e) && !e.message.includes('too-short'));
});

test('connection URIs parse as Airflow writes them', () => {
  assert.deepEqual(parseConnectionUri('postgresql://bob:p%40ss%2Fw@db.example:5433/ware%20house?sslmode=require&__extra__=%7B%22a%22%3A1%7D'), {
    connType: 'postgres', host: 'db.example', port: 5433, login: 'bob', password: 'p@ss/w', schema: 'ware house', extra: { sslmode: 'require', a: 1 },
  });
  assert.deepEqual(parseConnectionUri('aws://'), { connType: 'aws', host: null, port: null, login: null, password: null, schema: null, extra: {} });
  assert.throws(() => parseConnectionUri('not a uri with s3cret'), (e: Error) => !e.message.includes('s3cret'));
});

for (const kind of engineKinds) {
  test(`${kind}: connections and variables are sealed at rest, listed without secrets, and a wrong key fails cleanly`, async (t) => {
    const engine = await metadb(t, kind);
    if (!engine) return;
    const box = new SecretBox(randomBytes(32));
    const fields = parseConnectionUri('postgres://bob:Tr0ub4dor-and-3@db.example:5432/warehouse');
    await putConnection(engine, box, { ...fields, extra: { api_token: 'tok-SECRET-123' }, connId: 'wh', description: null });
    await setVariable(engine, box, 'cfg', '{"bucket":"udacity-dend","password":"var-SECRET-9"}');
    const stored = JSON.stringify(await engine.query('SELECT * FROM orch_connection')) + JSON.stringify(await engine.query('SELECT * FROM orch_variable'));
    for (const secret of ['Tr0ub4dor-and-3', 'tok-SECRET-123', 'var-SECRET-9', 'udacity-dend']) assert.ok(!stored.includes(secret), `${secret} is not stored in clear`);
    const c = await getConnection(engine, box, 'wh');
    assert.deepEqual([c.password, c.extra, c.host, c.login], ['Tr0ub4dor-and-3', { api_token: 'tok-SECRET-123' }, 'db.example', 'bob']);
    const listed = await listConnections(engine);
    assert.deepEqual(listed.map((l) => [l.connId, l.hasPassword, l.hasExtra]), [['wh', true, true]]);
    assert.ok(!JSON.stringify(listed).includes('Tr0ub4dor'));
    assert.deepEqual(await getVariableJson(engine, box, 'cfg'), { bucket: 'udacity-dend', password: 'var-SECRET-9' });
    assert.deepEqual(await listVariables(engine), [{ key: 'cfg', description: null }]);
    const wrong = new SecretBox(randomBytes(32));
    await assert.rejects(getConnection(engine, wrong, 'wh'), secretError);
    await assert.rejects(getVariable(engine, wrong, 'cfg'), secretError);
    await assert.rejects(getConnection(engine, box, 'nope'), (e: SparkifyError) => e.code === 'SPK_E_NOT_FOUND');
    assert.equal(await deleteConnection(engine, 'wh'), true);
    assert.equal(await deleteConnection(engine, 'wh'), false);
  });
}

test('the key file holds only the key (base64), nothing else', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'sparkify-key-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'secret.key');
  loadSecretKey({ file });
  assert.match(readFileSync(file, 'utf8'), /^[A-Za-z0-9+/]{43}=\n$/);
});
