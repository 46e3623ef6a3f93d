import cassandra from 'cassandra-driver';

type RetryPolicy = cassandra.policies.retry.RetryPolicy;
type OperationInfo = cassandra.policies.retry.OperationInfo;
type Consistency = cassandra.types.consistencies;

/**
 * Retries a request that timed out (on the server or in the client), found too few replicas alive, or met an
 * overloaded node, up to `maxRetries` times at the same consistency; anything else fails at once. This is only
 * safe because every statement the platform writes is idempotent — plain INSERTs keyed by natural keys, so a
 * write applied twice leaves the same row — and the engine marks them so (the driver never retries a
 * non-idempotent write timeout, whatever the policy says).
 */
export class TimeoutRetryPolicy extends cassandra.policies.retry.RetryPolicy {
  readonly maxRetries: number;

  constructor(maxRetries: number) {
    super();
    this.maxRetries = maxRetries;
  }

  override onReadTimeout(info: OperationInfo, consistency: Consistency) {
    return this.decide(info, consistency);
  }

  override onWriteTimeout(info: OperationInfo, consistency: Consistency) {
    return this.decide(info, consistency);
  }

  override onUnavailable(info: OperationInfo, consistency: Consistency) {
    return this.decide(info, consistency);
  }

  /** A client-side timeout, a broken connection, an overloaded coordinator. */
  override onRequestError(info: OperationInfo, consistency: Consistency) {
    return this.decide(info, consistency);
  }

  /**
   * Always on the same host: "next host" ends the retries at once when the query plan has a single host (a
   * one-node cluster, or a plan of local replicas), and any coordinator forwards to the same replicas anyway.
   * A host that is really gone fails its connections, and the driver then moves on by itself.
   */
  private decide(info: OperationInfo, consistency: Consistency): ReturnType<RetryPolicy['rethrowResult']> {
    return info.nbRetry < this.maxRetries ? this.retryResult(consistency, true) : this.rethrowResult();
  }
}
