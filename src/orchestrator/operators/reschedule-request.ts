/**
 * What a task in reschedule mode (ObjectKeySensor, or a user's own sensor) throws to say "not yet, come back at
 * `nextTryAt`" (Airflow's AirflowRescheduleException). It is not a failure: the runner ends the try as
 * `up_for_reschedule` with `next_try_at = nextTryAt`, frees the worker slot, and does not count it as a try. The
 * next poke gets `firstPokeAt` back (TaskContext.rescheduledSince), so a sensor's timeout spans its reschedules.
 */
export class RescheduleRequest extends Error {
  readonly nextTryAt: Date;
  /** When the first poke of this try began: what the runner hands back to the next poke. */
  readonly firstPokeAt: Date;

  constructor(nextTryAt: Date, firstPokeAt: Date) {
    super(`not yet: reschedule at ${nextTryAt.toISOString()} (poking since ${firstPokeAt.toISOString()})`);
    this.name = 'RescheduleRequest';
    this.nextTryAt = nextTryAt;
    this.firstPokeAt = firstPokeAt;
  }

  /**
   * Whether `error` is one, by shape rather than by class: the runner may load this module from another copy (a DAG
   * folder's own node_modules) than the operator did.
   */
  static is(error: unknown): error is RescheduleRequest {
    return error instanceof Error && error.name === 'RescheduleRequest' &&
      (error as RescheduleRequest).nextTryAt instanceof Date && (error as RescheduleRequest).firstPokeAt instanceof Date;
  }
}
