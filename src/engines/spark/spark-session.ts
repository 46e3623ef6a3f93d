import { create } from '@bufbuild/protobuf';
import { PlanSchema } from './generated/spark/connect/base_pb.js';
import { RelationSchema, type Relation } from './generated/spark/connect/relations_pb.js';
import { rowsOfArrowBatch, type Row } from './arrow-rows.ts';
import { SparkConnectClient } from './spark-connect-client.ts';
import type { SparkRemote } from './spark-remote.ts';

export interface RunOptions {
  /** Aborting it interrupts the operation on the server; the call then rejects with an interrupted SparkifyError. */
  signal?: AbortSignal;
}

/** A lazy query: a relation that runs on the server only when its rows are asked for. */
export class DataFrame {
  readonly session: SparkSession;
  readonly relation: Relation;

  constructor(session: SparkSession, relation: Relation) {
    this.session = session;
    this.relation = relation;
  }

  /** The rows, batch by batch as the server streams them: memory stays at about one Arrow batch (≤ 4 MiB). */
  async *batches(options: RunOptions = {}): AsyncGenerator<Row[]> {
    const plan = create(PlanSchema, { opType: { case: 'root', value: this.relation } });
    for await (const response of this.session.client.execute(plan, { ...options, what: 'Spark query' })) {
      if (response.responseType.case === 'arrowBatch') yield rowsOfArrowBatch(response.responseType.value.data);
    }
  }

  /** The rows one at a time (see batches). */
  async *stream(options: RunOptions = {}): AsyncGenerator<Row> {
    for await (const batch of this.batches(options)) yield* batch;
  }

  /** Every row in memory: for small results. */
  async collect(options: RunOptions = {}): Promise<Row[]> {
    const rows: Row[] = [];
    for await (const batch of this.batches(options)) for (const row of batch) rows.push(row);
    return rows;
  }
}

/** A Spark Connect session, as PySpark's `SparkSession.builder.remote(url).getOrCreate()` gives one. */
export class SparkSession {
  readonly client: SparkConnectClient;

  constructor(client: SparkConnectClient) {
    this.client = client;
  }

  static connect(remote: string | SparkRemote): SparkSession {
    return new SparkSession(new SparkConnectClient(remote));
  }

  get sessionId(): string {
    return this.client.sessionId;
  }

  /** A SQL query (or statement: DDL such as CREATE TEMP VIEW runs when its result is asked for). */
  sql(query: string): DataFrame {
    return new DataFrame(this, create(RelationSchema, { relType: { case: 'sql', value: { query } } }));
  }

  /** `id` from start (inclusive) to end (exclusive), as spark.range. */
  range(start: number | bigint, end: number | bigint, step: number | bigint = 1, numPartitions?: number): DataFrame {
    return new DataFrame(this, create(RelationSchema, { relType: { case: 'range', value: {
      start: BigInt(start), end: BigInt(end), step: BigInt(step), ...(numPartitions ? { numPartitions } : {}) } } }));
  }

  /** Interrupts every running operation of this session. */
  async interruptAll(): Promise<string[]> {
    return this.client.interrupt();
  }

  /** Releases the session on the server and closes the channel. */
  stop(): Promise<void> {
    return this.client.close();
  }
}
