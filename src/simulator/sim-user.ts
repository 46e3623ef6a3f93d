import type { SeededRandom } from '../core/seeded-random.ts';
import { INITIAL_PAID_SHARE, REGISTRATION_DAYS_BEFORE, SESSION_RATE_MEDIAN_PER_DAY, SESSION_RATE_SIGMA } from './behaviour.ts';
import { logNormal } from './random-draws.ts';
import { FEMALE_NAMES, LAST_NAMES, MALE_NAMES, USER_AGENTS, USER_LOCATIONS } from './user-vocabulary.ts';
import { whoOf } from './who.ts';
import type { Who } from './who.ts';

/** A listener and, while one is open, their session. Mutable on purpose: the event loop updates it in place. */
export class SimUser {
  readonly index: number;
  readonly who: Who;
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

  constructor(index: number, who: Who, rate: number, paid: boolean) {
    this.index = index;
    this.who = who;
    this.rate = rate;
    this.paid = paid;
  }
}

/**
 * Draws user `index`. Timestamps are whole seconds plus the run's fixed millisecond offset, as eventsim's
 * are (every ts and registration in the sample ends in 796).
 */
export function createUser(rng: SeededRandom, index: number, startSecond: number, offsetMs: number): SimUser {
  // Sample: 55 of 97 users are women.
  const gender = rng.next() < 0.57 ? 'F' : 'M';
  const firstName = rng.pick(gender === 'F' ? FEMALE_NAMES : MALE_NAMES);
  const lastName = rng.pick(LAST_NAMES);
  const location = rng.pick(USER_LOCATIONS);
  const agent = rng.pick(USER_AGENTS);
  const [minDays, maxDays] = REGISTRATION_DAYS_BEFORE;
  const registered = startSecond - Math.floor((minDays + rng.next() * (maxDays - minDays)) * 86400);
  const rate = logNormal(rng, SESSION_RATE_MEDIAN_PER_DAY, SESSION_RATE_SIGMA);
  const paid = rng.next() < INITIAL_PAID_SHARE;
  const who = whoOf({
    userId: String(index + 1),
    firstName,
    lastName,
    gender,
    location,
    userAgent: agent.includes(',') ? `"${agent}"` : agent,
    registrationMs: registered * 1000 + offsetMs,
  });
  return new SimUser(index, who, rate, paid);
}
