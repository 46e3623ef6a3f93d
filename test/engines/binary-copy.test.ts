import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ByteOut, binaryPlay } from '../../src/pipelines/star-load/binary-rows.ts';
import { songplayColumns } from '../../src/pipelines/star-load/staging-rules.ts';
import { engineKinds, freshEngine } from '../support/engines.ts';

// Timestamps the loader can write (years 1 to 9999), on both sides of both epochs (1970, and 2000: PostgreSQL's).
const instants = [
  -62_135_596_800_000, -62_135_596_799_999, -1, 0, 1, 946_684_799_999, 946_684_800_000, 946_684_800_001,
  1_541_106_106_796, 4_102_444_800_000, 253_402_300_799_999,
];

for (const kind of engineKinds) {
  test(`binary COPY on ${kind}: text, NULLs, int4 and timestamps from year 1 to 9999 arrive as written`, async (t) => {
    const engine = await freshEngine(t, kind);
    if (engine === undefined) return;
    await engine.exec(`CREATE TABLE plays (songplay_id text, start_time timestamp, user_id integer, level text, song_id text,
      artist_id text, session_id integer, location text, user_agent text)`);
    const out = new ByteOut(new ArrayBuffer(8));
    const expected: string[] = [];
    for (const [i, ts] of instants.entries()) {
      const location = i % 3 === 0 ? null : `Zürich "${i}", 😀 \\ ${'x'.repeat(i * 100)}`;
      binaryPlay([`${i}:0:7`, 'ignored', 2_147_483_647 - i, 'paid', i % 2 ? 'SO1' : null, 'ARé', -i, location, i === 4 ? 'lone \ud800' : 'ua'], ts, out);
      expected.push([`${i}:0:7`, new Date(ts).toISOString().slice(0, 23).replace('T', ' '), String(2_147_483_647 - i), 'paid',
        i % 2 ? 'SO1' : '∅', 'ARé', String(-i), location ?? '∅', i === 4 ? 'lone \ufffd' : 'ua'].join('|'));
    }
    const rows = out.buffer.slice(0, out.length);
    // In two chunks, cut between rows as the loader cuts them.
    const firstRow = (() => {
      const copy = new ByteOut(new ArrayBuffer(8));
      binaryPlay([`0:0:7`, 'ignored', 2_147_483_647, 'paid', null, 'ARé', 0, null, 'ua'], instants[0] as number, copy);
      return copy.length;
    })();
    async function* rowChunks() {
      yield rows.subarray(0, firstRow);
      yield rows.subarray(firstRow);
    }
    const n = await engine.transaction((tx) => tx.copyCsv('plays', songplayColumns, rowChunks(), { format: 'binary' }));
    assert.equal(n, instants.length);
    const got = await engine.query<{ r: string }>(`SELECT concat_ws('|', songplay_id, to_char(start_time, 'YYYY-MM-DD HH24:MI:SS.MS'), user_id,
      level, coalesce(song_id, '∅'), artist_id, session_id, coalesce(location, '∅'), user_agent) AS r FROM plays ORDER BY user_id DESC`);
    assert.deepEqual(got.map((g) => g.r), expected);
  });
}
