import { randomUUID } from 'node:crypto';
import { create, fromBinary, toBinary, type DescMessage, type MessageShape } from '@bufbuild/protobuf';
import { Client, credentials, Metadata, type ClientReadableStream } from '@grpc/grpc-js';
import {
  AnalyzePlanRequest_Explain_ExplainMode as ExplainMode, AnalyzePlanRequestSchema, AnalyzePlanResponseSchema, ExecutePlanRequestSchema, ExecutePlanResponseSchema, InterruptRequest_InterruptType, InterruptRequestSchema, InterruptResponseSchema,
  ReleaseSessionRequestSchema, ReleaseSessionResponseSchema,
  type ExecutePlanResponse, type Plan,
} from './generated/spark/connect/base_pb.js';
import { interruptedError, sparkError } from './spark-errors.ts';
import { parseSparkRemote, type SparkRemote } from './spark-remote.ts';

const service = '/spark.connect.SparkConnectService';
const clientType = 'sparkify-ts';
/** Spark sends Arrow batches of up to 4 MiB (spark.connect.grpc.arrow.maxBatchSize) plus framing; gRPC's default cap is 4 MiB. */
const maxMessageBytes = 128 * 1024 * 1024;

const codec = <S extends DescMessage>(schema: S) => ({
  serialize: (message: MessageShape<S>) => Buffer.from(toBinary(schema, message)),
  deserialize: (bytes: Buffer) => fromBinary(schema, bytes),
});
const executePlan = { request: codec(ExecutePlanRequestSchema), response: codec(ExecutePlanResponseSchema) };

/**
 * The Spark Connect RPCs over one gRPC channel, all in one session: every call carries the same session id, so
 * temporary views, settings and cached data made by one call are seen by the next. Not a DataFrame API: see
 * SparkSession for that.
 */
export class SparkConnectClient {
  readonly remote: SparkRemote;
  readonly #grpc: Client;
  /** The server's id for our session, once it told us: sent back so a restarted server's fresh session is noticed. */
  #serverSideSessionId: string | undefined;

  constructor(remote: string | SparkRemote) {
    this.remote = typeof remote === 'string' ? parseSparkRemote(remote) : remote;
    this.#grpc = new Client(`${this.remote.host}:${this.remote.port}`, credentials.createInsecure(), {
      'grpc.max_receive_message_length': maxMessageBytes, 'grpc.max_send_message_length': maxMessageBytes,
    });
  }

  get sessionId(): string {
    return this.remote.sessionId;
  }

  /**
   * Runs a plan and yields the server's responses as they stream in (Arrow batches, the schema, metrics, the
   * final result_complete). Aborting `signal` sends Interrupt for this operation, then cancels the stream; the
   * iterator then throws an interrupted SparkifyError. Breaking out of the loop early interrupts too.
   */
  async *execute(plan: Plan, options: { signal?: AbortSignal; what?: string } = {}): AsyncGenerator<ExecutePlanResponse> {
    const what = options.what ?? 'Spark';
    const signal = options.signal;
    if (signal?.aborted) throw interruptedError(what, signal.reason);
    const operationId = randomUUID();
    const request = create(ExecutePlanRequestSchema, {
      sessionId: this.sessionId, userContext: { userId: this.remote.userId }, operationId, plan, clientType,
      ...(this.#serverSideSessionId ? { clientObservedServerSideSessionId: this.#serverSideSessionId } : {}),
    });
    const call: ClientReadableStream<ExecutePlanResponse> = this.#grpc.makeServerStreamRequest(`${service}/ExecutePlan`,
      executePlan.request.serialize, executePlan.response.deserialize, request, new Metadata());
    let interrupted = false;
    let finished = false;
    const onAbort = () => {
      interrupted = true;
      // Interrupt first so the server stops its jobs; cancelling the stream alone leaves them running.
      void this.interrupt(operationId).catch(() => {}).finally(() => call.cancel());
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      for await (const response of call as AsyncIterable<ExecutePlanResponse>) {
        if (response.serverSideSessionId) this.#serverSideSessionId = response.serverSideSessionId;
        yield response;
      }
      finished = true;
    } catch (error) {
      if (interrupted || signal?.aborted) throw interruptedError(what, signal?.reason);
      throw sparkError(what, error);
    } finally {
      signal?.removeEventListener('abort', onAbort);
      if (!finished && !interrupted) {
        // The consumer stopped early (break, or a throw of its own): the server need not finish the job.
        await this.interrupt(operationId).catch(() => {});
        call.cancel();
      }
    }
  }

  /** The server's plan for `plan` as text (AnalyzePlan's explain), as PySpark's `df.explain(mode)` prints it. */
  async explain(plan: Plan, mode: 'simple' | 'extended' | 'codegen' | 'cost' | 'formatted' = 'simple'): Promise<string> {
    const explainMode = { simple: ExplainMode.SIMPLE, extended: ExplainMode.EXTENDED, codegen: ExplainMode.CODEGEN,
      cost: ExplainMode.COST, formatted: ExplainMode.FORMATTED }[mode];
    const request = create(AnalyzePlanRequestSchema, { sessionId: this.sessionId, userContext: { userId: this.remote.userId }, clientType,
      analyze: { case: 'explain', value: { plan, explainMode } } });
    const response = await this.#unary('AnalyzePlan', codec(AnalyzePlanRequestSchema), codec(AnalyzePlanResponseSchema), request);
    return response.result.case === 'explain' ? response.result.value.explainString : '';
  }

  /** Interrupts one operation of this session, or all of them. Returns the ids the server interrupted. */
  async interrupt(operationId?: string): Promise<string[]> {
    const request = create(InterruptRequestSchema, {
      sessionId: this.sessionId, userContext: { userId: this.remote.userId }, clientType,
      interruptType: operationId ? InterruptRequest_InterruptType.OPERATION_ID : InterruptRequest_InterruptType.ALL,
      ...(operationId ? { interrupt: { case: 'operationId' as const, value: operationId } } : {}),
    });
    const response = await this.#unary('Interrupt', codec(InterruptRequestSchema), codec(InterruptResponseSchema), request);
    return response.interruptedIds;
  }

  /** Ends the session on the server (its temporary views go) and closes the channel. */
  async close(): Promise<void> {
    try {
      await this.#unary('ReleaseSession', codec(ReleaseSessionRequestSchema), codec(ReleaseSessionResponseSchema),
        create(ReleaseSessionRequestSchema, { sessionId: this.sessionId, userContext: { userId: this.remote.userId }, clientType }));
    } catch {
      // A server already gone has nothing to release.
    } finally {
      this.#grpc.close();
    }
  }

  #unary<Req, Res>(method: string, req: { serialize: (m: Req) => Buffer }, res: { deserialize: (b: Buffer) => Res }, request: Req): Promise<Res> {
    return new Promise((resolve, reject) => {
      this.#grpc.makeUnaryRequest(`${service}/${method}`, req.serialize, res.deserialize, request, (error, response) => {
        if (error || response === undefined) reject(sparkError(`Spark ${method}`, error ?? new Error('no response')));
        else resolve(response);
      });
    });
  }
}
