import type { Clock } from '../../core/clock.ts';
import type { SqlEngine } from '../../engines/engine.ts';
import { processDagFolder } from '../dag-processor/process-dag-folder.ts';
import type { FileFingerprint } from '../dag-processor/import-error.ts';
import { deleteDagFile, listDagFiles, recordDagFile } from '../metadb/dag-files.ts';
import { markFileDagsInactive, upsertDagVersion } from '../metadb/dags.ts';
import { clearImportError, listImportErrors, recordImportError } from '../metadb/import-errors.ts';

export interface SyncDagFolderOptions {
  folder: string;
  /** Per file (processDagFolder's default when omitted). */
  timeoutMs?: number;
  /** Whether a DAG seen for the first time starts paused (Airflow's dags_are_paused_at_creation; default true). */
  pausedAtCreation?: boolean;
}

export interface DagFolderSync {
  parsed: string[];
  unchanged: string[];
  removed: string[];
  /** DAG ids whose stored version changed (or that are new). */
  newVersions: string[];
  importErrors: number;
  /** DAGs no file defines any more. */
  deactivated: string[];
}

/**
 * The DAG processor's step: the folder is scanned (new or changed files loaded in child processes, never here), then
 * what it found is stored in one short transaction: new DAG versions, fingerprints, import errors (a file parsed
 * cleanly or gone loses its error), and DAGs their file no longer defines become inactive. A file with an import error
 * loses its fingerprint (so reverting it to its last good bytes is parsed again), but its DAGs stay active with their
 * last good version: a typo in a DAG file does not stop its hourly runs.
 */
export async function syncDagFolder(engine: SqlEngine, clock: Clock, options: SyncDagFolderOptions): Promise<DagFolderSync> {
  const stored = await listDagFiles(engine);
  const fingerprints = new Map<string, FileFingerprint>(stored.map((f) => [f.file, { size: f.size, mtimeMs: f.mtimeMs, sha256: f.sha256, dagIds: f.dagIds }]));
  const scan = await processDagFolder({ folder: options.folder, fingerprints, ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }) });
  const now = clock.now();
  return engine.transaction(async (tx) => {
    const newVersions: string[] = [];
    for (const v of scan.dags) if ((await upsertDagVersion(tx, v, now, options.pausedAtCreation ?? true)).created) newVersions.push(v.dag.id);
    const deactivated: string[] = [];
    for (const file of scan.parsed) {
      const fp = scan.fingerprints.get(file);
      if (fp === undefined) continue;
      await recordDagFile(tx, { file, ...fp, parsedAt: now });
      await clearImportError(tx, file);
      deactivated.push(...(await markFileDagsInactive(tx, file, fp.dagIds)));
    }
    for (const e of scan.importErrors) {
      await recordImportError(tx, e, now);
      await deleteDagFile(tx, e.file);
    }
    for (const file of scan.removed) {
      await deleteDagFile(tx, file);
      deactivated.push(...(await markFileDagsInactive(tx, file, [])));
    }
    // A file that had an error and is gone now was never fingerprinted: its error goes with it.
    const present = new Set([...scan.parsed, ...scan.unchanged]);
    for (const e of await listImportErrors(tx)) if (!present.has(e.file)) await clearImportError(tx, e.file);
    return { parsed: scan.parsed, unchanged: scan.unchanged, removed: scan.removed, newVersions, importErrors: scan.importErrors.length, deactivated: deactivated.sort() };
  });
}
