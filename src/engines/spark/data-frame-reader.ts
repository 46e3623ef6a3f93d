import { create } from '@bufbuild/protobuf';
import { RelationSchema } from './generated/spark/connect/relations_pb.js';
import { DataFrame } from './data-frame.ts';
import type { SparkConnectClient } from './spark-connect-client.ts';

/** `spark.read`, as PySpark's DataFrameReader: format, schema (DDL text) and options, then the paths. */
export class DataFrameReader {
  readonly #client: SparkConnectClient;
  #schema: string | undefined;
  readonly #options: Record<string, string> = {};

  constructor(client: SparkConnectClient) {
    this.#client = client;
  }

  /** An explicit schema in DDL form (`'userId STRING, ts BIGINT'`): no inference pass over the files. */
  schema(ddl: string): this {
    this.#schema = ddl;
    return this;
  }

  option(name: string, value: string | number | boolean): this {
    this.#options[name] = String(value);
    return this;
  }

  json(...paths: string[]): DataFrame {
    return this.load('json', paths);
  }

  parquet(...paths: string[]): DataFrame {
    return this.load('parquet', paths);
  }

  load(format: string, paths: string[]): DataFrame {
    return new DataFrame(this.#client, create(RelationSchema, { relType: { case: 'read', value: { readType: { case: 'dataSource', value: {
      format, paths, options: { ...this.#options }, ...(this.#schema ? { schema: this.#schema } : {}) } } } } }));
  }
}
