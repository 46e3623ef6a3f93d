import type { Progress } from '../core/progress.ts';
import type { SeededRandom } from '../core/seeded-random.ts';
import type { ActivityCycle } from './activity.ts';
import { DWELL_SIGMA, GUEST_SESSION_SHARE, LOGGED_OUT_START_SHARE, PAUSE_MEDIAN_SECONDS, PAUSE_SHARE, SKIP_SHARE } from './behaviour.ts';
import type { Catalog } from './catalog.ts';
import type { DayFiles } from './day-files.ts';
import { EventHeap } from './event-heap.ts';
import { AUTH_CANCELLED, EventFormat } from './event-format.ts';
import { CANCELLATION_CONFIRMATION, LOGIN, LOGOUT, NEXT_SONG, PAGES, SUBMIT_DOWNGRADE, SUBMIT_UPGRADE } from './pages.ts';
import { logNormal, pickCumulative } from './random-draws.ts';
import { END, MODE_GUEST, MODE_IN, MODE_OUT } from './session-model.ts';
import type { CompiledTable, SessionModel } from './session-model.ts';
import type { SimUser } from './sim-user.ts';
import { ANONYMOUS } from './who.ts';

export interface EventLoopInput {
  readonly users: readonly SimUser[];
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

export interface EventCounts {
  events: number;
  nextSongEvents: number;
  offCatalogPlays: number;
  sessions: number;
  guestSessions: number;
  upgrades: number;
  downgrades: number;
  cancellations: number;
}

/** Longest time a non-song page holds a user before the next event (the log-normal tail is cut here). */
const MAX_PAGE_DWELL = 7200;

function tableOf(model: SessionModel, user: SimUser): CompiledTable {
  if (user.mode === MODE_IN) return model.loggedIn[user.paid ? 1 : 0];
  return user.mode === MODE_OUT ? model.loggedOut : model.guest;
}

/**
 * A discrete-event simulation: every user sits in one heap keyed by the second of their next event; the
 * earliest is popped, its event written, and the user pushed back with their following event. Output is
 * therefore in global ts order, day files can be written front to back, and memory is the users, not the events.
 */
export async function runEventLoop(input: EventLoopInput): Promise<EventCounts> {
  const { users, rng, catalog, model, cycle, files, endSecond, offsetMs, progress } = input;
  const format = new EventFormat(offsetMs);
  const counts: EventCounts = { events: 0, nextSongEvents: 0, offCatalogPlays: 0, sessions: 0, guestSessions: 0, upgrades: 0, downgrades: 0, cancellations: 0 };
  const heap = new EventHeap(users.length);
  for (const user of users) {
    const first = cycle.nextStart(rng, user.rate, input.startSecond, endSecond);
    if (first < endSecond) heap.push(first, user.index);
  }
  // Every day of the run gets its pair of files, even a day without events, so the layout has no holes.
  let dayEnd = Math.floor(input.startSecond / 86400) * 86400;
  while (heap.size > 0) {
    const t = heap.topKey();
    if (t >= dayEnd) dayEnd = await openDaysThrough(files, dayEnd, t);
    const user = users[heap.topValue()] as SimUser;
    if (!user.inSession) {
      user.inSession = true;
      user.sessionId = ++counts.sessions;
      user.item = 0;
      if (rng.next() < GUEST_SESSION_SHARE) {
        user.mode = MODE_GUEST;
        counts.guestSessions++;
      } else user.mode = rng.next() < (user.paid ? LOGGED_OUT_START_SHARE.paid : LOGGED_OUT_START_SHARE.free) ? MODE_OUT : MODE_IN;
      const start = tableOf(model, user).start;
      user.page = start.next[pickCumulative(rng, start.cumulative)] as number;
    }

    const page = user.page;
    const mode = user.mode;
    let song = null;
    let dwell: number;
    if (page === NEXT_SONG) {
      song = catalog.pickPlay(rng);
      counts.nextSongEvents++;
      if (song.index >= catalog.size) counts.offCatalogPlays++;
      const u = rng.next();
      const whole = Math.floor(song.duration);
      dwell = u < SKIP_SHARE ? Math.floor(whole * rng.next()) : u < SKIP_SHARE + PAUSE_SHARE ? whole + Math.round(logNormal(rng, PAUSE_MEDIAN_SECONDS, 1)) : whole;
    } else {
      const median = (PAGES[page] as { dwellMedian: number }).dwellMedian;
      dwell = median === 0 ? 0 : Math.min(MAX_PAGE_DWELL, Math.round(logNormal(rng, median, DWELL_SIGMA)));
    }
    const who = mode === MODE_IN ? user.who : ANONYMOUS;
    const auth = page === CANCELLATION_CONFIRMATION ? AUTH_CANCELLED : mode;
    const level = mode === MODE_GUEST || !user.paid ? 0 : 1;
    files.append(format.json(who, auth, level, page, user.sessionId, user.item, t, song), format.csv(who, auth, level, page, user.sessionId, user.item, t, song));
    user.item++;
    counts.events++;

    // The next page is drawn from the table of the state the event was shown in; its effects apply afterwards.
    const row = tableOf(model, user).rows[page];
    if (row === undefined) throw new Error(`transition table ${tableOf(model, user).name} has no row for ${PAGES[page]?.name}`);
    let next = row.next[pickCumulative(rng, row.cumulative)] as number;
    if (page === LOGOUT) user.mode = MODE_OUT;
    else if (page === LOGIN) user.mode = MODE_IN;
    else if (page === SUBMIT_UPGRADE) {
      user.paid = true;
      counts.upgrades++;
    } else if (page === SUBMIT_DOWNGRADE) {
      user.paid = false;
      counts.downgrades++;
    } else if (page === CANCELLATION_CONFIRMATION) {
      user.churned = true;
      counts.cancellations++;
      next = END;
    }

    let nextSecond: number;
    if (next === END) {
      user.inSession = false;
      nextSecond = user.churned ? Infinity : cycle.nextStart(rng, user.rate, t + dwell, endSecond);
    } else {
      user.page = next;
      nextSecond = t + dwell;
    }
    if (nextSecond < endSecond) heap.replaceTopKey(nextSecond);
    else heap.pop();

    if (files.full) {
      await files.flush();
      progress.update('events', counts.events);
    }
  }
  await openDaysThrough(files, dayEnd, endSecond - 1);
  await files.close();
  return counts;
}

/** Opens, in turn, the files of each day from the one starting at `from` to the one holding `second`; returns the end of that day. */
async function openDaysThrough(files: DayFiles, from: number, second: number): Promise<number> {
  let day = from;
  for (; day <= second; day += 86400) await files.open(day);
  return day;
}
