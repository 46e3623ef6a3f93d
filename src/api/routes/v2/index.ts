import type { FastifyInstance } from 'fastify';
import type { ApiDeps } from '../../api-deps.ts';
import { registerConnections } from './connections.ts';
import { registerDagRuns } from './dag-runs.ts';
import { registerDags } from './dags.ts';
import { registerDeadlines } from './deadlines.ts';
import { registerImportErrors } from './import-errors.ts';
import { registerMonitor } from './monitor.ts';
import { registerPools } from './pools.ts';
import { registerTaskInstances } from './task-instances.ts';
import { registerTaskLogs } from './task-logs.ts';
import { registerTaskTries } from './task-tries.ts';
import { registerVariables } from './variables.ts';
import { registerXcom } from './xcom.ts';

/** Airflow 3's stable REST API (`/api/v2`), for the resources our orchestrator has (docs/api.md). */
export async function registerApiV2(app: FastifyInstance, deps: ApiDeps): Promise<void> {
  for (const register of [registerDags, registerDagRuns, registerTaskInstances, registerTaskTries, registerTaskLogs, registerXcom, registerConnections,
    registerVariables, registerPools, registerImportErrors, registerMonitor, registerDeadlines]) {
    await register(app, deps);
  }
}
