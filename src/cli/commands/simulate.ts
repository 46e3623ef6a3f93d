import type { Command } from 'commander';
import { createProgress } from '../../core/progress.ts';
import { formatTable } from '../../core/table.ts';
import { compileSimulateOptions } from '../../simulator/simulate-options.ts';
import { simulate } from '../../simulator/simulate.ts';
import type { SimulateSummary } from '../../simulator/simulate.ts';

/** How each option is spelled on the command line, so that errors name the flag the user typed. */
const FLAGS: Record<string, string> = { outDir: '--out', offCatalogShare: '--off-catalog' };
const flagOf = (key: string) => FLAGS[key] ?? `--${key}`;

interface SimulateFlags {
  out?: string;
  users?: string;
  days?: string;
  songs?: string;
  seed?: string;
  start?: string;
  offCatalog?: string;
  json?: boolean;
}

export function registerSimulate(program: Command): void {
  program
    .command('simulate')
    .description('write a Sparkify dataset (song_data, log_data, event_data) byte-compatible with the course files')
    // Not requiredOption: a missing flag then gets the same checked, named message as a malformed one.
    .option('--out <dir>', 'output folder; must not already hold a run')
    .option('--users <n>', 'number of users')
    .option('--days <d>', 'number of days to simulate')
    .option('--songs <s>', 'songs in the catalog (files in song_data)')
    .option('--seed <x>', 'random seed (0 to 4294967295): the same seed writes the same bytes')
    .option('--start <date>', 'first day, UTC', '2018-11-01')
    .option('--off-catalog <share>', 'share of plays of songs that are not in the catalog', '0.2')
    .option('--json', 'print the summary as JSON instead of a table')
    .action(async (flags: SimulateFlags) => {
      const options = compileSimulateOptions(
        { outDir: flags.out, users: flags.users, days: flags.days, songs: flags.songs, seed: flags.seed, start: flags.start, offCatalogShare: flags.offCatalog },
        flagOf,
      );
      const summary = await simulate({ ...options, progress: createProgress(process.stderr) });
      process.stdout.write(flags.json ? `${JSON.stringify(summary, null, 2)}\n` : renderSummary(summary));
    });
}

function renderSummary(s: SimulateSummary): string {
  const rows: { what: string; count: number }[] = [
    { what: 'users', count: s.users },
    { what: 'days', count: s.days },
    { what: 'events', count: s.events },
    { what: 'NextSong events', count: s.nextSongEvents },
    { what: '  of songs not in the catalog', count: s.offCatalogPlays },
    { what: 'sessions', count: s.sessions },
    { what: '  guest sessions', count: s.guestSessions },
    { what: 'upgrades', count: s.upgrades },
    { what: 'downgrades', count: s.downgrades },
    { what: 'cancellations', count: s.cancellations },
    { what: 'song_data files', count: s.songFiles },
    { what: 'log_data files', count: s.logFiles },
    { what: 'event_data files', count: s.csvFiles },
    { what: 'MB written', count: s.bytes / 1e6 },
    { what: 'seconds', count: s.seconds },
    { what: 'events per second', count: Math.round(s.events / Math.max(s.eventSeconds, 1e-9)) },
  ];
  return `Simulated into ${s.outDir} (seed ${s.seed})\n${formatTable(rows, ['what', 'count'])}`;
}
