import type { Command } from 'commander';
import { registerCassandraConsolidate } from './cassandra-consolidate.ts';
import { registerCassandraLoad } from './cassandra-load.ts';
import { registerCassandraQuery } from './cassandra-query.ts';

/** `sparkify cassandra …`: the app team's query-first tables on Apache Cassandra. */
export function registerCassandra(program: Command): void {
  const cassandra = program.command('cassandra').description("query-first tables for the app team's questions, on Apache Cassandra");
  registerCassandraConsolidate(cassandra);
  registerCassandraLoad(cassandra);
  registerCassandraQuery(cassandra);
}
