import type { SeededRandom } from '../core/seeded-random.ts';
import { ARTIST_POOL_PER_SONG, OFF_CATALOG_FACTOR, OFF_CATALOG_MIN, POPULARITY_EXPONENT } from './behaviour.ts';
import { catalogKeys, generateSong } from './song-generator.ts';
import type { CatalogKeys } from './song-generator.ts';
import type { Song } from './song.ts';
import { zipfRank } from './zipf.ts';

/** Songs kept in memory: a direct-mapped cache, so memory stays fixed however large the catalog. */
const CACHE_SLOTS = 1 << 16;

/**
 * The songs of the simulated world. Indices [0, size) are the catalog written to song_data; the next
 * `offSize` are songs that exist (and get played) but are not in the catalog, as in the course data. Lower
 * indices are more popular. Songs are regenerated on demand from the seed, cached by index.
 */
export class Catalog {
  readonly size: number;
  readonly offSize: number;
  private readonly keys: CatalogKeys;
  private readonly catalogArtists: number;
  private readonly worldArtists: number;
  private readonly offShare: number;
  private readonly cache: (Song | undefined)[] = new Array(CACHE_SLOTS);

  constructor(seed: number, size: number, offCatalogShare: number) {
    if (!Number.isInteger(size) || size < 1) throw new RangeError(`catalog size must be a positive integer, got ${size}`);
    this.size = size;
    this.offSize = offCatalogShare > 0 ? Math.max(OFF_CATALOG_MIN, size * OFF_CATALOG_FACTOR) : 0;
    this.keys = catalogKeys(seed);
    this.catalogArtists = Math.ceil(size * ARTIST_POOL_PER_SONG);
    this.worldArtists = Math.ceil((size + this.offSize) * ARTIST_POOL_PER_SONG);
    this.offShare = offCatalogShare;
  }

  song(index: number): Song {
    const slot = index & (CACHE_SLOTS - 1);
    const cached = this.cache[slot];
    if (cached !== undefined && cached.index === index) return cached;
    const song = generateSong(this.keys, index, index < this.size ? this.catalogArtists : this.worldArtists);
    this.cache[slot] = song;
    return song;
  }

  /** The song of one play: popular songs more often, and now and then one outside the catalog. */
  pickPlay(rng: SeededRandom): Song {
    if (this.offShare > 0 && rng.next() < this.offShare) {
      return this.song(this.size + zipfRank(rng.next(), this.offSize, POPULARITY_EXPONENT));
    }
    return this.song(zipfRank(rng.next(), this.size, POPULARITY_EXPONENT));
  }
}
