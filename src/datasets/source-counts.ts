/**
 * What happened to every record of one source in one run. The invariant every run checks and reports:
 * read = loaded + quarantined + filtered + duplicates.
 */
export interface SourceCounts {
  source: string;
  files: number;
  read: number;
  loaded: number;
  quarantined: number;
  /** Read fine but excluded by a documented rule (e.g. songplays come only from NextSong events). */
  filtered: number;
  /**
   * Read fine but dropped as a repeat of a key met earlier in the same input (an event's sessionId:itemInSession:userId,
   * a song's song_id): its table holds one row for the key. Counted from the database, after the fact. A key the table
   * already held from an earlier load is not a duplicate: re-loading an input reports it loaded again.
   */
  duplicates: number;
  /** Loaded after a harmless repair (BOM, CRLF, a number given for a text field): counted in `loaded` too. */
  repaired: number;
  /** Numbers read from Excel-mangled CSV text such as 1.54092E+12, whose digits were lost before we saw them. */
  precisionLost: number;
}

export function emptyCounts(source: string): SourceCounts {
  return { source, files: 0, read: 0, loaded: 0, quarantined: 0, filtered: 0, duplicates: 0, repaired: 0, precisionLost: 0 };
}

/** Adds `change` (counts of the same source kept elsewhere, e.g. in a worker thread) into `into`. */
export function addCounts(into: SourceCounts, change: SourceCounts): void {
  into.files += change.files;
  into.read += change.read;
  into.loaded += change.loaded;
  into.quarantined += change.quarantined;
  into.filtered += change.filtered;
  into.duplicates += change.duplicates;
  into.repaired += change.repaired;
  into.precisionLost += change.precisionLost;
}

export function reconciles(c: SourceCounts): boolean {
  return c.read === c.loaded + c.quarantined + c.filtered + c.duplicates;
}

/** Moves `n` records of `c` from loaded to duplicates (known only once the database has dropped the repeats). */
export function countDuplicates(c: SourceCounts, n: number): void {
  c.loaded -= n;
  c.duplicates += n;
}
