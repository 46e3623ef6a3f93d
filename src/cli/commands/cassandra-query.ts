import type { Command } from 'commander';
import { z } from 'zod';
import { compileOptions } from '../../core/options.ts';
import { formatTable } from '../../core/table.ts';
import { openCqlEngine } from '../../engines/open-cql-engine.ts';
import { answer, cassandraQueries, type CassandraQuery } from '../../pipelines/cassandra-model/cassandra-queries.ts';
import { addCassandraFlags, compileCassandraFlags } from '../cassandra-options.ts';

const int = (what: string) => z.coerce.number({ error: `must be a ${what}` }).int(`must be a whole ${what}`).min(0).max(2 ** 31 - 1);
const text = z.string().min(1, 'must not be empty');
const output = { json: z.boolean().default(false), dryRun: z.boolean().default(false) };

/** Each question: its flags and their rules; the CQL and the columns live with the query (cassandra-queries.ts). */
const questions = [
  { query: cassandraQueries.sessionSongs, flags: [['--session <id>', 'sessionId'], ['--item <n>', 'itemInSession']],
    schema: z.object({ session: int('session id'), item: int('item number'), ...output }) },
  { query: cassandraQueries.userSession, flags: [['--user <id>', 'userId'], ['--session <id>', 'sessionId']],
    schema: z.object({ user: int('user id'), session: int('session id'), ...output }) },
  { query: cassandraQueries.songListeners, flags: [['--song <title>', 'song title, exactly as played']],
    schema: z.object({ song: text, ...output }) },
  { query: cassandraQueries.userSessions, flags: [['--user <id>', 'userId']],
    schema: z.object({ user: int('user id'), ...output }) },
  { query: cassandraQueries.artistListeners, flags: [['--artist <name>', 'artist name, exactly as played']],
    schema: z.object({ artist: text, ...output }) },
] as const;

export function registerCassandraQuery(cassandra: Command): void {
  const query = cassandra.command('query').description('answer one question with one partition read of its table');
  for (const q of questions) {
    const command = query.command(q.query.name).description(q.query.question);
    for (const [flag, help] of q.flags) command.requiredOption(flag, help);
    command.option('--dry-run', 'print the CQL and the bound values, and touch nothing').option('--json', 'machine-readable output');
    addCassandraFlags(command).action(async (raw) => {
      const config = compileCassandraFlags(raw);
      const args = compileOptions(q.schema, raw);
      await run(q.query as CassandraQuery<typeof args>, args, config);
    });
  }
}

async function run<A extends { json: boolean; dryRun: boolean }>(q: CassandraQuery<A>, args: A,
  config: ReturnType<typeof compileCassandraFlags>): Promise<void> {
  if (args.dryRun) {
    const plan = { keyspace: config.keyspace, consistency: config.consistency, cql: q.cql, params: q.params(args) };
    process.stdout.write(args.json ? `${JSON.stringify(plan, null, 2)}\n`
      : `USE ${plan.keyspace};\n${plan.cql};\n-- bound values (consistency ${plan.consistency}): ${JSON.stringify(plan.params)}\n`);
    return;
  }
  const engine = await openCqlEngine(config);
  try {
    await engine.useKeyspace();
    const result = await answer(engine, q, args);
    if (args.json) {
      process.stdout.write(`${JSON.stringify({ keyspace: config.keyspace, ...result }, null, 2)}\n`);
      return;
    }
    process.stdout.write(`${q.question}\n`);
    process.stdout.write(result.rows.length > 0 ? formatTable(result.rows, q.columns) : '(no rows)\n');
  } finally {
    await engine.close();
  }
}
