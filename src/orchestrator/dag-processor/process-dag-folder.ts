import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import { configError } from '../../core/errors.ts';
import type { DagVersion, SerializedDag } from '../dag/serialized-dag.ts';
import { dagProblems } from '../dag/validate-serialized-dag.ts';
import { fileIdentity, sameIdentity } from './file-fingerprint.ts';
import type { FileFingerprint, ImportError } from './import-error.ts';
import { listDagFiles } from './list-dag-files.ts';
import { loadDagFiles } from './load-dag-files.ts';

export interface ProcessDagFolderOptions {
  /** Default `dags`, from the working directory. */
  folder?: string;
  /** What the last scan recorded (orch_dag_file): a file with the same size, mtime and SHA-256 is not parsed again. */
  fingerprints?: ReadonlyMap<string, FileFingerprint>;
  /** Per file; default 30 s. */
  timeoutMs?: number;
}

export interface DagFolderScan {
  /** The DAGs of the files parsed in this scan (not of unchanged ones), sorted by id. */
  dags: DagVersion[];
  /** One per file that gave no DAGs, sorted by file. */
  importErrors: ImportError[];
  /** The files parsed without error and the unchanged ones: what the next scan is given. */
  fingerprints: Map<string, FileFingerprint>;
  /** Files parsed this scan (with or without error), files skipped as unchanged, and files gone since the last scan. */
  parsed: string[];
  unchanged: string[];
  removed: string[];
}

export const defaultDagFileTimeoutMs = 30_000;

/**
 * One scan of the DAG folder: each new or changed file is loaded in a child process and its DAGs serialised there; a
 * file that throws, does not compile, hangs or ends its process is an import error, and the others are parsed all the
 * same. A file failing is not fingerprinted, so it is tried again next scan. A DAG id defined by two files is an
 * import error of the later file (in path order). Storing the result is the metadata database's (the caller's) part.
 */
export async function processDagFolder(options: ProcessDagFolderOptions = {}): Promise<DagFolderScan> {
  const folder = resolve(options.folder ?? 'dags');
  const timeoutMs = options.timeoutMs ?? defaultDagFileTimeoutMs;
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) throw configError(`the DAG file time limit must be more than 0 ms, not ${timeoutMs}`);
  const previous = options.fingerprints ?? new Map<string, FileFingerprint>();
  let files: string[];
  try {
    files = await listDagFiles(folder);
  } catch (error) {
    throw configError(`cannot read the DAG folder ${folder}: ${(error as Error).message}`, { folder });
  }
  const identities = new Map(await Promise.all(files.map(async (f) => [f, await fileIdentity(resolve(folder, f))] as const)));
  const unchanged = files.filter((f) => {
    const before = previous.get(f);
    return before !== undefined && sameIdentity(before, identities.get(f) as FileFingerprint);
  });
  const toParse = files.filter((f) => !unchanged.includes(f));
  const outcomes = await loadDagFiles(folder, toParse, timeoutMs);

  const importErrors: ImportError[] = [];
  const parsedDags = new Map<string, DagVersion[]>();
  for (const o of outcomes) {
    if ('error' in o) {
      importErrors.push(o.error);
      continue;
    }
    // The child's JSON is checked and hashed here: what is stored is what this process verified.
    const versions = o.dags.map((json) => ({ dag: JSON.parse(json) as SerializedDag, json, hash: createHash('sha256').update(json).digest('hex') }));
    const problems = versions.flatMap((v) => dagProblems(v.dag));
    if (problems.length > 0) importErrors.push({ file: o.file, line: null, message: `SPK_E_DAG_INVALID: ${problems.join('; ')}` });
    else parsedDags.set(o.file, versions);
  }

  // Who defines each DAG id, in path order: unchanged files from their fingerprints, parsed ones from their DAGs.
  const fingerprints = new Map<string, FileFingerprint>();
  const owner = new Map<string, string>();
  for (const file of files) {
    const dagIds = unchanged.includes(file) ? (previous.get(file) as FileFingerprint).dagIds : parsedDags.get(file)?.map((v) => v.dag.id);
    if (dagIds === undefined) continue;
    const taken = dagIds.filter((id) => owner.has(id));
    if (taken.length > 0) {
      const names = taken.map((id) => `'${id}' (already defined in ${owner.get(id)})`).join(', ');
      importErrors.push({ file, line: null, message: `SPK_E_DAG_INVALID: duplicate DAG id ${names}` });
      parsedDags.delete(file);
      continue;
    }
    for (const id of dagIds) owner.set(id, file);
    fingerprints.set(file, { ...(identities.get(file) as FileFingerprint), dagIds: [...dagIds].sort() });
  }

  const byCodeUnit = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return {
    dags: [...parsedDags.values()].flat().sort((a, b) => byCodeUnit(a.dag.id, b.dag.id)),
    importErrors: importErrors.sort((a, b) => byCodeUnit(a.file, b.file)),
    fingerprints,
    parsed: toParse,
    unchanged,
    removed: [...previous.keys()].filter((f) => !identities.has(f)).sort(byCodeUnit),
  };
}
