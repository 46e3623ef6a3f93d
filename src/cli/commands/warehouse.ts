import type { Command } from 'commander';
import { registerWarehouseLoad } from './warehouse-load.ts';
import { registerWarehousePlan } from './warehouse-plan.ts';
import { registerWarehouseReport } from './warehouse-report.ts';

export function registerWarehouse(program: Command): void {
  const warehouse = program
    .command('warehouse')
    .description('ELT from object storage into staging tables and a Redshift-compatible star schema, and OLAP reports');
  registerWarehouseLoad(warehouse);
  registerWarehousePlan(warehouse);
  registerWarehouseReport(warehouse);
}
