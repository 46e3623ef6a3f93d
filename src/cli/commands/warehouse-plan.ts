import type { Command } from 'commander';
import { z } from 'zod';
import { compileOptions } from '../../core/options.ts';
import { formatWarehousePlan, planWarehouseLoad } from '../../pipelines/warehouse/warehouse-plan.ts';
import { compileLoadRequest, sourceFlags, targetOption } from '../warehouse-options.ts';

const planOptions = z.object({ target: targetOption(['redshift', 'postgres', 'duckdb']), json: z.boolean().default(false) });

export function registerWarehousePlan(warehouse: Command): void {
  const command = warehouse
    .command('plan')
    .description("print the compiled load for a target: DDL, COPY, and the transform's SQL (touches nothing)")
    .requiredOption('--target <target>', 'redshift, postgres or duckdb')
    .option('--iam-role <arn>', "Redshift: the role COPY assumes to read the bucket")
    .option('--gzip', 'Redshift: the objects are gzip-compressed');
  sourceFlags(command)
    .option('--json', 'the plan as JSON')
    .action(async (raw) => {
      const options = compileOptions(planOptions, raw);
      const plan = planWarehouseLoad(compileLoadRequest(options.target, raw));
      process.stdout.write(options.json ? `${JSON.stringify(plan, null, 2)}\n` : formatWarehousePlan(plan));
    });
}
