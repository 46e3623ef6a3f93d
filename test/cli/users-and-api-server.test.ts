import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { runCli } from '../support/run-cli.ts';

const bin = resolve(import.meta.dirname, '..', '..', 'bin', 'sparkify.js');
const password = 'cli-Pa55-word-never-shown';

test('users create reads the password from stdin (no flag for it); api-server serves on 127.0.0.1 and stops on SIGTERM', { timeout: 120_000 }, async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'sparkify-users-cli-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const env = { SPARKIFY_DATA_DIR: dir };
  const created = await runCli(['users', 'create', '--username', 'ana', '--role', 'operator'], env, `${password}\n`);
  assert.equal(created.code, 0, created.stderr);
  assert.equal(created.stdout, 'user ana (operator) created\n');
  assert.equal((await runCli(['users', 'create', '--username', 'ana', '--role', 'admin'], env, `${password}\n`)).code, 2, 'taken');
  assert.equal((await runCli(['users', 'create', '--username', 'bo', '--role', 'admin'], env, 'short\n')).code, 2, 'too short');
  assert.equal((await runCli(['users', 'create', '--username', 'bo', '--role', 'root'], env, `${password}\n`)).code, 2, 'no such role');
  const flag = await runCli(['users', 'create', '--username', 'bo', '--role', 'admin', '--password', password], env);
  assert.equal(flag.code, 2);
  assert.match(flag.stderr, /unknown option '--password'/);

  const server = spawn(process.execPath, [bin, 'api-server', '--port', '0'], { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  const exited = new Promise<number | null>((done) => server.once('close', (code) => done(code)));
  t.after(() => void server.kill('SIGKILL'));
  const baseUrl = await new Promise<string>((done, fail) => {
    server.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
      const m = /API server on (http:\/\/127\.0\.0\.1:\d+)/.exec(stderr);
      if (m) done(m[1] as string);
    });
    server.once('close', () => fail(new Error(`api-server ended: ${stderr}`)));
  });
  const login = await fetch(`${baseUrl}/auth/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'ana', password }) });
  assert.equal(login.status, 201);
  const { access_token } = (await login.json()) as { access_token: string };
  const pools = await fetch(`${baseUrl}/api/v2/pools`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${access_token}` }, body: JSON.stringify({ name: 'cli', slots: 2 }) });
  assert.equal(pools.status, 201);
  server.kill('SIGTERM');
  assert.equal(await exited, 0);
  assert.match(stderr, /API server stopped/);
  assert.doesNotMatch(stderr, new RegExp(password), 'the password is never logged');
  assert.doesNotMatch(stderr, new RegExp(access_token), 'nor the token');

  const listed = await runCli(['users', 'list', '--json'], env);
  assert.equal(listed.code, 0, listed.stderr);
  assert.deepEqual(JSON.parse(listed.stdout).map((u: { username: string; role: string; liveTokens: number }) => [u.username, u.role, u.liveTokens]), [['ana', 'operator', 1]]);
  assert.doesNotMatch(listed.stdout, /scrypt|spk_/);
  assert.equal((await runCli(['users', 'delete', 'ana'], env)).code, 0);
  assert.equal((await runCli(['users', 'delete', 'ana'], env)).code, 1, 'no such user');
  assert.equal(JSON.parse((await runCli(['users', 'list', '--json'], env)).stdout).length, 0);
});
