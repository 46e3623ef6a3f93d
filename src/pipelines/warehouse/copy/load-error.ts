/** A record COPY rejected, as Redshift's stl_load_errors shows it: where, which column, why, and the raw text. */
export interface LoadError {
  /** The staging table the record was for. */
  table: string;
  /** The object's URL (s3://bucket/key, or a path). */
  file: string;
  /** 1-based line where the record starts (0: the object as a whole). */
  line: number;
  /** The column whose value did not fit, '' when the record as a whole is bad. */
  column: string;
  reason: string;
  /** The record's text, cut to 1,024 characters like stl_load_errors.raw_line. */
  raw: string;
}

export const rawLineLimit = 1024;

export function clipRaw(raw: string): string {
  return raw.length > rawLineLimit ? raw.slice(0, rawLineLimit) : raw;
}
