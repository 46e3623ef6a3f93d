import assert from 'node:assert/strict';
import { test } from 'node:test';
import pg from 'pg';
import { adminUrlVariable, databaseName, testDatabase } from './postgres.ts';

async function withClient<T>(url: string, use: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}

test('a per-file database takes DDL and DML', async (t) => {
  const db = await testDatabase(t);
  if (!db) return;
  assert.match(db.name, /^t_postgres_[0-9a-f]{8}$/);
  await withClient(db.url, async (client) => {
    const { rows: [where] } = await client.query<{ db: string }>('select current_database() as db');
    assert.equal(where?.db, db.name);
    await client.query('create table song (id text primary key, title text not null, duration real)');
    await client.query('insert into song values ($1, $2, $3)', ['SOABC', 'Ça plane pour moi', 181.5]);
    const { rows } = await client.query('select id, title, duration from song');
    assert.deepEqual(rows, [{ id: 'SOABC', title: 'Ça plane pour moi', duration: 181.5 }]);
  });
});

test('the server listens on loopback only', async (t) => {
  const db = await testDatabase(t);
  if (!db) return;
  await withClient(db.url, async (client) => {
    const { rows: [listen] } = await client.query<{ listen_addresses: string }>('show listen_addresses');
    assert.equal(listen?.listen_addresses, '127.0.0.1');
    const { rows: [peer] } = await client.query<{ addr: string }>('select host(inet_server_addr()) as addr');
    assert.equal(peer?.addr, '127.0.0.1');
  });
});

test('each call gets its own database, and drop() removes it even with a connection open', async (t) => {
  const first = await testDatabase(t, 'pair');
  const second = await testDatabase(t, 'pair');
  if (!first || !second) return;
  assert.notEqual(first.name, second.name);
  assert.notEqual(first.url, second.url);
  const adminUrl = process.env[adminUrlVariable] ?? '';
  const exists = (name: string) =>
    withClient(adminUrl, async (c) => (await c.query('select 1 from pg_database where datname = $1', [name])).rowCount === 1);
  assert.ok(await exists(first.name));
  assert.ok(await exists(second.name));

  const lingering = new pg.Client({ connectionString: first.url });
  lingering.on('error', () => {}); // the forced drop terminates this session
  await lingering.connect();
  await first.drop();
  await first.drop();
  assert.equal(await exists(first.name), false);
  assert.ok(await exists(second.name));
  await lingering.end().catch(() => {});
});

test('database names are valid identifiers of at most 63 bytes', () => {
  const name = databaseName('A Very-Long File Name '.repeat(10));
  assert.match(name, /^t_a_very_long_file_name_[a-z0-9_]*_[0-9a-f]{8}$/);
  assert.ok(name.length <= 63);
  assert.match(databaseName('!!!'), /^t_db_[0-9a-f]{8}$/);
  assert.notEqual(databaseName('x'), databaseName('x'));
});
