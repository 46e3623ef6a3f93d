/** One song of the simulated world, with its text already escaped for each output (plays are the hot path). */
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
  /** `"AC\/DC"` — JSON literals as the logs write them. */
  readonly artistJson: string;
  readonly titleJson: string;
  /** The duration exactly as written in song_data, reused in the logs so plays join on text. */
  readonly durationText: string;
  readonly artistCsv: string;
  readonly titleCsv: string;
}
