import { create } from '@bufbuild/protobuf';
import { RelationSchema } from './generated/spark/connect/relations_pb.js';
import { DataFrame } from './data-frame.ts';
import { DataFrameReader } from './data-frame-reader.ts';
import { SparkConnectClient } from './spark-connect-client.ts';
import type { SparkRemote } from './spark-remote.ts';

export { DataFrame, type RunOptions } from './data-frame.ts';

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

  /** `spark.read`: json, parquet, … files into a DataFrame. */
  get read(): DataFrameReader {
    return new DataFrameReader(this.client);
  }

  /** A SQL query (or statement: DDL such as CREATE TEMP VIEW runs when its result is asked for). */
  sql(query: string): DataFrame {
    return new DataFrame(this.client, create(RelationSchema, { relType: { case: 'sql', value: { query } } }));
  }

  /** A table or view by name, as spark.table. */
  table(name: string): DataFrame {
    return new DataFrame(this.client, create(RelationSchema, { relType: { case: 'read', value: { readType: { case: 'namedTable', value: { unparsedIdentifier: name } } } } }));
  }

  /** `id` from start (inclusive) to end (exclusive), as spark.range. */
  range(start: number | bigint, end: number | bigint, step: number | bigint = 1, numPartitions?: number): DataFrame {
    return new DataFrame(this.client, create(RelationSchema, { relType: { case: 'range', value: {
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
