import { pythonFloat, pythonJsonString } from './json-text.ts';
import type { Song } from './song.ts';

const nullable = (value: number | null) => (value === null ? 'null' : pythonFloat(value));

/** The song_data file text: one json.dumps object in the MSD key order, no trailing newline. */
export function formatSongFile(song: Song): string {
  return (
    `{"num_songs": 1, "artist_id": ${pythonJsonString(song.artistId)}, ` +
    `"artist_latitude": ${nullable(song.artistLatitude)}, "artist_longitude": ${nullable(song.artistLongitude)}, ` +
    `"artist_location": ${pythonJsonString(song.artistLocation)}, "artist_name": ${pythonJsonString(song.artistName)}, ` +
    `"song_id": ${pythonJsonString(song.songId)}, "title": ${pythonJsonString(song.title)}, ` +
    `"duration": ${pythonFloat(song.duration)}, "year": ${song.year}}`
  );
}

/** song_data/A/B/C/TRABC….json: the folders are the 3rd to 5th characters of the track id. */
export function songFilePath(trackId: string): string {
  return `song_data/${trackId[2]}/${trackId[3]}/${trackId[4]}/${trackId}.json`;
}
