import type { CsvCells } from '../../core/csv-text.ts';
import type { LogEvent } from '../../datasets/schemas.ts';

/** Which of a user's texts: first name, last name, gender, level. */
export type UserText = 0 | 1 | 2 | 3;

/** The columns of stage_users, in the order cells() gives them. */
export const stageUserColumns = ['user_id', 'first_name', 'last_name', 'gender', 'level', 'ts', 'session_id', 'item_in_session'] as const;

/** LatestUsers' contents as columns: the numbers in typed arrays a worker transfers, the text in arrays it copies. */
export interface UserColumns {
  userId: Int32Array<ArrayBuffer>;
  ts: Float64Array<ArrayBuffer>;
  sessionId: Int32Array<ArrayBuffer>;
  itemInSession: Int32Array<ArrayBuffer>;
  /** The index in the load's files of the file the play came from: the tie-break across worker threads. */
  fileIndex: Int32Array<ArrayBuffer>;
  firstName: (string | null)[];
  lastName: (string | null)[];
  gender: (string | null)[];
  level: string[];
}

/**
 * Each user's latest play: the greatest (ts, sessionId, itemInSession), and among plays equal in all three the first
 * in input order (the lower file index; within a file, the first seen). Because that order is total, the same plays
 * observed in any split (a worker thread per share of the files, merged at the end) keep the same observation as one
 * pass over all of them. One slot per user, updated in place: no allocation per play, and memory that grows with the
 * users, however many plays.
 */
export class LatestUsers {
  private readonly slots = new Map<number, number>();
  private readonly userId: number[] = [];
  private readonly ts: number[] = [];
  private readonly sessionId: number[] = [];
  private readonly itemInSession: number[] = [];
  private readonly fileIndex: number[] = [];
  private readonly firstName: (string | null)[] = [];
  private readonly lastName: (string | null)[] = [];
  private readonly gender: (string | null)[] = [];
  private readonly level: string[] = [];
  private readonly texts: readonly [(string | null)[], (string | null)[], (string | null)[], (string | null)[]] = [this.firstName, this.lastName, this.gender, this.level];

  observe(userId: number, e: LogEvent, fileIndex = 0): void {
    this.offerValues(userId, e.ts, e.sessionId, e.itemInSession, fileIndex, e.firstName, e.lastName, e.gender, e.level);
  }

  merge(c: UserColumns): void {
    for (let i = 0; i < c.userId.length; i++) {
      this.offerValues(c.userId[i] as number, c.ts[i] as number, c.sessionId[i] as number, c.itemInSession[i] as number, c.fileIndex[i] as number,
        c.firstName[i] as string | null, c.lastName[i] as string | null, c.gender[i] as string | null, c.level[i] as string);
    }
  }

  columns(): UserColumns {
    return {
      userId: Int32Array.from(this.userId), ts: Float64Array.from(this.ts), sessionId: Int32Array.from(this.sessionId),
      itemInSession: Int32Array.from(this.itemInSession), fileIndex: Int32Array.from(this.fileIndex),
      firstName: this.firstName, lastName: this.lastName, gender: this.gender, level: this.level,
    };
  }

  /** As COPY batches for stage_users, in stageUserColumns' order. */
  *cells(): Generator<CsvCells[]> {
    for (let start = 0; start < this.userId.length; start += 2000) {
      const batch: CsvCells[] = [];
      for (let i = start; i < Math.min(start + 2000, this.userId.length); i++) {
        batch.push([this.userId[i] as number, this.firstName[i] as string | null, this.lastName[i] as string | null, this.gender[i] as string | null,
          this.level[i] as string, this.ts[i] as number, this.sessionId[i] as number, this.itemInSession[i] as number]);
      }
      yield batch;
    }
  }

  /** observe() with the play's values given one by one (for readers that build no event object). */
  offerValues(userId: number, ts: number, sessionId: number, item: number, fileIndex: number,
    firstName: string | null, lastName: string | null, gender: string | null, level: string): void {
    const slot = this.claim(userId, ts, sessionId, item, fileIndex);
    if (slot === -1) return;
    // Only what changed: a user's names and level rarely do, and keeping the strings already held (long-lived) instead
    // of each new play's copies spares the collector a promotion per play.
    if (this.firstName[slot] !== firstName) this.firstName[slot] = firstName;
    if (this.lastName[slot] !== lastName) this.lastName[slot] = lastName;
    if (this.gender[slot] !== gender) this.gender[slot] = gender;
    if (this.level[slot] !== level) this.level[slot] = level;
  }

  /**
   * The slot of a play that is now its user's latest, its numbers recorded, or -1 when an earlier-seen play stays the
   * latest. The caller then sets the texts (setText), comparing with what the slot holds (textAt) to keep equal ones.
   */
  claim(userId: number, ts: number, sessionId: number, item: number, fileIndex: number): number {
    let slot = this.slots.get(userId);
    if (slot === undefined) {
      slot = this.userId.length;
      this.slots.set(userId, slot);
      this.userId.push(userId);
      this.firstName.push(null);
      this.lastName.push(null);
      this.gender.push(null);
      this.level.push('');
    } else if (!this.isLater(slot, ts, sessionId, item, fileIndex)) {
      return -1;
    }
    this.ts[slot] = ts;
    this.sessionId[slot] = sessionId;
    this.itemInSession[slot] = item;
    this.fileIndex[slot] = fileIndex;
    return slot;
  }

  /** A slot's text: 0 first name, 1 last name, 2 gender, 3 level. */
  textAt(slot: number, which: UserText): string | null {
    return this.texts[which][slot] as string | null;
  }

  setText(slot: number, which: UserText, value: string | null): void {
    this.texts[which][slot] = value as string;
  }

  private isLater(slot: number, ts: number, sessionId: number, item: number, fileIndex: number): boolean {
    const seenTs = this.ts[slot] as number;
    if (ts !== seenTs) return ts > seenTs;
    const seenSession = this.sessionId[slot] as number;
    if (sessionId !== seenSession) return sessionId > seenSession;
    const seenItem = this.itemInSession[slot] as number;
    if (item !== seenItem) return item > seenItem;
    return fileIndex < (this.fileIndex[slot] as number);
  }
}
