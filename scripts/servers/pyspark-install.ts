/**
 * The PyPI `pyspark` package (Spark's jars and launch scripts: no separate Spark download), installed once into a
 * venv under ~/.cache/sparkify/pyspark-<version>/venv and reused. Only its JVM side is used, so nothing Python
 * beyond pyspark and py4j is installed (no pandas, no pyarrow).
 */
import { existsSync, readdirSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { causeText, SparkifyError } from '../../src/core/errors.ts';
import { cacheRoot } from './cassandra-jars.ts';
import { runCommand } from './run-command.ts';

/** pyspark 4.3.0: its jars include spark-connect_2.13-4.3.0.jar (the server), Hadoop 3.5.0, Scala 2.13. */
export const pysparkVersion = '4.3.0';

export interface PysparkInstall {
  version: string;
  /** The installed `pyspark` package folder: SPARK_HOME for its bin/spark-submit. */
  sparkHome: string;
}

export async function ensurePyspark(version = pysparkVersion, log: (line: string) => void = () => {}, root = cacheRoot()): Promise<PysparkInstall> {
  const home = join(root, `pyspark-${version}`);
  const venv = join(home, 'venv');
  const marker = join(home, 'complete');
  const found = () => sparkHomeIn(venv);
  if (existsSync(marker) && found()) return { version, sparkHome: found() as string };
  await mkdir(home, { recursive: true });
  log(`pyspark ${version} not cached: installing it from PyPI into ${venv} (a ~456 MB source package: a few minutes)…`);
  // A private venv renamed into place: two runs installing at once must not see each other's half-installed one.
  // Its bin/ scripts keep the staging path after the rename; only the package's own bin/spark-submit is used.
  const staging = join(home, `venv.${process.pid}.tmp`);
  await rm(staging, { recursive: true, force: true });
  const python = process.env.SPARKIFY_PYTHON || 'python3';
  const steps: [string, string[]][] = [
    [python, ['-m', 'venv', staging]],
    [join(staging, 'bin', 'pip'), ['install', '--disable-pip-version-check', '--no-input', '-q', `pyspark==${version}`]],
  ];
  for (const [cmd, args] of steps) {
    const result = await runCommand(cmd, args);
    if (result.code !== 0) {
      await rm(staging, { recursive: true, force: true });
      const how = result.error ? `could not run ${cmd}${causeText(result.error)} (install python3 with venv and pip)` : `${cmd} ${args[0]} failed (exit ${result.code})`;
      throw new SparkifyError('SPK_E_SERVER', `installing pyspark ${version}: ${how}\n${result.output.trim().split('\n').slice(-15).join('\n')}`,
        { cause: result.error });
    }
  }
  if (!sparkHomeIn(staging)) throw new SparkifyError('SPK_E_SERVER', `installing pyspark ${version}: pip succeeded but ${staging} has no pyspark/bin/spark-submit`);
  if (found()) await rm(staging, { recursive: true, force: true }); // another run finished first
  else {
    await rm(venv, { recursive: true, force: true });
    await rename(staging, venv);
  }
  await writeFile(marker, `${new Date().toISOString()}\n`);
  return { version, sparkHome: found() as string };
}

/** venv/lib/python3.X/site-packages/pyspark, whichever Python made the venv. */
function sparkHomeIn(venv: string): string | undefined {
  const lib = join(venv, 'lib');
  if (!existsSync(lib)) return undefined;
  for (const entry of readdir(lib)) {
    const home = join(lib, entry, 'site-packages', 'pyspark');
    if (existsSync(join(home, 'bin', 'spark-submit')) && existsSync(join(home, 'jars'))) return home;
  }
  return undefined;
}

const readdir = (dir: string) => readdirSync(dir).filter((d) => d.startsWith('python'));
