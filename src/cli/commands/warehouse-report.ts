import { resolve } from 'node:path';
import type { Command } from 'commander';
import { z } from 'zod';
import { compileOptions, defaultDataDir } from '../../core/options.ts';
import { formatTable } from '../../core/table.ts';
import { openWarehouseEngine } from '../../engines/open-warehouse-engine.ts';
import { reportNames, runReports, type ReportName } from '../../pipelines/warehouse/olap-reports.ts';
import { targetOption } from '../warehouse-options.ts';

const reportOptions = z.object({
  target: targetOption(['duckdb', 'postgres']),
  db: z.string().min(1).optional(),
  dataDir: z.string().min(1),
  only: z.array(z.enum(reportNames as [ReportName, ...ReportName[]], { error: `must be among ${reportNames.join(', ')}` })).optional(),
  json: z.boolean().default(false),
}).refine((o) => o.target !== 'postgres' || (o.db !== undefined && /^postgres(ql)?:\/\//.test(o.db)), {
  message: 'the postgres target needs --db postgres://user@host:port/database', path: ['db'],
});

export function registerWarehouseReport(warehouse: Command): void {
  warehouse
    .command('report')
    .description('OLAP reports on the star schema: roll-up, drill-down, slice, dice, GROUPING SETS, CUBE, top songs and artists, busiest hours')
    .option('--target <engine>', 'duckdb (embedded) or postgres', 'duckdb')
    .option('--db <target>', 'DuckDB file (default: <data-dir>/warehouse.duckdb), or the postgres:// URL for --target postgres')
    .option('--data-dir <dir>', 'data directory (default: $SPARKIFY_DATA_DIR or ./.sparkify)')
    .option('--only <names...>', `some of: ${reportNames.join(', ')}`)
    .option('--json', 'machine-readable output')
    .action(async (raw) => {
      const options = compileOptions(reportOptions, { ...raw, dataDir: raw.dataDir ?? defaultDataDir() });
      const engine = await openWarehouseEngine(options.target, options.db, resolve(options.dataDir));
      try {
        const results = await runReports(engine, options.only ?? reportNames);
        if (options.json) {
          process.stdout.write(`${JSON.stringify(Object.fromEntries(results.map((r) => [r.name, r.rows])), null, 2)}\n`);
          return;
        }
        // Years read better as 2018 than as the 2,018 a count would show.
        const shown = (rows: Record<string, unknown>[]) => rows.map((row) => ('year' in row && typeof row.year === 'number' ? { ...row, year: String(row.year) } : row));
        for (const r of results) process.stdout.write(`\n${r.title}\n${formatTable(shown(r.rows))}`);
      } finally {
        await engine.close();
      }
    });
}
