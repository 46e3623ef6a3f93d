import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { SqlEngine } from '../../engines/engine.ts';

/**
 * Brings the metadata database up to date with the DAG folder (new versions, import errors) before a command reads
 * it: `--dags DIR`, else ./dags when it exists (a database used only through triggers needs no folder). The scan loads
 * DAG files in child processes; this process imports none.
 */
export async function syncDagsFor(engine: SqlEngine, raw: { dags?: string; parse?: boolean }): Promise<void> {
  if (raw.parse === false) return;
  const folder = resolve(raw.dags ?? 'dags');
  if (raw.dags === undefined && !existsSync(folder)) return;
  const { syncDagFolder } = await import('../../orchestrator/scheduler-loop/sync-dag-folder.ts');
  const { systemClock } = await import('../../core/clock.ts');
  await syncDagFolder(engine, systemClock, { folder });
}
