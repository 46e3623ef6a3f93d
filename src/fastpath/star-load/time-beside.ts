import { randomBytes } from 'node:crypto';
import type { CsvChunk, SqlEngine, SqlSession } from '../../engines/engine.ts';
import { ident } from '../../engines/identifiers.ts';
import { starSql } from '../../pipelines/star-load/sql-files.ts';

/**
 * `time` built beside the fact table on a first load into a server (02-time-beside.sql): a second connection COPYs
 * the time rows into a table of its own, builds its key and commits, while the load's transaction builds songplays'
 * key and indexes, so the second core is not idle (docs/decisions/2026-12-01-time-built-beside.md); the load's
 * transaction then puts that table in the place of its own, still empty, `time`. Until the load commits nobody sees
 * the change, and if it does not, `settle` drops the table built beside. One that a dead loader left behind is dropped
 * by the next first load (its advisory lock free).
 */
export class TimeBeside {
  /** The table built beside: "sparkify_time_" and 12 random hex digits. */
  readonly name: string;
  private readonly engine: SqlEngine;
  /** The schema of the load's `time` (quoted): where the table is built. */
  private readonly schema: string;
  private readonly built: Promise<void>;
  /** Settles once the other connection's transaction has begun (true), or failed before it could (false). */
  private readonly begun: Promise<boolean>;
  private committed = false;

  private constructor(engine: SqlEngine, schema: string, ddl: string, chunks: AsyncIterable<CsvChunk>, columns: readonly string[], key: string, name: string) {
    this.engine = engine;
    this.name = name;
    this.schema = schema;
    let begin!: () => void;
    const begun = new Promise<boolean>((resolve) => (begin = () => resolve(true)));
    this.built = engine.transaction(async (side) => {
      await side.query(`SELECT set_config('search_path', $1, true)`, [schema]);
      begin();
      await side.exec(starSql('02-key-function'));
      await side.exec(ddl);
      await side.copyCsv(ident(this.name), columns, chunks, { format: 'binary' });
      await side.query('SELECT pg_temp.add_key_dropping_repeats($1::regclass, $2, $3)', [this.name, `${this.name}_pkey`, key]);
    }).then(() => {
      this.committed = true;
    });
    // Awaited by swapIn or settle; until then a failure must not count as unhandled.
    this.built.catch(() => undefined);
    this.begun = Promise.race([begun, this.built.then(() => true, () => false)]);
  }

  /**
   * Starts building, from `chunks` (the time rows as binary COPY rows, of `columns`, keyed by `key`), once the load's
   * transaction `tx` has created `time` and decided it is a first load (06-load-targets.sql). Undefined when no second
   * connection could be had (the server's or the role's connection limit, say), before anything was read from
   * `chunks`: the caller then COPYs them on its own connection.
   */
  static async start(engine: SqlEngine, tx: SqlSession, chunks: AsyncIterable<CsvChunk>, columns: readonly string[], key: string): Promise<TimeBeside | undefined> {
    const name = `sparkify_time_${randomBytes(6).toString('hex')}`;
    const [begin] = await tx.query<{ search_path: string; ddl: string }>('SELECT search_path, ddl FROM pg_temp.time_beside_begin($1)', [name]);
    if (begin === undefined) throw new Error('time_beside_begin returned nothing');
    const beside = new TimeBeside(engine, begin.search_path, begin.ddl, chunks, columns, key, name);
    return (await beside.begun) ? beside : undefined;
  }

  /** In the load's transaction, last: waits for the table built beside (failing as it failed) and puts it in place. */
  async swapIn(tx: SqlSession): Promise<void> {
    await this.built;
    await tx.query('SELECT pg_temp.time_beside_swap($1)', [this.name]);
  }

  /** Once the load's transaction has ended: waits for the other connection, and drops its table unless the load committed. */
  async settle(loadCommitted: boolean): Promise<void> {
    await this.built.catch(() => undefined);
    if (!this.committed || loadCommitted) return;
    // Should this fail too (the server gone), the next first load drops it.
    await this.engine.exec(`DROP TABLE IF EXISTS ${this.schema}.${ident(this.name)}`).catch(() => undefined);
  }
}
