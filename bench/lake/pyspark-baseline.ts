import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ensurePyspark } from '../../scripts/servers/pyspark-install.ts';
import { findJavaHome } from '../../scripts/servers/spark-connect-server.ts';
import { sparkS3aJars } from '../../scripts/servers/spark-s3a-jars.ts';
import { sampleRss } from './process-rss.ts';

export interface S3Access {
  endpoint: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
}

export interface PysparkResult {
  /** spark-submit from launch to exit (JVM start, the job, the stop), less the time counting the tables written took. */
  seconds: number;
  /** spark-submit from launch to exit, counting included. */
  wallSeconds: number;
  /** etl.py's own clock: from the SparkSession up to the last table written (JVM start and the counts excluded). */
  jobSeconds: number;
  /** Every process of spark-submit's group (the JVM and the Python driver), summed, sampled. */
  peakRssMB: number;
  tables: Record<string, number>;
  logFile: string;
}

/**
 * bench/lake/etl.py run as the course runs it: classic `spark-submit --master local[2]` (no Spark Connect), TZ=UTC,
 * reading and writing s3a:// on the local S3 server. Every setting, the S3A endpoint and path-style access included,
 * is in a spark-defaults.conf of a private SPARK_CONF_DIR; the keys reach S3A through its environment
 * (EnvironmentVariableCredentialsProvider), never the command line. Driver bound to 127.0.0.1, UI off.
 */
export async function runPysparkBaseline(s3: S3Access, input: string, output: string, work: string, log: (line: string) => void): Promise<PysparkResult> {
  const { sparkHome } = await ensurePyspark(undefined, log);
  const { jars } = await sparkS3aJars(log);
  const dir = await mkdtemp(join(work, 'pyspark-'));
  const confDir = join(dir, 'conf');
  await mkdir(confDir);
  const conf: Record<string, string> = {
    'spark.jars': jars.join(','),
    'spark.driver.host': '127.0.0.1',
    'spark.driver.bindAddress': '127.0.0.1',
    'spark.ui.enabled': 'false',
    'spark.sql.session.timeZone': 'UTC',
    'spark.local.dir': join(dir, 'scratch'),
    'spark.sql.warehouse.dir': join(dir, 'warehouse'),
    'spark.hadoop.fs.s3a.endpoint': s3.endpoint,
    'spark.hadoop.fs.s3a.endpoint.region': s3.region,
    'spark.hadoop.fs.s3a.path.style.access': 'true',
    'spark.hadoop.fs.s3a.connection.ssl.enabled': s3.endpoint.startsWith('https:') ? 'true' : 'false',
    'spark.hadoop.fs.s3a.aws.credentials.provider': 'software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider',
  };
  await writeFile(join(confDir, 'spark-defaults.conf'), Object.entries(conf).map(([k, v]) => `${k} ${v}\n`).join(''), { mode: 0o600 });
  const counts = join(dir, 'counts.json');
  const logFile = join(dir, 'spark-submit.log');
  const python = pythonOf(sparkHome);
  const env = {
    ...process.env, SPARK_HOME: sparkHome, JAVA_HOME: findJavaHome(), SPARK_CONF_DIR: confDir, SPARK_LOCAL_IP: '127.0.0.1', TZ: 'UTC',
    PYSPARK_PYTHON: python, PYSPARK_DRIVER_PYTHON: python,
    AWS_ACCESS_KEY_ID: s3.accessKeyId, AWS_SECRET_ACCESS_KEY: s3.secretAccessKey, AWS_REGION: s3.region,
  };
  const fd = openSync(logFile, 'w');
  const started = performance.now();
  const proc = spawn(join(sparkHome, 'bin', 'spark-submit'), ['--master', 'local[2]', '--name', 'sparkify-etl-baseline',
    join(import.meta.dirname, 'etl.py'), input, output, counts], { env, stdio: ['ignore', fd, fd], detached: true });
  const rss = sampleRss((p) => p.pgrp === proc.pid);
  const code = await new Promise<number | null>((resolve, reject) => {
    proc.once('error', reject);
    proc.once('close', resolve);
  });
  const wallSeconds = (performance.now() - started) / 1000;
  const peakRssMB = rss.stop();
  closeSync(fd);
  if (code !== 0 || !existsSync(counts)) {
    const tail = readFileSync(logFile, 'utf8').split('\n').filter((l) => !/^\s+at /.test(l)).slice(-25).join('\n');
    throw new Error(`spark-submit etl.py exited with ${code}; end of ${logFile}:\n${tail}`);
  }
  const report = JSON.parse(readFileSync(counts, 'utf8')) as { jobSeconds: number; countSeconds?: number; tables: Record<string, number> };
  return { seconds: wallSeconds - (report.countSeconds ?? 0), wallSeconds, jobSeconds: report.jobSeconds, peakRssMB, tables: report.tables, logFile };
}

/** The venv's python (venv/lib/python3.X/site-packages/pyspark → venv/bin/python). */
function pythonOf(sparkHome: string): string {
  const venv = join(sparkHome, '..', '..', '..', '..');
  const python = join(venv, 'bin', 'python');
  return existsSync(python) ? python : 'python3';
}
