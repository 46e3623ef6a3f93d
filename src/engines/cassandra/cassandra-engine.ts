import cassandra from 'cassandra-driver';
import { SparkifyError } from '../../core/errors.ts';
import type { CqlEngine, CqlRow, CqlStatement, RequestObserver } from '../cql-engine.ts';
import { describeCassandra, type CassandraConfig, type ConsistencyName } from './cassandra-config.ts';
import { cassandraError } from './cassandra-errors.ts';
import { TimeoutRetryPolicy } from './retry-policy.ts';

const consistencies: Record<ConsistencyName, cassandra.types.consistencies> = {
  ANY: cassandra.types.consistencies.any,
  ONE: cassandra.types.consistencies.one,
  TWO: cassandra.types.consistencies.two,
  THREE: cassandra.types.consistencies.three,
  QUORUM: cassandra.types.consistencies.quorum,
  ALL: cassandra.types.consistencies.all,
  LOCAL_QUORUM: cassandra.types.consistencies.localQuorum,
  EACH_QUORUM: cassandra.types.consistencies.eachQuorum,
  LOCAL_ONE: cassandra.types.consistencies.localOne,
};

/** A Cassandra cluster through the DataStax/Apache Node.js driver (cassandra-driver). */
export class CassandraEngine implements CqlEngine {
  readonly description: string;
  private readonly client: cassandra.Client;
  private readonly config: CassandraConfig;

  private constructor(config: CassandraConfig, observer?: RequestObserver) {
    this.config = config;
    this.description = describeCassandra(config);
    this.client = new cassandra.Client({
      contactPoints: config.contactPoints,
      localDataCenter: config.localDataCenter,
      ...(config.credentials ? { credentials: config.credentials } : {}),
      // Defaults for every request, including the ones the driver's executeConcurrent sends: prepared, at the
      // configured consistency, and idempotent — which is what lets the retry policy retry write timeouts.
      queryOptions: { consistency: consistencies[config.consistency], prepare: true, isIdempotent: true, fetchSize: 5000 },
      policies: { retry: new TimeoutRetryPolicy(config.maxRetries) },
      socketOptions: { connectTimeout: 10_000, readTimeout: config.requestTimeoutMs },
      ...(observer ? { requestTracker: latencyTracker(observer) } : {}),
    });
  }

  /** Connects (no keyspace yet: it may not exist); fails with a clear error when no host answers. */
  static async open(config: CassandraConfig, observer?: RequestObserver): Promise<CassandraEngine> {
    const engine = new CassandraEngine(config, observer);
    try {
      await engine.client.connect();
    } catch (error) {
      await engine.client.shutdown().catch(() => undefined);
      throw cassandraError(`connecting to ${engine.description}`, error, 0);
    }
    return engine;
  }

  async createKeyspace(cql: string): Promise<void> {
    await this.run('creating the keyspace', () => this.client.execute(cql, [], { prepare: false }));
    await this.useKeyspace();
  }

  async useKeyspace(): Promise<void> {
    try {
      // The driver applies USE to every pooled connection, present and future.
      await this.client.execute(`USE ${this.config.keyspace}`, [], { prepare: false });
    } catch (error) {
      if (error instanceof cassandra.errors.ResponseError && error.code === cassandra.types.responseErrorCodes.invalid) {
        throw new SparkifyError('SPK_E_ENGINE', `keyspace ${this.config.keyspace} does not exist on ${this.config.contactPoints.join(',')}: ` +
          'load data first (sparkify cassandra load), or name another with --keyspace', { cause: error });
      }
      throw cassandraError(`using keyspace ${this.config.keyspace}`, error, this.config.maxRetries);
    }
  }

  async schema(cql: string): Promise<void> {
    // The driver waits for schema agreement across the cluster after a schema change before resolving.
    await this.run(`schema change ${firstLine(cql)}`, () => this.client.execute(cql, [], { prepare: false }));
  }

  async query(cql: string, params: readonly unknown[]): Promise<CqlRow[]> {
    return this.run(`query ${firstLine(cql)}`, async () => {
      const rows: CqlRow[] = [];
      let pageState: string | undefined;
      do {
        const result = await this.client.execute(cql, [...params], { prepare: true, ...(pageState ? { pageState } : {}) });
        for (const row of result.rows) rows.push(plainRow(row, result.columns));
        pageState = result.pageState ?? undefined;
      } while (pageState);
      return rows;
    });
  }

  async writeAll(statements: readonly CqlStatement[]): Promise<void> {
    if (statements.length === 0) return;
    try {
      await cassandra.concurrent.executeConcurrent(this.client, statements as { query: string; params: unknown[] }[], {
        concurrencyLevel: this.config.concurrency,
        raiseOnFirstError: true,
        collectResults: false,
      });
    } catch (error) {
      // The driver names the failed statement on server and timeout errors; otherwise name the first of the set.
      const query = (error as { query?: unknown }).query;
      const what = typeof query === 'string' ? firstLine(query) : `${statements.length} statements (${firstLine(statements[0]?.query ?? '')}, …)`;
      throw cassandraError(`writing ${what}`, error, this.config.maxRetries);
    }
  }

  async close(): Promise<void> {
    await this.client.shutdown();
  }

  private async run<T>(what: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      throw cassandraError(what, error, this.config.maxRetries);
    }
  }
}

/**
 * The driver's RequestTracker is a class its typings call an interface, and the client checks `instanceof`; so
 * the class is taken from the module and extended. Latency arrives as process.hrtime's [seconds, nanoseconds].
 */
const RequestTrackerBase = (cassandra.tracker as unknown as { RequestTracker: new () => cassandra.tracker.RequestTracker }).RequestTracker;

function latencyTracker(observer: RequestObserver): cassandra.tracker.RequestTracker {
  const ms = (latency: number[]) => (latency[0] ?? 0) * 1e3 + (latency[1] ?? 0) / 1e6;
  return new (class extends RequestTrackerBase {
    override onSuccess(...args: Parameters<cassandra.tracker.RequestTracker['onSuccess']>): void {
      observer.request(ms(args[6]), false);
    }

    override onError(...args: Parameters<cassandra.tracker.RequestTracker['onError']>): void {
      observer.request(ms(args[6]), true);
    }
  })();
}

function plainRow(row: cassandra.types.Row, columns: { name: string }[]): CqlRow {
  const out: CqlRow = {};
  for (const { name } of columns) out[name] = plainValue(row.get(name));
  return out;
}

function plainValue(value: unknown): string | number | boolean | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  if (typeof value === 'bigint') return Number(value);
  // count(*) is a bigint, which the driver returns as a Long; counts here stay far below 2^53.
  if (value instanceof cassandra.types.Long) return value.toNumber();
  return String(value);
}

const firstLine = (cql: string) => {
  const line = cql.split('\n').map((l) => l.trim()).find((l) => l !== '' && !l.startsWith('--')) ?? cql;
  return line.length > 100 ? `${line.slice(0, 100)}…` : line;
};
