import { Command, CommanderError } from 'commander';
import { bounded, SparkifyError } from '../core/errors.ts';
import { registerCassandra } from './commands/cassandra.ts';
import { registerConnections } from './commands/connections.ts';
import { registerDags } from './commands/dags.ts';
import { registerDb } from './commands/db.ts';
import { registerDemo } from './commands/demo.ts';
import { registerEtl } from './commands/etl.ts';
import { registerLake } from './commands/lake.ts';
import { registerLineage } from './commands/lineage.ts';
import { registerPools } from './commands/pools.ts';
import { registerS3 } from './commands/s3.ts';
import { registerWarehouse } from './commands/warehouse.ts';
import { registerScheduler } from './commands/scheduler.ts';
import { registerSimulate } from './commands/simulate.ts';
import { registerTasks } from './commands/tasks.ts';
import { registerVariables } from './commands/variables.ts';
import { registerWorker } from './commands/worker.ts';
import { registerApiServer } from './commands/api-server.ts';
import { registerUsers } from './commands/users.ts';

/** Builds the program; commands live one per file under ./commands and only describe and dispatch. */
export function buildProgram(): Command {
  const program = new Command('sparkify')
    .description('The Sparkify data platform')
    // A mistake in the flags gets one line and this hint, not the whole usage (subcommands inherit it).
    .showHelpAfterError('(see --help for the options)')
    .exitOverride();
  registerDemo(program);
  registerSimulate(program);
  registerEtl(program);
  registerCassandra(program);
  registerS3(program);
  registerWarehouse(program);
  registerLake(program);
  registerDb(program);
  registerConnections(program);
  registerVariables(program);
  registerPools(program);
  registerDags(program);
  registerTasks(program);
  registerScheduler(program);
  registerLineage(program);
  registerWorker(program);
  registerUsers(program);
  registerApiServer(program);
  return program;
}

/** Runs the CLI and returns the exit code. The only place that turns errors into messages and codes. */
export async function main(argv: string[]): Promise<number> {
  try {
    await buildProgram().parseAsync(argv);
    return 0;
  } catch (error) {
    // Commander has printed its one line (and the hint); --help and --version are not failures.
    if (error instanceof CommanderError) return error.code === 'commander.helpDisplayed' || error.code === 'commander.version' ? 0 : 2;
    if (error instanceof SparkifyError) {
      const step = error.step === undefined ? '' : ` (step: ${error.step})`;
      process.stderr.write(`error: ${bounded(error.message, 2000)}${step}\n`);
      if (error.cause instanceof Error && !error.message.includes(error.cause.message)) {
        // Its first line: a driver's message can go on with a whole stack.
        process.stderr.write(`  caused by: ${bounded(error.cause.message.split('\n', 1)[0] ?? '')}\n`);
      }
      if (error.code === 'SPK_E_CONFIG') {
        process.stderr.write('(see --help for the options)\n');
        return 2;
      }
      return 1;
    }
    process.stderr.write(`internal error (a bug, please report it): ${error instanceof Error ? error.stack : String(error)}\n`);
    return 70;
  }
}
