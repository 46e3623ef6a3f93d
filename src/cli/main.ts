import { Command, CommanderError } from 'commander';
import { SparkifyError } from '../core/errors.ts';
import { registerCassandra } from './commands/cassandra.ts';
import { registerDemo } from './commands/demo.ts';
import { registerEtl } from './commands/etl.ts';
import { registerS3 } from './commands/s3.ts';
import { registerWarehouse } from './commands/warehouse.ts';
import { registerSimulate } from './commands/simulate.ts';

/** Builds the program; commands live one per file under ./commands and only describe and dispatch. */
export function buildProgram(): Command {
  const program = new Command('sparkify')
    .description('The Sparkify data platform')
    .showHelpAfterError()
    .exitOverride();
  registerDemo(program);
  registerSimulate(program);
  registerEtl(program);
  registerCassandra(program);
  registerS3(program);
  registerWarehouse(program);
  return program;
}

/** Runs the CLI and returns the exit code. The only place that turns errors into messages and codes. */
export async function main(argv: string[]): Promise<number> {
  try {
    await buildProgram().parseAsync(argv);
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode;
    if (error instanceof SparkifyError) {
      process.stderr.write(`error: ${error.message}\n`);
      if (error.cause instanceof Error && !error.message.includes(error.cause.message)) {
        process.stderr.write(`  caused by: ${error.cause.message}\n`);
      }
      return error.code === 'SPK_E_CONFIG' ? 2 : 1;
    }
    process.stderr.write(`internal error (a bug, please report it): ${error instanceof Error ? error.stack : String(error)}\n`);
    return 70;
  }
}
