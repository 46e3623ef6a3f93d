import { SeededRandom } from '../core/seeded-random.ts';
import { INITIAL_PAID_SHARE, REGISTRATION_DAYS_BEFORE, SESSION_RATE_MEDIAN_PER_DAY, SESSION_RATE_SIGMA } from './behaviour.ts';
import { logNormal } from './random-draws.ts';
import { scramble32 } from './scramble.ts';
import { FEMALE_NAMES, LAST_NAMES, MALE_NAMES, USER_AGENTS, USER_LOCATIONS } from './user-vocabulary.ts';
import { UNSET_WHO, whoOf } from './who.ts';
import type { Person, Who } from './who.ts';

/**
 * A listener and, while one is open, their session. Small on purpose (a few dozen bytes): a run may have
 * millions of users, so names and the rest of the rendered identity are rebuilt from the seed when needed.
 * Mutable on purpose: the event loop updates it in place.
 */
export class SimUser {
  readonly index: number;
  /** Sessions started per day, before the daily and weekly cycles. */
  readonly rate: number;
  paid: boolean;
  churned = false;
  inSession = false;
  /** MODE_IN / MODE_OUT / MODE_GUEST of the open session. */
  mode = 0;
  /** Code of the page this user shows next. */
  page = 0;
  sessionId = 0;
  item = 0;
  /** The rendered identity, held while a session is open; UNSET_WHO otherwise. */
  who: Who = UNSET_WHO;

  constructor(index: number, rate: number, paid: boolean) {
    this.index = index;
    this.rate = rate;
    this.paid = paid;
  }
}

/** Identities kept after their session ends: a direct-mapped cache, so memory stays fixed however many users. */
const WHO_SLOTS = 1 << 16;

/**
 * Draws users as pure functions of (seed, index), like the catalog: user i is the same whatever else the run
 * does. Timestamps are whole seconds plus the run's fixed millisecond offset, as eventsim's are (every ts and
 * registration in the sample ends in 796).
 */
export class UserFactory {
  private readonly traitKey: number;
  private readonly personKey: number;
  private readonly startSecond: number;
  private readonly offsetMs: number;
  private readonly owners = new Int32Array(WHO_SLOTS).fill(-1);
  private readonly whos: (Who | undefined)[] = new Array(WHO_SLOTS);

  constructor(seed: number, startSecond: number, offsetMs: number) {
    const rng = new SeededRandom(seed ^ 0x2c1b3c6d);
    this.traitKey = Math.floor(rng.next() * 4294967296) >>> 0;
    this.personKey = Math.floor(rng.next() * 4294967296) >>> 0;
    this.startSecond = startSecond;
    this.offsetMs = offsetMs;
  }

  create(index: number): SimUser {
    const rng = new SeededRandom(scramble32(index, this.traitKey));
    const rate = logNormal(rng, SESSION_RATE_MEDIAN_PER_DAY, SESSION_RATE_SIGMA);
    return new SimUser(index, rate, rng.next() < INITIAL_PAID_SHARE);
  }

  person(index: number): Person {
    const rng = new SeededRandom(scramble32(index, this.personKey));
    // Sample: 55 of 97 users are women.
    const gender = rng.next() < 0.57 ? 'F' : 'M';
    const firstName = rng.pick(gender === 'F' ? FEMALE_NAMES : MALE_NAMES);
    const lastName = rng.pick(LAST_NAMES);
    const location = rng.pick(USER_LOCATIONS);
    const agent = rng.pick(USER_AGENTS);
    const [minDays, maxDays] = REGISTRATION_DAYS_BEFORE;
    const registered = this.startSecond - Math.floor((minDays + rng.next() * (maxDays - minDays)) * 86400);
    return {
      userId: String(index + 1),
      firstName,
      lastName,
      gender,
      location,
      userAgent: agent.includes(',') ? `"${agent}"` : agent,
      registrationMs: registered * 1000 + this.offsetMs,
    };
  }

  who(index: number): Who {
    const slot = index & (WHO_SLOTS - 1);
    if (this.owners[slot] === index) return this.whos[slot] as Who;
    const who = whoOf(this.person(index), this.offsetMs);
    this.owners[slot] = index;
    this.whos[slot] = who;
    return who;
  }
}
