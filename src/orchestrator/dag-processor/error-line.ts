import { spawnSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { framesOf } from '../dag/dag-collector.ts';

/**
 * The line of `path` an error points at: the `path:line` header Node's type stripping puts before a syntax error's
 * stack, else the outermost stack frame in that file — the top-level statement that failed, rather than, say, the
 * implicit constructor of an operator class declared in the file, which the innermost frame would name.
 */
export function errorLine(error: unknown, path: string): number | null {
  const stack = error instanceof Error ? (error.stack ?? '') : '';
  const url = pathToFileURL(path).href;
  const header = stack.split('\n', 1)[0] ?? '';
  for (const name of [path, url]) {
    if (header.startsWith(`${name}:`)) {
      const n = Number(/^:(\d+)/.exec(header.slice(name.length))?.[1]);
      if (Number.isInteger(n) && n > 0) return n;
    }
  }
  const frames = framesOf(stack).filter((f) => f.file === path || f.file === url);
  if (frames.length > 0) return (frames[frames.length - 1] as { line: number }).line;
  return error instanceof SyntaxError ? syntaxErrorLine(path) : null;
}

/**
 * A JavaScript syntax error thrown by `import()` carries no location (Node keeps it for its own uncaught-error
 * printout), so the file is checked once more by `node --check`, whose report starts with `path:line`. Only on this
 * error path: a good file never pays for it.
 */
function syntaxErrorLine(path: string): number | null {
  const check = spawnSync(process.execPath, ['--check', path], { encoding: 'utf8', timeout: 10_000 });
  const first = (check.stderr ?? '').split('\n', 1)[0] ?? '';
  const n = first.startsWith(`${path}:`) ? Number(first.slice(path.length + 1)) : NaN;
  return Number.isInteger(n) && n > 0 ? n : null;
}

/** An error as one readable message: `SyntaxError: Expression expected`, a SparkifyError's own `CODE: message`. */
export function errorMessage(error: unknown): string {
  if (!(error instanceof Error)) return `a DAG file threw ${typeof error === 'string' ? JSON.stringify(error) : String(error)}`;
  if (error.message.startsWith('SPK_E_')) return error.message;
  return `${error.name}: ${error.message}`;
}
