import type { SongFragments } from './event-format.ts';

/** One song of the simulated world, with its share of a NextSong line pre-rendered (plays are the hot path). */
export interface Song {
  readonly index: number;
  readonly trackId: string;
  readonly songId: string;
  readonly title: string;
  readonly duration: number;
  readonly year: number;
  readonly artistId: string;
  readonly artistName: string;
  readonly artistLatitude: number | null;
  readonly artistLongitude: number | null;
  readonly artistLocation: string;
  /** Rendered with the duration exactly as song_data writes it, so that plays join on text. */
  readonly play: SongFragments;
}
