import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';

export interface FileIdentity {
  size: number;
  mtimeMs: number;
  sha256: string;
}

/** A file's size, modification time and SHA-256. */
export async function fileIdentity(path: string): Promise<FileIdentity> {
  const [s, bytes] = await Promise.all([stat(path), readFile(path)]);
  return { size: s.size, mtimeMs: s.mtimeMs, sha256: createHash('sha256').update(bytes).digest('hex') };
}

/** Whether `a` and `b` are the same file content as last seen: all three must agree. */
export const sameIdentity = (a: FileIdentity, b: FileIdentity) => a.size === b.size && a.mtimeMs === b.mtimeMs && a.sha256 === b.sha256;
