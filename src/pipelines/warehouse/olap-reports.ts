import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SqlSession } from '../../engines/engine.ts';

/** The analysts' OLAP queries, one SQL file each under sql/reports/, written to run unchanged on every target. */
export const reports = [
  { name: 'rollup', title: 'Roll-up: plays by year → month → day (ROLLUP; blank = subtotal)' },
  { name: 'drill-down', title: 'Drill-down: the busiest day, hour by hour' },
  { name: 'slice', title: "Slice: level = 'paid', by weekday (0 = Sunday)" },
  { name: 'dice', title: 'Dice: paid plays by women, Mon–Fri 08:00–17:59, top locations' },
  { name: 'grouping-sets', title: 'GROUPING SETS: (level, gender), (level), (gender), ()' },
  { name: 'cube', title: 'CUBE: level × gender × weekday' },
  { name: 'top-songs', title: 'Top songs' },
  { name: 'top-artists', title: 'Top artists' },
  { name: 'busiest-hours', title: 'Busiest hours (UTC)' },
] as const;

export type ReportName = (typeof reports)[number]['name'];
export const reportNames = reports.map((r) => r.name) as ReportName[];

export interface ReportResult {
  name: ReportName;
  title: string;
  rows: Record<string, unknown>[];
}

export function reportSql(name: ReportName): string {
  return readFileSync(join(import.meta.dirname, 'sql', 'reports', `${name}.sql`), 'utf8').trim();
}

export async function runReports(db: SqlSession, names: readonly ReportName[] = reportNames): Promise<ReportResult[]> {
  const out: ReportResult[] = [];
  for (const report of reports.filter((r) => names.includes(r.name))) {
    out.push({ name: report.name, title: report.title, rows: await db.query(reportSql(report.name)) });
  }
  return out;
}
