// A custom hook, in the course's plugin model: an ordinary class in the DAG folder (its folder starts with '_', so the
// DAG processor does not load it as a DAG file). It writes report files into the directory of an fs connection.
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';

export class ReportFileHook {
  readonly root: string;

  constructor(connection: { conn_type: string; host?: string | null; extra?: unknown }) {
    const extra = typeof connection.extra === 'string' ? JSON.parse(connection.extra || '{}') : connection.extra;
    const path = (extra as Record<string, unknown> | null | undefined)?.['path'] ?? connection.host;
    if (connection.conn_type !== 'fs' || typeof path !== 'string' || path === '') throw new Error('ReportFileHook takes an fs connection naming a directory (extra.path)');
    this.root = resolve(path);
  }

  /** Writes `name` whole (beside, then renamed): a reader never sees half a report. Returns its path. */
  async write(name: string, body: string): Promise<string> {
    const target = resolve(this.root, name);
    if (!target.startsWith(this.root + sep)) throw new Error(`report ${JSON.stringify(name)} is outside ${this.root}`);
    await mkdir(dirname(target), { recursive: true });
    const partial = join(dirname(target), `.${process.pid}.partial`);
    await writeFile(partial, body);
    await rename(partial, target);
    return target;
  }
}
