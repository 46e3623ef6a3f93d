import type { SeededRandom } from '../core/seeded-random.ts';
import type { ActivityCycle } from './activity.ts';
import { DWELL_SIGMA, GUEST_SESSION_SHARE, LOGGED_OUT_START_SHARE, PAUSE_MEDIAN_SECONDS, PAUSE_SHARE, SKIP_SHARE } from './behaviour.ts';
import type { Catalog } from './catalog.ts';
import type { DayFiles } from './day-files.ts';
import type { EventHeap } from './event-heap.ts';
import { AUTH_CANCELLED, EventFormat } from './event-format.ts';
import { CANCELLATION_CONFIRMATION, LOGIN, LOGOUT, NEXT_SONG, PAGES, SUBMIT_DOWNGRADE, SUBMIT_UPGRADE } from './pages.ts';
import { logNormal, pickCumulative } from './random-draws.ts';
import { END, MODE_GUEST, MODE_IN, MODE_OUT } from './session-model.ts';
import type { CompiledTable, SessionModel } from './session-model.ts';
import type { SimUser, UserFactory } from './sim-user.ts';
import { UNSET_WHO, anonymousWho } from './who.ts';
import type { Who } from './who.ts';

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
const DWELL_MEDIANS = PAGES.map((p) => p.dwellMedian);

export interface StepContext {
  readonly users: readonly SimUser[];
  readonly factory: UserFactory;
  readonly rng: SeededRandom;
  readonly catalog: Catalog;
  readonly model: SessionModel;
  readonly cycle: ActivityCycle;
  readonly heap: EventHeap;
  readonly files: DayFiles;
  readonly endSecond: number;
  readonly offsetMs: number;
}

/**
 * One event at a time: the user at the top of the heap shows their pending page (opening a session first
 * if needed), the event is written, the next page and its time are drawn, and the user goes back into the
 * heap. Synchronous and kept apart from the async driver so that the engine optimises it as one tight unit.
 */
export class EventStepper {
  readonly counts: EventCounts = { events: 0, nextSongEvents: 0, offCatalogPlays: 0, sessions: 0, guestSessions: 0, upgrades: 0, downgrades: 0, cancellations: 0 };
  private readonly c: StepContext;
  private readonly format: EventFormat;
  private readonly anonymous: Who;

  constructor(context: StepContext) {
    this.c = context;
    this.format = new EventFormat(context.offsetMs);
    this.anonymous = anonymousWho(context.offsetMs);
  }

  /** Steps until the next event falls on or after `dayEnd`, the buffers are full, or no events are left. */
  advance(dayEnd: number): void {
    const heap = this.c.heap;
    const files = this.c.files;
    while (heap.size > 0 && heap.topKey() < dayEnd && !files.full) this.step();
  }

  step(): void {
    const { heap, rng, files } = this.c;
    const format = this.format;
    const counts = this.counts;
    const t = heap.topKey();
    const user = this.c.users[heap.topValue()] as SimUser;
    if (!user.inSession) this.openSession(user);

    const page = user.page;
    const mode = user.mode;
    const level = mode === MODE_GUEST || !user.paid ? 0 : 1;
    if (mode === MODE_IN && user.who === UNSET_WHO) user.who = this.c.factory.who(user.index);
    const who = mode === MODE_IN ? user.who : this.anonymous;
    let dwell: number;
    if (page === NEXT_SONG) {
      const song = this.c.catalog.pickPlay(rng);
      counts.nextSongEvents++;
      if (song.index >= this.c.catalog.size) counts.offCatalogPlays++;
      const whole = Math.floor(song.duration);
      const u = rng.next();
      dwell = u < SKIP_SHARE ? Math.floor(whole * rng.next()) : u < SKIP_SHARE + PAUSE_SHARE ? whole + Math.round(logNormal(rng, PAUSE_MEDIAN_SECONDS, 1)) : whole;
      files.append(format.playJson(who, level, user.sessionId, user.item, t, song.play), format.playCsv(who, level, user.sessionId, user.item, t, song.play));
    } else {
      const median = DWELL_MEDIANS[page] as number;
      dwell = median === 0 ? 0 : Math.min(MAX_PAGE_DWELL, Math.round(logNormal(rng, median, DWELL_SIGMA)));
      const auth = page === CANCELLATION_CONFIRMATION ? AUTH_CANCELLED : mode;
      files.append(format.pageJson(who, auth, level, page, user.sessionId, user.item, t), format.pageCsv(who, auth, level, page, user.sessionId, user.item, t));
    }
    user.item++;
    counts.events++;

    const next = this.nextPage(user, page);
    let nextSecond: number;
    if (next === END) {
      user.inSession = false;
      user.who = UNSET_WHO;
      nextSecond = user.churned ? Infinity : this.c.cycle.nextStart(rng, user.rate, t + dwell, this.c.endSecond);
    } else {
      user.page = next;
      nextSecond = t + dwell;
    }
    if (nextSecond < this.c.endSecond) heap.replaceTopKey(nextSecond);
    else heap.pop();
  }

  private openSession(user: SimUser): void {
    const rng = this.c.rng;
    user.inSession = true;
    user.sessionId = ++this.counts.sessions;
    user.item = 0;
    if (rng.next() < GUEST_SESSION_SHARE) {
      user.mode = MODE_GUEST;
      this.counts.guestSessions++;
    } else user.mode = rng.next() < (user.paid ? LOGGED_OUT_START_SHARE.paid : LOGGED_OUT_START_SHARE.free) ? MODE_OUT : MODE_IN;
    const start = this.tableOf(user).start;
    user.page = start.next[pickCumulative(rng, start.cumulative)] as number;
  }

  /** Draws from the table of the state the event was shown in; the page's effects apply afterwards. */
  private nextPage(user: SimUser, page: number): number {
    const row = this.tableOf(user).rows[page];
    if (row === undefined) throw new Error(`transition table ${this.tableOf(user).name} has no row for ${PAGES[page]?.name}`);
    const next = row.next[pickCumulative(this.c.rng, row.cumulative)] as number;
    if (page === NEXT_SONG) return next;
    if (page === LOGOUT) user.mode = MODE_OUT;
    else if (page === LOGIN) user.mode = MODE_IN;
    else if (page === SUBMIT_UPGRADE) {
      user.paid = true;
      this.counts.upgrades++;
    } else if (page === SUBMIT_DOWNGRADE) {
      user.paid = false;
      this.counts.downgrades++;
    } else if (page === CANCELLATION_CONFIRMATION) {
      user.churned = true;
      this.counts.cancellations++;
      return END;
    }
    return next;
  }

  private tableOf(user: SimUser): CompiledTable {
    const model = this.c.model;
    if (user.mode === MODE_IN) return model.loggedIn[user.paid ? 1 : 0];
    return user.mode === MODE_OUT ? model.loggedOut : model.guest;
  }
}
