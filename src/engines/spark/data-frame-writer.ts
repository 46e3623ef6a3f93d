import { create } from '@bufbuild/protobuf';
import { PlanSchema } from './generated/spark/connect/base_pb.js';
import { WriteOperation_SaveMode as SaveMode } from './generated/spark/connect/commands_pb.js';
import type { Relation } from './generated/spark/connect/relations_pb.js';
import type { SparkConnectClient } from './spark-connect-client.ts';

export type WriteMode = 'append' | 'overwrite' | 'error' | 'errorifexists' | 'ignore';

const modes: Record<WriteMode, SaveMode> = {
  append: SaveMode.APPEND, overwrite: SaveMode.OVERWRITE, error: SaveMode.ERROR_IF_EXISTS, errorifexists: SaveMode.ERROR_IF_EXISTS, ignore: SaveMode.IGNORE,
};

/** `df.write`, as PySpark's DataFrameWriter: `partitionBy(...).mode(...).option(...).parquet(path)`. */
export class DataFrameWriter {
  readonly #client: SparkConnectClient;
  readonly #relation: Relation;
  #mode: WriteMode = 'error';
  #partitionBy: string[] = [];
  readonly #options: Record<string, string> = {};

  constructor(client: SparkConnectClient, relation: Relation) {
    this.#client = client;
    this.#relation = relation;
  }

  mode(mode: WriteMode): this {
    this.#mode = mode;
    return this;
  }

  partitionBy(...columns: string[]): this {
    this.#partitionBy = columns;
    return this;
  }

  option(name: string, value: string | number | boolean): this {
    this.#options[name] = String(value);
    return this;
  }

  parquet(path: string, options: { signal?: AbortSignal } = {}): Promise<void> {
    return this.save('parquet', path, options);
  }

  json(path: string, options: { signal?: AbortSignal } = {}): Promise<void> {
    return this.save('json', path, options);
  }

  /** Runs the write on the server (a WriteOperation command); resolves when Spark has committed it. */
  async save(format: string, path: string, options: { signal?: AbortSignal } = {}): Promise<void> {
    const plan = create(PlanSchema, { opType: { case: 'command', value: { commandType: { case: 'writeOperation', value: {
      input: this.#relation, source: format, saveType: { case: 'path', value: path }, mode: modes[this.#mode],
      partitioningColumns: this.#partitionBy, options: { ...this.#options } } } } } });
    for await (const _ of this.#client.execute(plan, { ...options, what: `Spark write ${format}` })) {
      // Drained: the stream ends with result_complete once the job has committed.
    }
  }
}
