import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/** One import of a source file: what it names (a resolved path for relative ones, else the package) and whether only types. */
export interface SourceImport {
  specifier: string;
  /** The absolute path of a relative import; undefined for a package. */
  path: string | undefined;
  typeOnly: boolean;
}

/** Every TypeScript file under `dir`, except the AssemblyScript sources (src/fastpath/wasm), which are not Node's. */
export function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return path.endsWith(join('fastpath', 'wasm')) ? [] : sourceFiles(path);
    return e.name.endsWith('.ts') ? [path] : [];
  });
}

/**
 * What a file names in `import … from`, `export … from`, `import '…'` or `import('…')`. An import is type-only when it
 * says `import type` / `export type`, or every name in its braces is marked `type`: it leaves nothing at run time.
 */
export function importsOf(file: string): SourceImport[] {
  const text = readFileSync(file, 'utf8');
  const found: { specifier: string; typeOnly: boolean }[] = [];
  for (const m of text.matchAll(/^\s*(import|export)\b([^'";]*?)\bfrom\s*['"]([^'"]+)['"]/gm)) {
    const clause = (m[2] as string).trim();
    const braces = /^\{([^}]*)\}$/.exec(clause)?.[1];
    const names = braces?.split(',').map((n) => n.trim()).filter(Boolean) ?? [];
    const typeOnly = clause.startsWith('type ') || (names.length > 0 && names.every((n) => n.startsWith('type ')));
    found.push({ specifier: m[3] as string, typeOnly });
  }
  for (const m of text.matchAll(/^\s*import\s*['"]([^'"]+)['"]/gm)) found.push({ specifier: m[1] as string, typeOnly: false });
  for (const m of text.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g)) found.push({ specifier: m[1] as string, typeOnly: false });
  return found.map(({ specifier, typeOnly }) => ({
    specifier,
    path: specifier.startsWith('.') ? resolve(dirname(file), specifier) : undefined,
    typeOnly,
  }));
}
