/**
 * The questions of the course's "Data Wrangling with Spark" lesson in the DataFrame API, written as a PySpark user
 * writes them (the SQL files beside this one answer the same questions). Each function reads the raw JSON logs with
 * an explicit schema and returns plain rows, shaped as the SQL file's rows are (counts as numbers).
 *
 *   npx node examples/wrangling/dataframe.ts --remote sc://127.0.0.1:15002 --logs ../shared/data/sparkify/log_data
 */
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { formatTable } from '../../src/core/table.ts';
import { logEventFields } from '../../src/datasets/schemas.ts';
import { avg, col, count, countDistinct, hour, sum, timestamp_millis, when } from '../../src/engines/spark/column.ts';
import type { DataFrame } from '../../src/engines/spark/data-frame.ts';
import { SparkSession } from '../../src/engines/spark/spark-session.ts';
import { Window } from '../../src/engines/spark/window.ts';
import { recordColumns } from '../../src/pipelines/lake/lake-tables.ts';

/** The log schema as DDL (`artist STRING, …, ts BIGINT, …`): no inference pass, and `ts` stays a long. */
export const logSchema = recordColumns(logEventFields).map((c) => `${c.name} ${c.type}`).join(', ');

/**
 * The raw logs. recursiveFileLookup: the logs sit in `log_data/<year>/<month>/`, and Spark reading the folder
 * without it finds no files in the subfolders (no error either: an empty DataFrame).
 */
export function readLog(spark: SparkSession, paths: string | string[]): DataFrame {
  return spark.read.schema(logSchema).option('recursiveFileLookup', true).json(...[paths].flat());
}

/** Which pages did the visitor with the empty userId (not logged in) never visit? Every page, less theirs: an anti join. */
export async function pagesNeverVisited(spark: SparkSession, paths: string | string[]): Promise<{ page: string }[]> {
  const log = readLog(spark, paths);
  const visited = log.filter(col('userId').eq('')).select('page').dropDuplicates();
  const rows = await log.select('page').dropDuplicates().join(visited, ['page'], 'left_anti').orderBy('page').collect();
  return rows.map((r) => ({ page: r.page as string }));
}

/** How many distinct users of a gender are there? */
export async function distinctUsersOfGender(spark: SparkSession, paths: string | string[], gender = 'F'): Promise<{ users: number }[]> {
  const rows = await readLog(spark, paths).filter(col('gender').eq(gender)).agg(countDistinct('userId').alias('users')).collect();
  return rows.map((r) => ({ users: Number(r.users) }));
}

/** Which artist was played most, and how many times? (Ties: the first artist by name.) */
export async function mostPlayedArtist(spark: SparkSession, paths: string | string[]): Promise<{ artist: string; plays: number }[]> {
  const rows = await readLog(spark, paths).filter(col('page').eq('NextSong'))
    .groupBy('artist').agg(count().alias('plays'))
    .orderBy(col('plays').desc(), 'artist').limit(1).collect();
  return rows.map((r) => ({ artist: r.artist as string, plays: Number(r.plays) }));
}

/**
 * How many songs does a user play, on average, between two visits to the home page? As the lesson does it: each
 * user's Home and NextSong events, newest first; a running sum of a Home flag numbers the periods; the songs of each
 * (user, period) counted, then averaged. The frame is a RANGE: a Home and a song at the same ts fall in one period
 * whatever order Spark gives them (with rowsBetween the answer could change from run to run).
 */
export async function songsBetweenHomeVisits(spark: SparkSession, paths: string | string[]): Promise<{ average_songs: number }[]> {
  const newestFirst = Window.partitionBy('userId').orderBy(col('ts').desc()).rangeBetween(Window.unboundedPreceding, Window.currentRow);
  const periods = readLog(spark, paths).filter(col('page').isin('NextSong', 'Home')).select('userId', 'page', 'ts')
    .withColumn('homevisit', when(col('page').eq('Home'), 1).otherwise(0))
    .withColumn('period', sum('homevisit').over(newestFirst));
  const rows = await periods.filter(col('page').eq('NextSong'))
    .groupBy('userId', 'period').agg(count().alias('songs'))
    .agg(avg('songs').alias('average_songs')).collect();
  return rows.map((r) => ({ average_songs: r.average_songs as number }));
}

/** Plays per hour of the day, in the session's time zone (main sets UTC, as the SQL file's answer is in UTC). */
export async function hourlyPlays(spark: SparkSession, paths: string | string[]): Promise<{ hour: number; plays: number }[]> {
  const rows = await readLog(spark, paths).filter(col('page').eq('NextSong'))
    .withColumn('hour', hour(timestamp_millis('ts')))
    .groupBy('hour').agg(count().alias('plays')).orderBy('hour').collect();
  return rows.map((r) => ({ hour: r.hour as number, plays: Number(r.plays) }));
}

/** Which users downgraded (submitted a downgrade from paid to free)? */
export async function usersWhoDowngraded(spark: SparkSession, paths: string | string[]): Promise<{ userId: string }[]> {
  const rows = await readLog(spark, paths).filter(col('page').eq('Submit Downgrade')).select('userId').dropDuplicates().orderBy('userId').collect();
  return rows.map((r) => ({ userId: r.userId as string }));
}

/** Hours are the session time zone's: pinned so that the answers match the SQL files' (UTC) on any server. */
export async function useUtc(spark: SparkSession): Promise<void> {
  await spark.sql("SET spark.sql.session.timeZone = UTC").collect();
}

export const questions = [
  ['Pages the visitor with the empty userId never visited', pagesNeverVisited],
  ['Distinct female users', distinctUsersOfGender],
  ['The most played artist', mostPlayedArtist],
  ['Average songs between two home visits', songsBetweenHomeVisits],
  ['Plays per hour of the day (UTC)', hourlyPlays],
  ['Users who downgraded', usersWhoDowngraded],
] as const;

async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({ args: argv, options: { remote: { type: 'string' }, logs: { type: 'string', multiple: true } } });
  if (!values.remote || !values.logs?.length) {
    process.stderr.write('usage: npx node examples/wrangling/dataframe.ts --remote sc://HOST:PORT --logs DIR [--logs DIR …]\n');
    process.exitCode = 2;
    return;
  }
  const spark = SparkSession.connect(values.remote);
  try {
    await useUtc(spark);
    for (const [title, question] of questions) {
      const rows: object[] = await question(spark, values.logs);
      process.stdout.write(`\n${title}\n${formatTable(rows)}`);
    }
  } finally {
    await spark.stop();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main(process.argv.slice(2));
