/**
 * Page-to-page transition weights, per state of the visitor. Measured on the course sample (counts of
 * page → next page within a session, END when the session stops there), rounded, and pooled across free and
 * paid where the sample has too few events to tell them apart. Rows and targets marked "guess" cover pages
 * the sample never shows; their weights are kept small. Rows need not sum to 1: they are normalised.
 */
export type Row = Readonly<Record<string, number>>;
export type Table = Readonly<Record<string, Row>>;

const SONG_EXTRAS = { 'Thumbs Up': 0.01, 'Thumbs Down': 0.002, 'Add to Playlist': 0.005, 'Add Friend': 0.002 }; // guess

/** Rows shared by free and paid logged-in users (pooled: the sample has under 60 events of each). */
const LOGGED_IN_COMMON: Table = {
  Settings: { NextSong: 0.536, 'Save Settings': 0.179, Settings: 0.071, Home: 0.071, Help: 0.071, Logout: 0.054, END: 0.018, Cancel: 0.005 },
  'Save Settings': { Home: 0.9, END: 0.1 },
  Upgrade: { 'Submit Upgrade': 0.381, Home: 0.238, NextSong: 0.143, END: 0.143, Upgrade: 0.095 },
  'Submit Upgrade': { Home: 1 },
  Downgrade: { NextSong: 0.583, END: 0.183, Home: 0.167, Downgrade: 0.05, 'Submit Downgrade': 0.017, Cancel: 0.01 },
  'Submit Downgrade': { Home: 1 },
  About: { END: 0.45, Home: 0.18, About: 0.18, NextSong: 0.18 },
  Error: { END: 0.67, Home: 0.11, NextSong: 0.22 },
  Logout: { Home: 1 },
  Cancel: { 'Cancellation Confirmation': 1 },
  'Cancellation Confirmation': { END: 1 },
};

/** Free sessions are short: 2.0 plays on average in the sample, against 23.8 for paid ones. */
const afterFreeExtra: Row = { NextSong: 0.5, END: 0.4, Home: 0.1 }; // guess, shaped like the free NextSong row
export const LOGGED_IN_FREE: Table = {
  ...LOGGED_IN_COMMON,
  START: { NextSong: 0.568, Home: 0.401, About: 0.003, Help: 0.002, Error: 0.001 },
  NextSong: {
    NextSong: 0.501, END: 0.439, Logout: 0.021, Home: 0.02, Upgrade: 0.012, Help: 0.002, About: 0.002, Settings: 0.002,
    Error: 0.001, ...SONG_EXTRAS, 'Roll Advert': 0.015,
  },
  Home: { NextSong: 0.54, END: 0.393, Settings: 0.03, Home: 0.014, Upgrade: 0.011, Logout: 0.008, About: 0.003, Help: 0.003 },
  Help: { NextSong: 0.5, END: 0.3, Home: 0.15, Upgrade: 0.05 },
  'Thumbs Up': afterFreeExtra,
  'Thumbs Down': afterFreeExtra,
  'Add to Playlist': afterFreeExtra,
  'Add Friend': afterFreeExtra,
  'Roll Advert': afterFreeExtra,
};

const afterPaidExtra: Row = { NextSong: 0.93, Home: 0.03, END: 0.04 }; // guess, shaped like the paid NextSong row
export const LOGGED_IN_PAID: Table = {
  ...LOGGED_IN_COMMON,
  START: { NextSong: 0.447, Home: 0.285, About: 0.002, Help: 0.001 },
  NextSong: {
    NextSong: 0.923, END: 0.023, Home: 0.021, Logout: 0.009, Downgrade: 0.009, Settings: 0.006, Help: 0.005, About: 0.002,
    Error: 0.001, ...SONG_EXTRAS, 'Thumbs Up': 0.012, 'Add to Playlist': 0.006, 'Add Friend': 0.003,
  },
  Home: { NextSong: 0.861, END: 0.066, Settings: 0.029, Logout: 0.022, Downgrade: 0.018, About: 0.004, Help: 0.003, Home: 0.005 },
  Help: { NextSong: 0.844, Downgrade: 0.062, Home: 0.031, Help: 0.031, END: 0.031 },
  'Thumbs Up': afterPaidExtra,
  'Thumbs Down': afterPaidExtra,
  'Add to Playlist': afterPaidExtra,
  'Add Friend': afterPaidExtra,
};

/** A known user before logging in (or after logging out): no names in the log, but the level is still theirs. */
export const LOGGED_OUT: Table = {
  START: { Home: 0.68, Login: 0.32 },
  Home: { END: 0.386, Login: 0.357, Home: 0.146, About: 0.076, Help: 0.035 },
  About: { END: 0.5, Login: 0.29, Home: 0.14, About: 0.07 },
  Help: { END: 0.45, Login: 0.3, Help: 0.15, Home: 0.1 },
  Login: { Home: 1 },
};

/** A visitor who never registered. Not in the sample (guess); eventsim logs them with auth Guest. */
export const GUEST: Table = {
  START: { Home: 0.9, About: 0.05, Help: 0.05 },
  Home: { END: 0.5, Home: 0.2, About: 0.15, Help: 0.1, Error: 0.05 },
  About: { END: 0.6, Home: 0.3, Help: 0.1 },
  Help: { END: 0.6, Home: 0.3, About: 0.1 },
  Error: { END: 0.7, Home: 0.3 },
};
