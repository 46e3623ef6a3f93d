import type { Command } from 'commander';
import { compileMetadbOptions, metadbFlags, printJson, secretBox, valueOrStdin, withMetadb } from '../metadb-options.ts';

/** What a listing shows for a secret that is set: never the value, nor its length. */
const masked = '***';

export function registerConnections(program: Command): void {
  const connections = program.command('connections').description('connections to databases and stores that tasks use (passwords and extras encrypted at rest)');
  metadbFlags(connections.command('add <id>').description('add or replace a connection')
    .requiredOption('--uri <uri>', 'type://login:password@host:port/schema?key=value (- reads it from stdin, keeping the password out of ps)')
    .option('--extra <json>', 'extras as a JSON object (merged over the URI\'s query keys)')
    .option('--description <text>', 'what it is for'))
    .action(async (id: string, raw) => {
      const options = compileMetadbOptions(raw);
      const { parseConnectionUri, parseExtra } = await import('../../orchestrator/metadb/connection-uri.ts');
      const { putConnection } = await import('../../orchestrator/metadb/connections.ts');
      const fields = parseConnectionUri(await valueOrStdin(raw.uri));
      const extra = { ...fields.extra, ...(raw.extra === undefined ? {} : parseExtra(raw.extra, '--extra')) };
      const box = await secretBox(options);
      await withMetadb(options, (engine) => engine.transaction((tx) => putConnection(tx, box, { ...fields, extra, connId: id, description: raw.description ?? null })));
      if (options.json) return printJson({ connId: id, connType: fields.connType, added: true });
      process.stdout.write(`connection ${id} (${fields.connType}) saved\n`);
    });
  metadbFlags(connections.command('list').description('list connections (passwords and extras masked)')).action(async (raw) => {
    const options = compileMetadbOptions(raw);
    const { listConnections } = await import('../../orchestrator/metadb/connections.ts');
    const rows = await withMetadb(options, (engine) => listConnections(engine));
    const shown = rows.map((c) => ({
      conn_id: c.connId, conn_type: c.connType, host: c.host, port: c.port === null ? null : String(c.port), login: c.login, schema: c.schema,
      password: c.hasPassword ? masked : null, extra: c.hasExtra ? masked : null, description: c.description,
    }));
    if (options.json) return printJson(shown);
    const { formatTable } = await import('../../core/table.ts');
    process.stdout.write(shown.length === 0 ? 'no connections\n' : formatTable(shown));
  });
  metadbFlags(connections.command('delete <id>').description('delete a connection')).action(async (id: string, raw) => {
    const options = compileMetadbOptions(raw);
    const { deleteConnection } = await import('../../orchestrator/metadb/connections.ts');
    const deleted = await withMetadb(options, (engine) => engine.transaction((tx) => deleteConnection(tx, id)));
    if (!deleted) {
      const { SparkifyError } = await import('../../core/errors.ts');
      throw new SparkifyError('SPK_E_NOT_FOUND', `no connection ${id}`);
    }
    if (options.json) return printJson({ connId: id, deleted: true });
    process.stdout.write(`connection ${id} deleted\n`);
  });
}
