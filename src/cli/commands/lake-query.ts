import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Command } from 'commander';
import { z } from 'zod';
import { configError, inStep, unreadableInput } from '../../core/errors.ts';
import { compileOptions } from '../../core/options.ts';
import { formatTable } from '../../core/table.ts';
import { openLakeEngine } from '../../engines/open-lake-engine.ts';
import { registerLake } from '../../pipelines/lake/register-lake.ts';
import { childLocation, parseLocation } from '../../storage/location.ts';
import type { ObjectStore } from '../../storage/object-store.ts';
import { openStore } from '../../storage/open-store.ts';
import { compileS3Config, s3Flags } from '../s3-options.ts';
import { lakeEngineOption } from './lake-build.ts';

const queryOptions = z.object({
  sql: z.string().trim().min(1, 'give the SQL to run, or --file'),
  in: z.string().min(1).optional(),
  out: z.string().min(1).optional(),
  engine: lakeEngineOption,
  sparkRemote: z.string().min(1).optional(),
  json: z.boolean().default(false),
});

export function registerLakeQuery(lake: Command): void {
  const command = lake
    .command('query [sql]')
    .description('SQL over the lake tables (songs, artists, users, time, songplays) and the view log_data over the raw JSON logs')
    .option('--out <location>', "the lake's root, as given to lake build: its tables by name")
    .option('--in <location>', 'where log_data/ lives: the view log_data')
    .option('--file <path>', 'the SQL from a file (a file may start with a -- comment, which the command line would take for an option)')
    .option('--engine <engine>', 'duckdb (embedded) or spark (a Spark Connect server: --spark-remote)', 'duckdb')
    .option('--spark-remote <sc://host:port>', 'the Spark Connect server of --engine spark (default: $SPARKIFY_SPARK_REMOTE)')
    .option('--json', 'machine-readable output');
  for (const [flag, help] of s3Flags) command.option(flag, help);
  command.action(async (text: string | undefined, raw) => {
    if (text !== undefined && raw.file !== undefined) throw configError('give the SQL or --file, not both', { field: 'file' });
    if (text === undefined && raw.file === undefined) throw configError('give the SQL to run, or --file', { field: 'sql' });
    const sql = text ?? await readFile(raw.file as string, 'utf8').catch((cause: unknown) => {
      throw unreadableInput(raw.file as string, cause);
    });
    const options = compileOptions(queryOptions, { ...raw, file: undefined, sql });
    if (options.in === undefined && options.out === undefined) throw configError('give --out (the lake) or --in (the raw logs), or both', { field: 'out' });
    const s3 = compileS3Config(raw);
    const engine = await openLakeEngine(options.engine, options.sparkRemote ? { sparkRemote: options.sparkRemote } : {});
    const spool = await mkdtemp(join(tmpdir(), 'sparkify-lake-query-'));
    const stores: ObjectStore[] = [];
    try {
      const lakeLocation = options.out === undefined ? undefined : parseLocation(options.out);
      const logsLocation = options.in === undefined ? undefined : childLocation(parseLocation(options.in), 'log_data');
      const sources: Parameters<typeof registerLake>[1] = {};
      if (lakeLocation) {
        const store = await openStore(lakeLocation, s3);
        stores.push(store);
        sources.lake = [store, lakeLocation];
      }
      if (logsLocation) {
        const store = await openStore(logsLocation, s3);
        stores.push(store);
        sources.logs = [store, logsLocation];
      }
      await registerLake(engine, sources, spool);
      const rows = await inStep('query', () => engine.query(options.sql));
      if (options.json) process.stdout.write(`${JSON.stringify(rows, jsonValue, 2)}\n`);
      else process.stdout.write(`${formatTable(rows.map(shown))}(${rows.length} ${rows.length === 1 ? 'row' : 'rows'})\n`);
    } finally {
      for (const s of stores) await s.close().catch(() => undefined);
      await engine.close();
      await rm(spool, { recursive: true, force: true });
    }
  });
}

/** JSON for values JSON has no form of: a large integer as its digits, a timestamp as ISO text. */
function jsonValue(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? value.toString() : value;
}

/** Years and ids read better as 2018 than as the 2,018 a count would show; timestamps as ISO text. */
function shown(row: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(row)) {
    out[k] = v instanceof Date ? v.toISOString().replace('T', ' ').replace(/\.000Z$|Z$/, '')
      : typeof v === 'number' && /(^|_)(year|id)$|Id$/.test(k) ? String(v)
      : typeof v === 'bigint' ? v.toString() : v;
  }
  return out;
}
