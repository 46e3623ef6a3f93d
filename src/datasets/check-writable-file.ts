import { closeSync, constants, accessSync, openSync, statSync, unlinkSync } from 'node:fs';
import { dirname } from 'node:path';
import { configError } from '../core/errors.ts';

/**
 * Checks, before a load starts, that `path` can be written as a file: not a directory, and in a directory this process
 * may create files in. A file is only opened for appending (its content unchanged); one that did not exist is created
 * and removed again. Otherwise the first reject of a long load would fail it with a bare EISDIR or EACCES.
 */
export function checkWritableFile(path: string, flag: string): void {
  const refuse = (why: string) => configError(`${flag}: cannot write ${path}: ${why}`, { path });
  const existing = statOf(path);
  if (existing?.isDirectory()) throw refuse('it is a directory');
  let dir = dirname(path);
  // Directories still to be made are made when the first record is written; what counts is the first that exists.
  while (statOf(dir) === undefined && dirname(dir) !== dir) dir = dirname(dir);
  if (!statOf(dir)?.isDirectory()) throw refuse(`${dir} is not a directory`);
  try {
    if (existing !== undefined) closeSync(openSync(path, 'a'));
    else if (dir === dirname(path)) {
      closeSync(openSync(path, 'wx'));
      unlinkSync(path);
    } else accessSync(dir, constants.W_OK);
  } catch (error) {
    throw refuse((error as NodeJS.ErrnoException).code ?? String(error));
  }
}

function statOf(path: string) {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}
