import type { LogEvent } from './simulated-dataset.ts';

/** The behaviour figures the simulator is calibrated on, computed the same way for the sample and for a run. */
export interface LogStats {
  events: number;
  /** Share of events per page. */
  pageMix: Map<string, number>;
  playsPerSession: number;
  /** Share of NextSong events played at level paid. */
  paidPlayShare: number;
  /** Events per user who has at least one logged-in event. */
  eventsPerUser: number;
  sessionsPerUser: number;
}

export function logStats(events: readonly LogEvent[]): LogStats {
  const pages = new Map<string, number>();
  const sessions = new Map<number, number>();
  const users = new Map<string, number>();
  const userSessions = new Map<string, Set<number>>();
  let plays = 0;
  let paidPlays = 0;
  for (const e of events) {
    pages.set(e.page, (pages.get(e.page) ?? 0) + 1);
    if (!sessions.has(e.sessionId)) sessions.set(e.sessionId, 0);
    if (e.page === 'NextSong') {
      plays++;
      if (e.level === 'paid') paidPlays++;
      sessions.set(e.sessionId, (sessions.get(e.sessionId) ?? 0) + 1);
    }
    if (e.userId !== '') {
      users.set(e.userId, (users.get(e.userId) ?? 0) + 1);
      let set = userSessions.get(e.userId);
      if (set === undefined) userSessions.set(e.userId, (set = new Set()));
      set.add(e.sessionId);
    }
  }
  const share = new Map([...pages].map(([p, n]) => [p, n / events.length]));
  let loggedIn = 0;
  for (const n of users.values()) loggedIn += n;
  let sessionCount = 0;
  for (const s of userSessions.values()) sessionCount += s.size;
  return {
    events: events.length,
    pageMix: share,
    playsPerSession: plays / sessions.size,
    paidPlayShare: paidPlays / plays,
    eventsPerUser: loggedIn / users.size,
    sessionsPerUser: sessionCount / users.size,
  };
}
