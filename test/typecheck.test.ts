import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { test } from 'node:test';

// Node strips types without checking them, so the type checker runs as a test of its own.
test('the whole project type-checks (tsc --noEmit)', () => {
  const root = resolve(import.meta.dirname, '..');
  const tsc = resolve(root, 'node_modules', 'typescript', 'bin', 'tsc');
  const result = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.json'], { cwd: root, encoding: 'utf8' });
  assert.equal(result.status, 0, `${result.stdout}${result.stderr}`);
});
