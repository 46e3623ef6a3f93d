/**
 * The staging tables, shaped like the course's Redshift staging: every field of the sources, typed, nullable,
 * named as Redshift names them (JSON keys folded to lower case). COPY converts each field to its column's type
 * or rejects the record; what the fields mean is decided later, in the transform.
 */
export type CopyType = 'varchar' | 'integer' | 'bigint' | 'double' | 'timestamp';

export interface StagingColumn {
  readonly name: string;
  readonly type: CopyType;
}

export interface StagingTable {
  readonly name: 'staging_events' | 'staging_songs';
  readonly columns: readonly StagingColumn[];
}

const c = (name: string, type: CopyType): StagingColumn => ({ name, type });

/** All 18 log fields, in the order of the course's log_json_path.json. */
export const stagingEvents: StagingTable = {
  name: 'staging_events',
  columns: [
    c('artist', 'varchar'), c('auth', 'varchar'), c('firstname', 'varchar'), c('gender', 'varchar'),
    c('iteminsession', 'integer'), c('lastname', 'varchar'), c('length', 'double'), c('level', 'varchar'),
    c('location', 'varchar'), c('method', 'varchar'), c('page', 'varchar'),
    // Epoch milliseconds written as a float (1540919166796.0): a double keeps it exactly.
    c('registration', 'double'), c('sessionid', 'integer'), c('song', 'varchar'), c('status', 'integer'),
    c('ts', 'timestamp'), c('useragent', 'varchar'),
    // A JSON string: "" when nobody is logged in, which COPY loads as NULL.
    c('userid', 'integer'),
  ],
};

/** The 10 song fields, named as in the files, so JSON 'auto' maps them by name. */
export const stagingSongs: StagingTable = {
  name: 'staging_songs',
  columns: [
    c('num_songs', 'integer'), c('artist_id', 'varchar'), c('artist_latitude', 'double'), c('artist_longitude', 'double'),
    c('artist_location', 'varchar'), c('artist_name', 'varchar'), c('song_id', 'varchar'), c('title', 'varchar'),
    c('duration', 'double'), c('year', 'integer'),
  ],
};

/** Rejected records, one row each, like Redshift's stl_load_errors; written outside the load's transaction. */
export const loadErrorColumns = ['load_id', 'table_name', 'file', 'line', 'column_name', 'reason', 'raw'] as const;

export const loadTableName = (table: StagingTable) => `${table.name}_load`;
