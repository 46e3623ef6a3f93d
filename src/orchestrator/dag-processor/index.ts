export type { FileFingerprint, ImportError } from './import-error.ts';
export { defaultDagFileTimeoutMs, processDagFolder, type DagFolderScan, type ProcessDagFolderOptions } from './process-dag-folder.ts';
