/**
 * The jars Spark needs for `s3a://` (Hadoop's S3A connector), matched to the Hadoop inside the pyspark wheel
 * (pyspark 4.3.0 ships hadoop-client-api/-runtime 3.5.0): org.apache.hadoop:hadoop-aws:<that version>, the AWS SDK v2
 * `software.amazon.awssdk:bundle` of the version hadoop-aws's pom names (~690 MB), and
 * `software.amazon.s3.analyticsaccelerator:analyticsaccelerator-s3` of the version its pom names (without it S3A fails
 * with NoClassDefFoundError: software/amazon/s3/analyticsaccelerator/...). Maven resolves the versions from
 * hadoop-aws's own pom (`copy-dependencies` filtered to those three artifacts), so nothing here repeats them.
 * Fetched once into ~/.cache/sparkify/spark-s3a-<hadoop version>/lib and reused.
 *
 * `node scripts/servers/spark-s3a-jars.ts` fetches them (and prints the jar paths); `sparkS3aJars()` gives the paths
 * for `spark-submit --jars` or `spark.jars`.
 */
import { existsSync, readdirSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { causeText, SparkifyError } from '../../src/core/errors.ts';
import { cacheRoot } from './cassandra-jars.ts';
import { ensurePyspark } from './pyspark-install.ts';
import { runCommand } from './run-command.ts';

/** The artifacts S3A needs besides what the wheel has (hadoop-client-api/-runtime are in pyspark/jars). */
const artifactIds = ['hadoop-aws', 'bundle', 'analyticsaccelerator-s3'] as const;

export interface SparkS3aJars {
  hadoopVersion: string;
  libDir: string;
  /** Absolute paths of the three jars, hadoop-aws first. */
  jars: string[];
}

/** The Hadoop version of a pyspark install, read off its hadoop-client-api-<version>.jar. */
export function hadoopVersionOf(sparkHome: string): string {
  const jar = readdirSync(join(sparkHome, 'jars')).find((f) => /^hadoop-client-api-.+\.jar$/.test(f));
  if (!jar) throw new SparkifyError('SPK_E_SERVER', `no hadoop-client-api-*.jar in ${join(sparkHome, 'jars')}: cannot tell which hadoop-aws to fetch`);
  return jar.slice('hadoop-client-api-'.length, -'.jar'.length);
}

/** The three S3A jars for the cached pyspark's Hadoop, fetched once. */
export async function sparkS3aJars(log: (line: string) => void = (line) => process.stderr.write(`${line}\n`)): Promise<SparkS3aJars> {
  const { sparkHome } = await ensurePyspark(undefined, log);
  return ensureS3aJars(hadoopVersionOf(sparkHome), log);
}

export async function ensureS3aJars(hadoopVersion: string, log: (line: string) => void = () => {}, root = cacheRoot()): Promise<SparkS3aJars> {
  const home = join(root, `spark-s3a-${hadoopVersion}`);
  const libDir = join(home, 'lib');
  const marker = join(home, 'complete');
  if (existsSync(marker) && existsSync(libDir)) return { hadoopVersion, libDir, jars: jarsIn(libDir, hadoopVersion) };
  await mkdir(home, { recursive: true });
  log(`S3A jars for Hadoop ${hadoopVersion} not cached: fetching hadoop-aws, the AWS SDK v2 bundle (~690 MB) and analyticsaccelerator-s3 from Maven Central into ${home}…`);
  const started = performance.now();
  // A private output dir renamed into place: two runs fetching at once must not see each other's half-copied lib/.
  const staging = join(home, `lib.${process.pid}.tmp`);
  await rm(staging, { recursive: true, force: true });
  await writeFile(join(home, 'pom.xml'), pom(hadoopVersion));
  const mvn = await runCommand('mvn', ['-q', '-B', '-f', join(home, 'pom.xml'), 'dependency:copy-dependencies',
    `-DoutputDirectory=${staging}`, '-DincludeScope=runtime', `-DincludeArtifactIds=${artifactIds.join(',')}`]);
  if (mvn.code !== 0) {
    await rm(staging, { recursive: true, force: true });
    const how = mvn.error ? `could not run mvn${causeText(mvn.error)} (install Maven 3 and a JDK)` : `mvn failed (exit ${mvn.code})`;
    throw new SparkifyError('SPK_E_SERVER', `fetching the S3A jars for Hadoop ${hadoopVersion}: ${how}\n${mvn.output.trim().split('\n').slice(-20).join('\n')}`,
      { cause: mvn.error });
  }
  const jars = jarsIn(staging, hadoopVersion); // throws when one is missing
  if (existsSync(libDir)) await rm(staging, { recursive: true, force: true }); // another run finished first
  else await rename(staging, libDir);
  await writeFile(marker, `${new Date().toISOString()}\n`);
  log(`fetched ${jars.map((j) => j.split('/').pop()).join(', ')} in ${((performance.now() - started) / 1000).toFixed(0)} s`);
  return { hadoopVersion, libDir, jars: jarsIn(libDir, hadoopVersion) };
}

function jarsIn(dir: string, hadoopVersion: string): string[] {
  const files = readdirSync(dir);
  return artifactIds.map((id) => {
    const name = id === 'hadoop-aws' ? `hadoop-aws-${hadoopVersion}.jar` : files.find((f) => f.startsWith(`${id}-`) && f.endsWith('.jar'));
    if (!name || !files.includes(name)) throw new SparkifyError('SPK_E_SERVER', `${dir} has no ${id} jar (S3A for Hadoop ${hadoopVersion})`);
    return join(dir, name);
  });
}

function pom(hadoopVersion: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<!-- Generated by scripts/servers/spark-s3a-jars.ts: only used to fetch the S3A jars. -->
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>sparkify.local</groupId>
  <artifactId>spark-s3a-jars</artifactId>
  <version>1</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency>
      <groupId>org.apache.hadoop</groupId>
      <artifactId>hadoop-aws</artifactId>
      <version>${hadoopVersion}</version>
    </dependency>
  </dependencies>
</project>
`;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  sparkS3aJars().then((found) => {
    for (const jar of found.jars) process.stdout.write(`${jar}\n`);
  }, (error: unknown) => {
    process.stderr.write(`[spark-s3a-jars] FAILED: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
