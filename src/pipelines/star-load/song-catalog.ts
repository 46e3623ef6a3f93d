/** A row of 05-catalog.sql. */
export interface CatalogRow {
  title: string;
  artist_name: string;
  duration: number;
  song_id: string;
  artist_id: string;
}

type Ids = readonly [songId: string, artistId: string];

/**
 * The songs a play can match, by title + artist name + duration, exactly as SQL's `=` on text and double precision
 * compares them: the strings code unit for code unit (the databases compare text byte for byte here) and the numbers
 * by value (a Map's number keys compare as SameValueZero: -0 equals 0, as in SQL). Maps nested by title, then artist,
 * then duration: a lookup hashes the event's strings and builds no key string (it runs once per play).
 */
export class SongCatalog {
  private readonly songs = new Map<string, Map<string, Map<number, Ids>>>();
  /** As read, for worker threads that build their own. */
  readonly rows: readonly CatalogRow[];

  constructor(rows: readonly CatalogRow[]) {
    this.rows = rows;
    for (const row of rows) {
      let byArtist = this.songs.get(row.title);
      if (byArtist === undefined) this.songs.set(row.title, (byArtist = new Map()));
      let byDuration = byArtist.get(row.artist_name);
      if (byDuration === undefined) byArtist.set(row.artist_name, (byDuration = new Map()));
      byDuration.set(row.duration, [row.song_id, row.artist_id]);
    }
  }

  /** The play's song and artist ids, or undefined (a play of a song outside the catalog, or without a length). */
  match(title: string, artist: string, duration: number | null): Ids | undefined {
    return duration === null ? undefined : this.songs.get(title)?.get(artist)?.get(duration);
  }
}
