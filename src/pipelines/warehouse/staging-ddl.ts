import { loadErrorColumns, type StagingTable } from './staging-tables.ts';
import { columnTypes, type Target } from './targets.ts';

/**
 * Staging DDL is generated from the column specs that also drive COPY's conversions, so the two cannot drift.
 * On Redshift, staging is spread evenly (DISTSTYLE EVEN): COPY writes every slice in parallel, and the transform
 * reads all of it once, so no key would save a redistribution.
 */
export function stagingTableDdl(target: Target, table: StagingTable, name: string = table.name, ifNotExists = true): string {
  const types = columnTypes[target];
  const width = Math.max(...table.columns.map((c) => c.name.length));
  const columns = table.columns.map((c) => `  ${c.name.padEnd(width)}  ${types[c.type]}`).join(',\n');
  const suffix = target === 'redshift' ? '\nDISTSTYLE EVEN' : '';
  return `CREATE TABLE ${ifNotExists ? 'IF NOT EXISTS ' : ''}${name} (\n${columns}\n)${suffix};`;
}

/** Like Redshift's stl_load_errors (which Redshift itself keeps, so it has no such table of ours). */
export function loadErrorsDdl(target: Exclude<Target, 'redshift'>): string {
  const t = columnTypes[target];
  const types: Record<(typeof loadErrorColumns)[number], string> = {
    load_id: t.varchar, table_name: t.varchar, file: t.varchar, line: t.integer, column_name: t.varchar, reason: t.varchar, raw: t.varchar,
  };
  return `CREATE TABLE IF NOT EXISTS load_errors (\n${loadErrorColumns.map((c) => `  ${c.padEnd(11)}  ${types[c]}`).join(',\n')}\n);`;
}
