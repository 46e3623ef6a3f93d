import type { Command } from 'commander';
import { registerLakeBuild } from './lake-build.ts';
import { registerLakeQuery } from './lake-query.ts';

export function registerLake(program: Command): void {
  const lake = program
    .command('lake')
    .description('the data lake: raw JSON on object storage turned into partitioned Parquet tables, and SQL over both');
  registerLakeBuild(lake);
  registerLakeQuery(lake);
}
