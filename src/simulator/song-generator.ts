import { SeededRandom } from '../core/seeded-random.ts';
import { songFragments } from './event-format.ts';
import { ARTIST_ADJECTIVES, ARTIST_FIRST_NAMES, ARTIST_LAST_NAMES, ARTIST_PLACES, ARTIST_VAGUE_PLACES, ARTIST_WORDS } from './music-vocabulary.ts';
import { TITLE_JOINERS, TITLE_SUFFIXES, TITLE_WORDS } from './music-vocabulary.ts';
import { logNormal } from './random-draws.ts';
import { hex8, scramble32 } from './scramble.ts';
import type { Song } from './song.ts';

/** Per-run keys. Every song and artist is a pure function of (keys, index), so nothing about the catalog needs remembering. */
export interface CatalogKeys {
  readonly songSeed: number;
  readonly artistSeed: number;
  readonly trackId: number;
  readonly songId: number;
  readonly artistId: number;
}

export function catalogKeys(seed: number): CatalogKeys {
  const rng = new SeededRandom(seed ^ 0x5f0c2a11);
  const key = () => Math.floor(rng.next() * 4294967296) >>> 0;
  return { songSeed: key(), artistSeed: key(), trackId: key(), songId: key(), artistId: key() };
}

const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const HEX = '0123456789ABCDEF';

function chars(rng: SeededRandom, alphabet: string, n: number): string {
  let out = '';
  for (let i = 0; i < n; i++) out += alphabet[Math.floor(rng.next() * alphabet.length)];
  return out;
}

/**
 * Million Song Dataset ids: two letters, five random characters, then eleven hex digits. The last eight hex
 * digits are a bijection of the index, which makes every id unique without a registry of used ids.
 */
function msdId(prefix: string, rng: SeededRandom, head: string, index: number, key: number): string {
  return `${prefix}${chars(rng, head, 5)}${chars(rng, HEX, 3)}${hex8(scramble32(index, key))}`;
}

interface Artist {
  id: string;
  name: string;
  latitude: number | null;
  longitude: number | null;
  location: string;
}

function artistName(rng: SeededRandom): string {
  const u = rng.next();
  const person = () => `${rng.pick(ARTIST_FIRST_NAMES)} ${rng.pick(ARTIST_LAST_NAMES)}`;
  if (u < 0.3) return `The ${rng.pick(ARTIST_ADJECTIVES)} ${rng.pick(ARTIST_WORDS)}`;
  if (u < 0.55) return person();
  if (u < 0.7) return `${rng.pick(ARTIST_ADJECTIVES)} ${rng.pick(ARTIST_WORDS)}`;
  if (u < 0.8) return `${person()} & The ${rng.pick(ARTIST_WORDS)}`;
  if (u < 0.9) return `DJ ${rng.pick(ARTIST_ADJECTIVES)}`;
  if (u < 0.95) return `${person()} / ${person()}`;
  return `${rng.pick(ARTIST_ADJECTIVES)} ${rng.pick(ARTIST_WORDS)} feat. ${person()}`;
}

/** Five decimals, like the MSD's coordinates. */
const round5 = (x: number) => Math.round(x * 1e5) / 1e5;

function generateArtist(keys: CatalogKeys, index: number): Artist {
  const rng = new SeededRandom(scramble32(index, keys.artistSeed));
  const id = msdId('AR', rng, ALNUM, index, keys.artistId);
  const name = artistName(rng);
  // Large course song set: 65% of songs have no coordinates; 45% have no location text at all.
  if (rng.next() < 0.62) {
    const location = rng.next() < 0.7 ? '' : rng.pick(ARTIST_VAGUE_PLACES);
    return { id, name, latitude: null, longitude: null, location };
  }
  const [location, lat, long] = rng.pick(ARTIST_PLACES);
  return { id, name, latitude: round5(lat + (rng.next() - 0.5) * 0.4), longitude: round5(long + (rng.next() - 0.5) * 0.4), location };
}

function title(rng: SeededRandom): string {
  const u = rng.next();
  let text: string;
  if (u < 0.35) text = rng.pick(TITLE_WORDS);
  else if (u < 0.7) text = `${rng.pick(TITLE_WORDS)} ${rng.pick(TITLE_WORDS)}`;
  else if (u < 0.9) text = `${rng.pick(TITLE_WORDS)} ${rng.pick(TITLE_JOINERS)} ${rng.pick(TITLE_WORDS)}`;
  else if (u < 0.95) text = `${rng.pick(TITLE_WORDS)}, ${rng.pick(TITLE_WORDS)}`;
  else if (u < 0.98) text = `${rng.pick(TITLE_WORDS)} / ${rng.pick(TITLE_WORDS)} ${rng.pick(TITLE_WORDS)}`;
  else text = `${rng.pick(TITLE_WORDS)} (From "${rng.pick(TITLE_WORDS)} ${rng.pick(TITLE_JOINERS)} ${rng.pick(TITLE_WORDS)}")`;
  return rng.next() < 0.15 ? text + rng.pick(TITLE_SUFFIXES) : text;
}

/** Song `index` of the world; indices below the catalog size are the ones written to song_data. */
export function generateSong(keys: CatalogKeys, index: number, artistPoolSize: number): Song {
  const rng = new SeededRandom(scramble32(index, keys.songSeed));
  const trackId = msdId('TR', rng, LETTERS, index, keys.trackId);
  const songId = msdId('SO', rng, LETTERS, index, keys.songId);
  const artist = generateArtist(keys, Math.floor(rng.next() * artistPoolSize));
  const name = title(rng);
  // Sample durations: median 228 s, quartiles 185 s and 281 s. Kept off whole seconds so both JSON dialects print the same digits.
  let units = Math.round(Math.min(1200, Math.max(20, logNormal(rng, 228, 0.33))) * 1e5);
  if (units % 100000 === 0) units += 1;
  const duration = units / 1e5;
  // Year 0 means unknown in the MSD (30-60% of the course songs); known years lean recent, median about 2004.
  const year = rng.next() < 0.45 ? 0 : Math.max(1950, 2010 - Math.floor(-Math.log(1 - rng.next()) * 9));
  return {
    index,
    trackId,
    songId,
    title: name,
    duration,
    year,
    artistId: artist.id,
    artistName: artist.name,
    artistLatitude: artist.latitude,
    artistLongitude: artist.longitude,
    artistLocation: artist.location,
    // String(duration) is also Python's repr for these values (never whole, never in exponent form).
    play: songFragments(artist.name, name, String(duration)),
  };
}
