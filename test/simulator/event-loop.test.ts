import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { logEvents, simulateToTemp } from './simulated-dataset.ts';
import type { LogEvent, TempRun } from './simulated-dataset.ts';

let run: TempRun;
let events: LogEvent[];
before(async () => {
  // Four whole weeks from a Monday. About 1% of users cancel in a month, so a seed was picked whose run has some (seed 77 has none).
  run = await simulateToTemp({ users: 600, days: 28, songs: 500, seed: 78, start: new Date('2018-11-05T00:00:00Z') });
  events = await logEvents(run.dir);
});
after(() => run.remove());

const byUser = () => {
  const users = new Map<string, LogEvent[]>();
  for (const e of events) {
    if (e.userId === '') continue;
    let list = users.get(e.userId);
    if (list === undefined) users.set(e.userId, (list = []));
    list.push(e); // files are read in date order and each is sorted by ts
  }
  return users;
};

test('a user keeps their name, gender, location, agent and registration', () => {
  for (const [id, list] of byUser()) {
    const first = list[0]!;
    for (const e of list) for (const k of ['firstName', 'lastName', 'gender', 'location', 'userAgent', 'registration']) assert.equal(e[k], first[k], `user ${id} ${k}`);
    assert.ok((first.registration as number) < first.ts, `user ${id} registered before playing`);
  }
});

test('level changes exactly after Submit Upgrade (free → paid) and Submit Downgrade (paid → free)', () => {
  let upgrades = 0;
  for (const [id, list] of byUser()) {
    for (let i = 1; i < list.length; i++) {
      const [a, b] = [list[i - 1]!, list[i]!];
      if (a.page === 'Submit Upgrade') {
        assert.deepEqual([a.level, b.level], ['free', 'paid'], `user ${id}`);
        upgrades++;
      } else if (a.page === 'Submit Downgrade') assert.deepEqual([a.level, b.level], ['paid', 'free'], `user ${id}`);
      else assert.equal(b.level, a.level, `user ${id} changed level after ${a.page}`);
    }
  }
  assert.ok(upgrades > 0 && upgrades === run.summary.upgrades);
});

test('sessions: logged-out visits log in within the same session; guests stay anonymous; cancelled users leave', () => {
  const sessions = new Map<number, LogEvent[]>();
  for (const e of events) {
    let list = sessions.get(e.sessionId);
    if (list === undefined) sessions.set(e.sessionId, (list = []));
    list.push(e);
  }
  let loggedOutThenIn = 0;
  let guests = 0;
  for (const list of sessions.values()) {
    if (list[0]!.auth === 'Guest') {
      guests++;
      for (const e of list) {
        assert.equal(e.auth, 'Guest');
        assert.ok(['Home', 'About', 'Help', 'Error'].includes(e.page), e.page);
      }
    }
    for (let i = 1; i < list.length; i++) {
      const [a, b] = [list[i - 1]!, list[i]!];
      if (a.auth === 'Logged Out' && b.auth === 'Logged In') {
        assert.equal(a.page, 'Login');
        loggedOutThenIn++;
      }
      if (a.auth === 'Logged In' && b.auth === 'Logged Out') assert.equal(a.page, 'Logout');
    }
  }
  assert.ok(loggedOutThenIn > 10, `${loggedOutThenIn} logins`);
  assert.ok(guests > 0 && guests === run.summary.guestSessions, `${guests} guest sessions, summary ${run.summary.guestSessions}`);

  const users = byUser();
  let cancelled = 0;
  for (const [id, list] of users) {
    const at = list.findIndex((e) => e.page === 'Cancellation Confirmation');
    if (at < 0) continue;
    cancelled++;
    assert.equal(list[at - 1]?.page, 'Cancel');
    assert.equal(at, list.length - 1, `user ${id} is active after cancelling`);
  }
  assert.ok(cancelled > 0 && cancelled === run.summary.cancellations, `${cancelled} cancelled, summary ${run.summary.cancellations}`);
});

test('activity follows the daily and weekly cycles', () => {
  const hours = new Array<number>(24).fill(0);
  const weekdays = new Array<number>(7).fill(0);
  for (const e of events) {
    const d = new Date(e.ts);
    hours[d.getUTCHours()]!++;
    weekdays[d.getUTCDay()]!++;
  }
  const sum = (a: number[]) => a.reduce((x, y) => x + y, 0);
  // Sample: 16h UTC is the busiest hour, about four times 3h.
  assert.ok(sum(hours.slice(14, 19)) > 2 * sum(hours.slice(2, 7)), `hours ${hours}`);
  // Sample: Saturdays and Sundays are quieter than weekdays.
  assert.ok((weekdays[0]! + weekdays[6]!) / 2 < 0.8 * (sum(weekdays.slice(1, 6)) / 5), `weekdays ${weekdays}`);
});

test('after a song the next event mostly comes when the song ends', () => {
  let next = 0;
  let atEnd = 0;
  const lastPlay = new Map<number, LogEvent>();
  const sorted = [...events].sort((a, b) => a.sessionId - b.sessionId || a.itemInSession - b.itemInSession);
  for (const e of sorted) {
    const play = lastPlay.get(e.sessionId);
    if (play !== undefined && play.itemInSession === e.itemInSession - 1) {
      next++;
      if (e.ts - play.ts === Math.floor(play.length as number) * 1000) atEnd++;
    }
    if (e.page === 'NextSong') lastPlay.set(e.sessionId, e);
  }
  // Sample: 94% of the time.
  assert.ok(atEnd / next > 0.9 && atEnd / next < 0.97, `${atEnd} of ${next}`);
});
