import type { Command } from 'commander';
import { z } from 'zod';
import { compileOptions } from '../../core/options.ts';
import { compileMetadbOptions, metadbFlags } from '../metadb-options.ts';

const schema = z.object({
  host: z.string().min(1),
  port: z.coerce.number().int('a whole number').min(0).max(65535, 'at most 65535'),
});

export function registerApiServer(program: Command): void {
  metadbFlags(program.command('api-server').description("serve the REST API (Airflow 3's /api/v2) and the web UI until interrupted"))
    .option('--host <host>', 'the address to listen on (127.0.0.1: this machine only)', '127.0.0.1')
    .option('--port <port>', 'the port (0: any free one)', '8080')
    .action(async (raw) => {
      const options = compileMetadbOptions(raw);
      const { host, port } = compileOptions(schema, raw);
      const { systemClock } = await import('../../core/clock.ts');
      const { secretBox, withMetadb } = await import('../metadb-options.ts');
      const { startApiServer } = await import('../../api/server.ts');
      const secrets = await secretBox(options);
      await withMetadb(options, async (engine) => {
        const { app, url } = await startApiServer({ engine, clock: systemClock, secrets, options: { logger: { level: process.env.SPARKIFY_LOG_LEVEL ?? 'info' } } }, { host, port });
        process.stderr.write(`API server on ${url} (metadb ${engine.description}); the API at ${url}/api/v2, its OpenAPI at ${url}/api/v2/openapi.json\n`);
        let onSignal = (_signal: NodeJS.Signals) => {};
        try {
          await new Promise<void>((resolve) => {
            onSignal = (signal) => {
              process.stderr.write(`\n${signal}: stopping (requests in flight are answered first)\n`);
              resolve();
            };
            process.once('SIGINT', onSignal);
            process.once('SIGTERM', onSignal);
          });
        } finally {
          process.off('SIGINT', onSignal);
          process.off('SIGTERM', onSignal);
          await app.close();
        }
      });
      process.stderr.write('API server stopped\n');
    });
}
