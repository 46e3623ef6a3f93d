/**
 * How listeners behave, as numbers. Unless marked otherwise they were measured once, by a throwaway script,
 * on the course sample (log_data, 2018-11, 8,056 events from 97 users in 941 sessions); the simulator never
 * reads the sample. Where the sample is silent (guests, cancellations, thumbs…) the figure is a small
 * documented guess so those code paths exist downstream without distorting the measured mix much.
 */

/** Sessions a user starts per day: log-normal across users. Sample: 9.4 sessions per active user in 30 days, median 6, max 63. */
export const SESSION_RATE_MEDIAN_PER_DAY = 0.21;
export const SESSION_RATE_SIGMA = 0.9;

/**
 * Share of users paying when the run starts. Sample: 15 of 97 users' first event is `paid`, and 24% of
 * sessions are paid; 0.18 reproduces the session share once upgrades and downgrades have played out.
 */
export const INITIAL_PAID_SHARE = 0.18;

/** Sessions that begin logged out (Home or Login before the user is known). Sample: 10 of 713 free, 61 of 228 paid sessions. */
export const LOGGED_OUT_START_SHARE = { free: 0.025, paid: 0.27 } as const;

/** Guest (never registered) sessions per session start. Not in the sample; eventsim has them. */
export const GUEST_SESSION_SHARE = 0.01;

/** Default share of plays of songs outside the written catalog. The sample plays mostly songs absent from its 71-file catalog; 20% keeps joins interesting. */
export const DEFAULT_OFF_CATALOG_SHARE = 0.2;

/** Songs outside the catalog, as a multiple of the catalog size (at least OFF_CATALOG_MIN). */
export const OFF_CATALOG_FACTOR = 4;
export const OFF_CATALOG_MIN = 1000;

/**
 * Popularity exponent of the song ranks (p ∝ rank^-s). Chosen so that a 300k-song catalogue gives its top
 * song about 0.6% of plays, as "You're The One" has in the sample (37 of 6,820).
 */
export const POPULARITY_EXPONENT = 0.7;

/**
 * Artists per song in the pool songs draw their artist from (uniformly). Catalog songs draw from the first
 * size×6.5 artists, so about 7.5% of catalog artists have several songs (7% in the course's large song set);
 * off-catalog songs draw from the whole pool, so a fifth of them are by catalog artists.
 */
export const ARTIST_POOL_PER_SONG = 6.5;

/**
 * The daily cycle of session starts, 00h to 23h UTC: the sample's events per hour, moved one hour earlier
 * because a session's events trail its start (long paid sessions run for hours).
 */
export const HOUR_WEIGHTS = [201, 157, 130, 159, 206, 230, 219, 246, 311, 356, 391, 368, 415, 504, 577, 626, 572, 579, 431, 397, 326, 247, 223, 185] as const;

/** Activity by weekday, Sunday first (getUTCDay order). Sample per-day averages: weekdays ≈ 315 events, Saturday 178, Sunday 125. */
export const WEEKDAY_WEIGHTS = [0.4, 1, 1, 1, 1, 1, 0.57] as const;

/** After a NextSong the next event comes when the song ends (94% of plays), earlier when skipped (5.2%), later after a pause (0.9%). */
export const SKIP_SHARE = 0.052;
export const PAUSE_SHARE = 0.009;
export const PAUSE_MEDIAN_SECONDS = 120;

/** Spread (sigma of the log) of the time spent on a non-song page; the medians are per page in pages.ts. Sample Home: quartiles 14 s and 205 s around 69 s. */
export const DWELL_SIGMA = 1.5;

/** Registration happens this many days before the run starts (uniform). Sample: 0.5 to 36 days before a user's first event, median 7.5. */
export const REGISTRATION_DAYS_BEFORE = [0.5, 14] as const;
