import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream, lstatSync } from 'node:fs';
import { link, mkdir, readFile, realpath, rename, rm, stat, unlink, writeFile } from 'node:fs/promises';
import { basename, isAbsolute, join, relative, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { SparkifyError, unreadableInput } from '../../core/errors.ts';
import { readDirectory } from '../../core/read-directory.ts';
import { fileChunks } from '../../core/read-small-file.ts';
import type { ObjectBody, ObjectInfo, ObjectStore, PutOptions, TaggedObject } from '../object-store.ts';
import { withFileMutex, mutexSuffix } from './file-mutex.ts';

/**
 * A directory used as an object store. Keys can never reach outside the root: absolute keys and `..`
 * segments are refused before touching the disk, and every path is checked again after resolving symbolic
 * links, so a link inside the root that points elsewhere cannot be read, listed or written through.
 */
export class LocalStore implements ObjectStore {
  readonly kind = 'local' as const;
  readonly description: string;
  readonly root: string;
  private realRoot: Promise<string> | undefined;

  constructor(root: string) {
    this.root = root;
    this.description = `local ${root}`;
  }

  async *list(prefix: string): AsyncGenerator<ObjectInfo> {
    if (prefix !== '') checkKey(prefix.replace(/\/+$/, ''));
    const root = await this.resolvedRoot();
    // Walk from the deepest directory the prefix names fully, then filter on the rest of it.
    const lastSlash = prefix.lastIndexOf('/');
    const startDir = lastSlash === -1 ? '' : prefix.slice(0, lastSlash);
    const found: ObjectInfo[] = [];
    const start = join(root, startDir);
    const realStart = await realpath(start).catch(() => undefined);
    if (realStart === undefined) return;
    await this.assertInside(realStart, prefix, 'list');
    if (!(await stat(realStart)).isDirectory()) return;
    await this.walk(root, start, prefix, found);
    found.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    yield* found;
  }

  async *get(key: string): AsyncGenerator<Uint8Array> {
    const path = await this.inside(key, 'read');
    // A small object (a song file) in one synchronous read: a stream would cost thread-pool round trips and a 1 MiB
    // buffer each (docs/decisions/2026-12-01-small-files-in-one-synchronous-read.md).
    const chunks = fileChunks(path, 1024 * 1024);
    try {
      yield* chunks;
    } catch (cause) {
      throw unreadableInput(path, cause);
    }
  }

  async put(key: string, body: ObjectBody, _options?: PutOptions): Promise<void> {
    checkKey(key);
    const root = await this.resolvedRoot();
    const target = join(await this.makeParents(root, key), basename(key));
    // Written beside the target and renamed over it: readers never see half an object, and rename replaces
    // a link at the target instead of writing through it.
    const temp = `${target}.${randomBytes(6).toString('hex')}.partial`;
    try {
      if (typeof body === 'function') await pipeline(Readable.from(body()), createWriteStream(temp, { flags: 'wx' }));
      else await writeFile(temp, body, { flag: 'wx' });
      await rename(temp, target);
    } catch (cause) {
      await rm(temp, { force: true });
      throw new SparkifyError('SPK_E_STORAGE', `cannot write ${target}`, { cause, details: { path: target } });
    }
  }

  async delete(key: string): Promise<void> {
    checkKey(key);
    const root = await this.resolvedRoot();
    const path = join(root, key);
    // The directory holding it is checked as every other access is: a link out of the root is never followed.
    const dir = await realpath(join(path, '..')).catch(() => undefined);
    if (dir === undefined) return;
    await this.assertInside(dir, key, 'delete');
    await rm(join(dir, basename(key)), { force: true }).catch((cause: unknown) => {
      throw new SparkifyError('SPK_E_STORAGE', `cannot delete ${path}`, { cause, details: { path } });
    });
  }

  async getTagged(key: string): Promise<TaggedObject | undefined> {
    checkKey(key);
    const path = join(await this.resolvedRoot(), key);
    const body = await readIfThere(path);
    return body === undefined ? undefined : { body, etag: tagOf(body) };
  }

  async putIfAbsent(key: string, body: string): Promise<string | undefined> {
    checkKey(key);
    const target = join(await this.makeParents(await this.resolvedRoot(), key), basename(key));
    // Written whole beside the target, then hard-linked to its name: link(2) fails if the name exists (an exclusive
    // create, like open 'wx'), and a reader never sees the object half-written, as it could after open 'wx' + write.
    const temp = `${target}.${randomBytes(6).toString('hex')}.partial`;
    try {
      await writeFile(temp, body, { flag: 'wx' });
      await link(temp, target);
      return tagOf(Buffer.from(body));
    } catch (cause) {
      if ((cause as NodeJS.ErrnoException).code === 'EEXIST') return undefined;
      throw new SparkifyError('SPK_E_STORAGE', `cannot create ${target}`, { cause, details: { path: target } });
    } finally {
      await rm(temp, { force: true });
    }
  }

  async putIfMatch(key: string, body: string, etag: string): Promise<string | undefined> {
    checkKey(key);
    const target = join(await this.makeParents(await this.resolvedRoot(), key), basename(key));
    // The compare and the swap under an OS lock of their own. Only they (and deleteIfMatch) change or remove an object
    // that exists, and putIfAbsent's link cannot replace one, so the object cannot change between the read and the rename.
    return withFileMutex(target, async () => {
      const current = await readIfThere(target);
      if (current === undefined || tagOf(current) !== etag) return undefined;
      const temp = `${target}.${randomBytes(6).toString('hex')}.partial`;
      try {
        await writeFile(temp, body, { flag: 'wx' });
        await rename(temp, target);
      } catch (cause) {
        await rm(temp, { force: true });
        throw new SparkifyError('SPK_E_STORAGE', `cannot write ${target}`, { cause, details: { path: target } });
      }
      return tagOf(Buffer.from(body));
    });
  }

  async deleteIfMatch(key: string, etag: string): Promise<boolean> {
    checkKey(key);
    const target = join(await this.resolvedRoot(), key);
    return withFileMutex(target, async () => {
      const current = await readIfThere(target);
      if (current === undefined || tagOf(current) !== etag) return false;
      await unlink(target);
      return true;
    });
  }

  async ensureRoot(): Promise<void> {
    await mkdir(this.root, { recursive: true });
  }

  url(key: string): string {
    return join(this.root, key);
  }

  async close(): Promise<void> {}

  private resolvedRoot(): Promise<string> {
    this.realRoot ??= realpath(this.root).catch((cause) => {
      this.realRoot = undefined;
      throw unreadableInput(this.root, cause);
    });
    return this.realRoot;
  }

  /**
   * Creates the key's directories one level at a time, checking each real path before going deeper: a link to
   * a directory elsewhere is caught before anything is created through it.
   */
  private async makeParents(root: string, key: string): Promise<string> {
    let dir = root;
    for (const segment of key.split('/').slice(0, -1)) {
      const next = join(dir, segment);
      await mkdir(next).catch((cause: NodeJS.ErrnoException) => {
        if (cause.code !== 'EEXIST') throw new SparkifyError('SPK_E_STORAGE', `cannot create ${next}`, { cause });
      });
      dir = await realpath(next);
      await this.assertInside(dir, key);
    }
    return dir;
  }

  /** The real path of an existing object, after checking it is inside the root. */
  private async inside(key: string, action: string): Promise<string> {
    checkKey(key);
    const root = await this.resolvedRoot();
    let real: string;
    try {
      real = await realpath(join(root, key));
    } catch (cause) {
      throw unreadableInput(join(this.root, key), cause);
    }
    await this.assertInside(real, key, action);
    return real;
  }

  private async assertInside(real: string, key: string, action = 'write'): Promise<void> {
    const root = await this.resolvedRoot();
    if (!isInside(root, real)) throw escapes(key, `${action} through a link to ${real}, outside the store root ${this.root}`);
  }

  private async walk(root: string, dir: string, prefix: string, found: ObjectInfo[]): Promise<void> {
    for (const entry of readDirectory(dir)) {
      const path = join(dir, entry.name);
      const key = relative(root, path).split(sep).join('/');
      // Prune directories that cannot hold a key with this prefix.
      if (!key.startsWith(prefix) && !prefix.startsWith(`${key}/`)) continue;
      if (entry.name.endsWith('.partial') || entry.name.endsWith(mutexSuffix)) continue;
      if (entry.isDirectory()) {
        await this.walk(root, path, prefix, found);
      } else if (entry.isSymbolicLink()) {
        const real = await realpath(path).catch(() => undefined);
        if (real === undefined) continue; // a dangling link is no object
        if (!isInside(root, real)) throw escapes(key, `a link to ${real}, outside the store root ${this.root}`);
        // Links name files only: one to a directory could list objects twice, or loop.
        const target = await stat(real);
        if (target.isFile() && key.startsWith(prefix)) found.push({ key, size: target.size });
      } else if (entry.isFile() && key.startsWith(prefix)) {
        found.push({ key, size: lstatSync(path).size });
      }
    }
  }
}

/** The tag of a local object: a hash of its bytes (the lake's lock bodies are unique per write, so equal tags mean the same write). */
function tagOf(body: Buffer): string {
  return createHash('sha256').update(body).digest('hex');
}

async function readIfThere(path: string): Promise<Buffer | undefined> {
  try {
    return await readFile(path);
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw unreadableInput(path, cause);
  }
}

/** Keys are relative, '/'-separated, without empty, '.' or '..' segments. */
export function checkKey(key: string): void {
  if (key === '' || isAbsolute(key) || key.includes('\\') || key.includes('\0')) throw escapes(key, 'not a relative key');
  for (const segment of key.split('/')) {
    if (segment === '' || segment === '.' || segment === '..') throw escapes(key, `segment ${JSON.stringify(segment)} is not allowed`);
  }
}

function isInside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

function escapes(key: string, why: string): SparkifyError {
  return new SparkifyError('SPK_E_UNSAFE_PATH', `key ${JSON.stringify(key)} would leave the store root: ${why}`, { details: { key } });
}
