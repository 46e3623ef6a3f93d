import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PostgresEngine } from '../../src/engines/postgres/postgres-engine.ts';
import { testDatabase } from '../support/postgres.ts';

// The bytes of 400 chunks of 64 KiB-ish CSV, each overwritten with garbage the moment the engine releases it, as a
// worker thread reusing the buffer would: a release while the socket still held the chunk would send garbage.
test('copyCsv releases each byte chunk once, as soon as it is written: chunks overwritten on release load intact', async (t) => {
  const db = await testDatabase(t);
  if (db === undefined) return;
  const engine = new PostgresEngine({ connectionString: db.url });
  t.after(() => engine.close());
  await engine.exec('CREATE TABLE lines (n integer NOT NULL, s text NOT NULL)');
  const encoder = new TextEncoder();
  const filler = 'x'.repeat(100);
  const chunks: Uint8Array[] = [];
  let n = 0;
  for (let c = 0; c < 400; c++) {
    let text = '';
    for (let r = 0; r < 600; r++) text += `${n++},"${filler}${c}"\n`;
    chunks.push(encoder.encode(text));
  }
  const released = new Set<Uint8Array>();
  // How many chunks were out (yielded, not yet released) at the most: the streams' and the socket's few, not the input.
  let mostOut = 0;
  async function* source() {
    for (const [k, chunk] of chunks.entries()) {
      mostOut = Math.max(mostOut, k - released.size);
      yield chunk;
    }
  }
  const rows = await engine.transaction((tx) => tx.copyCsv('lines', ['n', 's'], source(), {
    released: (chunk) => {
      assert.ok(!released.has(chunk), 'released twice');
      released.add(chunk);
      chunk.fill(0x21);
    },
  }));
  assert.equal(rows, n);
  assert.equal(released.size, chunks.length);
  assert.ok(mostOut <= 16, `at most ${mostOut} chunks out at once`);
  const [check] = await engine.query<{ rows: number; sum: string; bad: number }>(
    `SELECT count(*)::int AS rows, sum(n)::text AS sum, count(*) FILTER (WHERE s NOT LIKE '${filler}%')::int AS bad FROM lines`);
  assert.deepEqual(check, { rows: n, sum: String((n * (n - 1)) / 2), bad: 0 });
});
