import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { test } from 'node:test';

// The web UI runs in a browser (DOM types, JSX), so the root tsconfig leaves it out; its own tsconfig checks it here.
test('the web UI type-checks (tsc --noEmit -p src/ui)', () => {
  const root = resolve(import.meta.dirname, '..', '..');
  const tsc = resolve(root, 'node_modules', 'typescript', 'bin', 'tsc');
  const result = spawnSync(process.execPath, [tsc, '-p', 'src/ui/tsconfig.json'], { cwd: root, encoding: 'utf8' });
  assert.equal(result.status, 0, `${result.stdout}${result.stderr}`);
});
