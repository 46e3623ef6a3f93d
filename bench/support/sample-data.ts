import { resolve } from 'node:path';

/** The course sample, found like the tests find it: SPARKIFY_DATA_ROOT, default ../shared/data beside the repo. */
export function sampleDirs(env: NodeJS.ProcessEnv = process.env): { songs: string; logs: string } {
  const root = resolve(env.SPARKIFY_DATA_ROOT ?? resolve(import.meta.dirname, '..', '..', '..', 'shared', 'data'));
  return { songs: resolve(root, 'sparkify', 'song_data'), logs: resolve(root, 'sparkify', 'log_data') };
}
