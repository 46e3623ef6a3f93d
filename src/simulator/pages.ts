/**
 * The pages of the Sparkify app and how each is logged. Method and status follow the real logs: GETs answer
 * 200, PUTs that redirect answer 307, Error is a 404; NextSong and Add to Playlist are PUTs answered 200.
 * The dwell median is the sample's median time from that page to the user's next event (seconds).
 */
export interface PageInfo {
  readonly name: string;
  readonly method: 'GET' | 'PUT';
  readonly status: 200 | 307 | 404;
  readonly dwellMedian: number;
}

const page = (name: string, method: 'GET' | 'PUT', status: 200 | 307 | 404, dwellMedian: number): PageInfo => ({ name, method, status, dwellMedian });

/** Index order is the page code used everywhere in the simulator; NextSong is 0 so the hot path can test `page === 0`. */
export const PAGES: readonly PageInfo[] = [
  page('NextSong', 'PUT', 200, 0), // dwell is the song's length
  page('Home', 'GET', 200, 69),
  page('Login', 'PUT', 307, 54),
  page('Logout', 'PUT', 307, 50),
  page('Settings', 'GET', 200, 70),
  page('Save Settings', 'PUT', 307, 91),
  page('Upgrade', 'GET', 200, 4),
  page('Submit Upgrade', 'PUT', 307, 96),
  page('Downgrade', 'GET', 200, 138),
  page('Submit Downgrade', 'PUT', 307, 60),
  page('Help', 'GET', 200, 171),
  page('About', 'GET', 200, 31),
  page('Error', 'GET', 404, 15),
  // Not in the course sample; eventsim's other pages, with guessed dwell times.
  page('Thumbs Up', 'PUT', 307, 5),
  page('Thumbs Down', 'PUT', 307, 5),
  page('Add to Playlist', 'PUT', 200, 8),
  page('Add Friend', 'PUT', 307, 10),
  page('Roll Advert', 'GET', 200, 30),
  page('Cancel', 'PUT', 307, 2),
  page('Cancellation Confirmation', 'GET', 200, 0),
];

const codes = new Map(PAGES.map((p, i) => [p.name, i]));

export function pageCode(name: string): number {
  const code = codes.get(name);
  if (code === undefined) throw new RangeError(`unknown page ${name}`);
  return code;
}

export const NEXT_SONG = 0;
export const LOGIN = pageCode('Login');
export const LOGOUT = pageCode('Logout');
export const SUBMIT_UPGRADE = pageCode('Submit Upgrade');
export const SUBMIT_DOWNGRADE = pageCode('Submit Downgrade');
export const CANCELLATION_CONFIRMATION = pageCode('Cancellation Confirmation');
