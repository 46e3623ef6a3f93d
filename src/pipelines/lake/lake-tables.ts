import type { LakeColumn, LakeType } from '../../engines/lake-engine.ts';
import type { FieldSpec } from '../../datasets/field-spec.ts';

/** One Parquet table of the lake: its columns (partition columns included, last), partition folders and scope. */
export interface LakeTableSpec {
  name: 'songs' | 'artists' | 'users' | 'time' | 'songplays';
  columns: LakeColumn[];
  partitionBy: string[];
  /**
   * 'month': partitioned by year and month of the play, so a run over an interval replaces exactly its months.
   * 'whole': written only by a full build (songs and artists have no time; users' latest level needs every play).
   */
  scope: 'month' | 'whole';
}

const c = (name: string, type: LakeType): LakeColumn => ({ name, type });

/** The star schema's five tables as the course's lake lays them out. */
export const lakeTables: readonly LakeTableSpec[] = [
  { name: 'songs', scope: 'whole', partitionBy: ['year', 'artist_id'],
    columns: [c('song_id', 'STRING'), c('title', 'STRING'), c('duration', 'DOUBLE'), c('year', 'INT'), c('artist_id', 'STRING')] },
  { name: 'artists', scope: 'whole', partitionBy: [],
    columns: [c('artist_id', 'STRING'), c('name', 'STRING'), c('location', 'STRING'), c('latitude', 'DOUBLE'), c('longitude', 'DOUBLE')] },
  { name: 'users', scope: 'whole', partitionBy: [],
    columns: [c('user_id', 'INT'), c('first_name', 'STRING'), c('last_name', 'STRING'), c('gender', 'STRING'), c('level', 'STRING'), c('level_at', 'TIMESTAMP')] },
  { name: 'time', scope: 'month', partitionBy: ['year', 'month'],
    columns: [c('start_time', 'TIMESTAMP'), c('hour', 'INT'), c('day', 'INT'), c('week', 'INT'), c('weekday', 'INT'), c('year', 'INT'), c('month', 'INT')] },
  { name: 'songplays', scope: 'month', partitionBy: ['year', 'month'],
    columns: [c('songplay_id', 'STRING'), c('start_time', 'TIMESTAMP'), c('user_id', 'INT'), c('level', 'STRING'), c('song_id', 'STRING'),
      c('artist_id', 'STRING'), c('session_id', 'INT'), c('location', 'STRING'), c('user_agent', 'STRING'), c('year', 'INT'), c('month', 'INT')] },
];

/** The datasets module's record schema as the engine's typed columns. */
export function recordColumns(fields: readonly FieldSpec[]): LakeColumn[] {
  const types: Record<string, LakeType> = { string: 'STRING', integer: 'BIGINT', int32: 'INT', number: 'DOUBLE' };
  return fields.map((f) => {
    const type = types[f.type];
    if (type === undefined) throw new Error(`no lake type for field type ${f.type} (${f.name})`);
    return { name: f.name, type };
  });
}
