import type { Progress } from '../core/progress.ts';
import type { SeededRandom } from '../core/seeded-random.ts';
import type { ActivityCycle } from './activity.ts';
import type { Catalog } from './catalog.ts';
import type { DayFiles } from './day-files.ts';
import { EventHeap } from './event-heap.ts';
import { EventStepper } from './event-step.ts';
import type { EventCounts } from './event-step.ts';
import type { SessionModel } from './session-model.ts';
import type { SimUser, UserFactory } from './sim-user.ts';

export type { EventCounts } from './event-step.ts';

export interface EventLoopInput {
  readonly users: readonly SimUser[];
  readonly factory: UserFactory;
  readonly rng: SeededRandom;
  readonly catalog: Catalog;
  readonly model: SessionModel;
  readonly cycle: ActivityCycle;
  readonly files: DayFiles;
  /** The run covers Unix seconds [startSecond, endSecond). */
  readonly startSecond: number;
  readonly endSecond: number;
  /** Milliseconds added to every whole-second timestamp. */
  readonly offsetMs: number;
  readonly progress: Progress;
}

/**
 * A discrete-event simulation: every user sits in one heap keyed by the second of their next event; the
 * earliest is popped, its event written, and the user pushed back with their following event. Output is
 * therefore in global ts order, day files are written front to back, and memory is the users, not the events.
 */
export async function runEventLoop(input: EventLoopInput): Promise<EventCounts> {
  const { users, rng, cycle, files, startSecond, endSecond, progress } = input;
  const heap = new EventHeap(users.length);
  for (const user of users) {
    const first = cycle.nextStart(rng, user.rate, startSecond, endSecond);
    if (first < endSecond) heap.push(first, user.index);
  }
  const stepper = new EventStepper({ ...input, heap });
  try {
    // Every day of the run gets its pair of files, even a day without events, so the layout has no holes.
    let dayEnd = Math.floor(startSecond / 86400) * 86400;
    while (heap.size > 0) {
      if (heap.topKey() >= dayEnd) {
        dayEnd = await openDaysThrough(files, dayEnd, heap.topKey());
        progress.update('events', stepper.counts.events);
      }
      // Synchronous stretches between day changes and full buffers; awaiting only then keeps the loop cheap.
      stepper.advance(dayEnd);
      if (files.full) {
        await files.flush();
        progress.update('events', stepper.counts.events);
      }
    }
    await openDaysThrough(files, dayEnd, endSecond - 1);
    await files.close();
  } catch (error) {
    files.destroy();
    throw error;
  }
  return stepper.counts;
}

/** Opens, in turn, the files of each day from the one starting at `from` to the one holding `second`; returns the end of that day. */
async function openDaysThrough(files: DayFiles, from: number, second: number): Promise<number> {
  let day = from;
  for (; day <= second; day += 86400) await files.open(day);
  return day;
}
