import type { Command } from 'commander';
import { compileMetadbOptions, metadbFlags, printJson } from '../metadb-options.ts';

export function registerDb(program: Command): void {
  const db = program.command('db').description("the orchestrator's metadata database");
  metadbFlags(db.command('migrate').description('bring the metadata schema up to date (a no-op when it is)')).action(async (raw) => {
    const options = compileMetadbOptions(raw);
    const { openEngine } = await import('../../engines/open-engine.ts');
    const { metadbDir } = await import('../../orchestrator/metadb/open-metadb.ts');
    const { migrate } = await import('../../orchestrator/metadb/migrate.ts');
    const { cliLockWait } = await import('../lock-wait.ts');
    const engine = await openEngine(options.db ?? metadbDir(options.dataDir), options.dataDir, cliLockWait());
    try {
      const result = await migrate(engine, { wait: cliLockWait() });
      if (options.json) return printJson({ database: engine.description, ...result });
      const names = result.applied.map((m) => `${String(m.version).padStart(6, '0')}-${m.name}`).join(', ');
      process.stdout.write(result.applied.length === 0
        ? `${engine.description}: the schema is up to date (version ${result.to})\n`
        : `${engine.description}: schema version ${result.from} -> ${result.to} (applied ${names})\n`);
    } finally {
      await engine.close();
    }
  });
}
