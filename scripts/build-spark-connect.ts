// `node scripts/build-spark-connect.ts` (npm ci runs it in the package's `prepare` step; `npm test` runs it too):
// generates the Spark Connect client's protobuf code (@bufbuild/protoc-gen-es, JavaScript + declarations) from the
// `spark/connect/*.proto` files inside org.apache.spark:spark-connect_2.13's jar, into src/engines/spark/generated/
// (git-ignored, never committed). The jar is fetched once by Maven into ~/.cache/sparkify/spark-connect-<version>/;
// buf reads the jar as a zip archive, so nothing is extracted. Unlike the WebAssembly modules there is no fallback:
// without this code the Spark engine cannot load, so a failure exits non-zero, loudly.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { cacheRoot } from './servers/cassandra-jars.ts';
import { runCommand } from './servers/run-command.ts';

const root = resolve(import.meta.dirname, '..');
/**
 * The protocol's version: the newest spark-connect_2.13 Maven Central served when this was written (4.3.0, the
 * server's, was not there yet). A Spark Connect server answers clients of older protocol versions.
 */
export const sparkConnectProtoVersion = '4.2.0';
export const generatedDir = resolve(root, 'src', 'engines', 'spark', 'generated');
const stampFile = join(generatedDir, 'VERSION');

/** Generates the code unless the generated folder already holds this version's. */
export async function buildSparkConnect(log: (line: string) => void = (line) => process.stderr.write(`[build-spark-connect] ${line}\n`),
  version = sparkConnectProtoVersion): Promise<void> {
  if (existsSync(stampFile) && readFileSync(stampFile, 'utf8').trim() === version) return;
  const started = performance.now();
  const jar = await ensureSparkConnectJar(version, log);
  // Generated beside, then renamed into place: a half-written folder is never mistaken for a build.
  const staging = `${generatedDir}.${process.pid}.tmp`;
  await rm(staging, { recursive: true, force: true });
  const template = { version: 'v2', plugins: [{ local: bin('protoc-gen-es'), out: staging, opt: ['target=js+dts', 'import_extension=js'] }] };
  const buf = await runCommand(bin('buf'), ['generate', `${jar}#format=zip`, '--path', 'spark/connect', '--template', JSON.stringify(template)], { cwd: root });
  if (buf.code !== 0) {
    await rm(staging, { recursive: true, force: true });
    throw new Error(`buf generate failed (${buf.error ? buf.error.message : `exit ${buf.code}`}; did npm ci install the dev dependencies?)\n${buf.output.trim()}`);
  }
  const files = readdirSync(join(staging, 'spark', 'connect'));
  if (!files.includes('base_pb.js')) throw new Error(`buf generate wrote no spark/connect/base_pb.js into ${staging}`);
  await writeFile(join(staging, 'VERSION'), `${version}\n`);
  await rm(generatedDir, { recursive: true, force: true });
  await rename(staging, generatedDir);
  log(`generated ${files.length} files of Spark Connect ${version} into ${generatedDir} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

const bin = (name: string) => join(root, 'node_modules', '.bin', name);

/** org.apache.spark:spark-connect_2.13:<version>'s jar (~14 MB), fetched once by `mvn dependency:copy` and cached. */
export async function ensureSparkConnectJar(version: string, log: (line: string) => void): Promise<string> {
  const home = join(cacheRoot(), `spark-connect-${version}`);
  const jar = join(home, `spark-connect_2.13-${version}.jar`);
  if (existsSync(jar)) return jar;
  await mkdir(home, { recursive: true });
  log(`spark-connect_2.13 ${version} not cached: fetching its jar from Maven Central into ${home}…`);
  const staging = join(home, `fetch.${process.pid}.tmp`);
  const mvn = await runCommand('mvn', ['-q', '-B', 'org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy',
    `-Dartifact=org.apache.spark:spark-connect_2.13:${version}:jar`, `-DoutputDirectory=${staging}`]);
  const fetched = join(staging, `spark-connect_2.13-${version}.jar`);
  if (mvn.code !== 0 || !existsSync(fetched)) {
    await rm(staging, { recursive: true, force: true });
    const how = mvn.error ? `could not run mvn (${mvn.error.message}; install Maven 3 and a JDK)` : `mvn failed (exit ${mvn.code})`;
    throw new Error(`fetching spark-connect_2.13 ${version}: ${how}\n${mvn.output.trim().split('\n').slice(-15).join('\n')}`);
  }
  await rename(fetched, jar);
  await rm(staging, { recursive: true, force: true });
  return jar;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  buildSparkConnect().catch((error: unknown) => {
    process.stderr.write(`[build-spark-connect] *** FAILED: ${error instanceof Error ? error.message : String(error)} ***\n`);
    process.stderr.write('[build-spark-connect] *** the Spark engine (src/engines/spark/) cannot load without this code ***\n');
    process.exit(1);
  });
}
