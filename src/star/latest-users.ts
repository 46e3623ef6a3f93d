import type { CsvCells } from '../core/csv-text.ts';
import type { LogEvent } from '../datasets/schemas.ts';

/** A user's play as 10-users.sql needs it: who they were, their level, and when (ts, then session and item). */
export type UserObservation = readonly [
  userId: number, firstName: string | null, lastName: string | null, gender: string | null, level: string,
  ts: number, sessionId: number, itemInSession: number,
];

/** The columns of stage_users, in UserObservation's order. */
export const stageUserColumns = ['user_id', 'first_name', 'last_name', 'gender', 'level', 'ts', 'session_id', 'item_in_session'] as const;

/**
 * Each user's latest play: the greatest (ts, sessionId, itemInSession), the first one seen on a tie. Observations
 * merged in input order (a file's, then the next file's) keep the same one as observing every play in that order,
 * which is how worker threads that read different files agree with the main thread. Holds one entry per user.
 */
export class LatestUsers {
  private readonly latest = new Map<number, UserObservation>();

  observe(userId: number, e: LogEvent): void {
    const seen = this.latest.get(userId);
    if (seen === undefined || isLater(e.ts, e.sessionId, e.itemInSession, seen)) {
      this.latest.set(userId, [userId, e.firstName, e.lastName, e.gender, e.level, e.ts, e.sessionId, e.itemInSession]);
    }
  }

  merge(observations: Iterable<UserObservation>): void {
    for (const o of observations) {
      const seen = this.latest.get(o[0]);
      if (seen === undefined || isLater(o[5], o[6], o[7], seen)) this.latest.set(o[0], o);
    }
  }

  /** The observations so far, and a fresh start (a worker sends them at the end of each file). */
  take(): UserObservation[] {
    const all = [...this.latest.values()];
    this.latest.clear();
    return all;
  }

  /** As COPY batches for stage_users. */
  *cells(): Generator<CsvCells[]> {
    let batch: CsvCells[] = [];
    for (const o of this.latest.values()) {
      batch.push(o);
      if (batch.length === 2000) {
        yield batch;
        batch = [];
      }
    }
    if (batch.length > 0) yield batch;
  }
}

function isLater(ts: number, sessionId: number, item: number, seen: UserObservation): boolean {
  if (ts !== seen[5]) return ts > seen[5];
  if (sessionId !== seen[6]) return sessionId > seen[6];
  return item > seen[7];
}
