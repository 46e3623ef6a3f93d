/** Why a DAG file gave no DAGs: stored by file (orch_import_error) and shown by the CLI. */
export interface ImportError {
  /** Relative to the DAG folder, with `/` separators. */
  file: string;
  /** The line of the DAG file where the problem is, when the error says it; null when it cannot (a hang, a crash). */
  line: number | null;
  message: string;
}

/** What the processor recorded of a file it parsed without error: an unchanged one is not parsed again. */
export interface FileFingerprint {
  size: number;
  mtimeMs: number;
  sha256: string;
  /** The DAGs it defined, sorted. */
  dagIds: string[];
}
