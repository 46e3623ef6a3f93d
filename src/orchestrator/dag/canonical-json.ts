import { dagInvalid } from './dag-invalid.ts';

/**
 * `value` as canonical JSON: object keys sorted (by UTF-16 code unit, not locale), no spaces, `undefined` properties
 * left out as JSON.stringify does. Anything JSON cannot hold as it is (a function, a Date, a Map, NaN, a bigint, a
 * class instance, a cycle) is an error naming its path: silently turning it into `{}` or a string would hide a bug.
 */
export function canonicalJson(value: unknown, path = '$'): string {
  return write(value, path, new Set());
}

function write(value: unknown, path: string, seen: Set<object>): string {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw notJson(path, String(value));
    return JSON.stringify(value);
  }
  if (typeof value !== 'object') throw notJson(path, `a ${typeof value}`);
  if (seen.has(value)) throw notJson(path, 'a circular reference');
  seen.add(value);
  try {
    if (Array.isArray(value)) return `[${value.map((v, i) => (v === undefined ? notJsonThrow(`${path}[${i}]`, 'undefined') : write(v, `${path}[${i}]`, seen))).join(',')}]`;
    const proto = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) throw notJson(path, `a ${(value as object).constructor?.name ?? 'non-plain'} object`);
    const parts: string[] = [];
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined) parts.push(`${JSON.stringify(key)}:${write(v, `${path}.${key}`, seen)}`);
    }
    return `{${parts.join(',')}}`;
  } finally {
    seen.delete(value);
  }
}

const notJson = (path: string, what: string) => dagInvalid(`${path} is ${what}, which is not JSON (use strings, numbers, booleans, null, arrays and plain objects)`, { path });

function notJsonThrow(path: string, what: string): never {
  throw notJson(path, what);
}
