import type { Command } from 'commander';
import { z } from 'zod';
import { compileOptions } from '../../core/options.ts';
import { createProgress } from '../../core/progress.ts';
import { formatTable } from '../../core/table.ts';
import { formatLocation, parseLocation } from '../../storage/location.ts';
import { openStore } from '../../storage/open-store.ts';
import { uploadTree } from '../../storage/upload-tree.ts';
import { compileS3Config, s3Flags } from '../s3-options.ts';

const uploadOptions = z.object({
  concurrency: z.coerce.number().int().min(1).max(64),
  createBucket: z.boolean().default(false),
  json: z.boolean().default(false),
});

export function registerS3(program: Command): void {
  const s3 = program.command('s3').description('object storage: publish datasets to S3 (or an S3-compatible server)');
  const upload = s3
    .command('upload')
    .description('publish a directory (the sample, or simulator output) as objects under s3://bucket/prefix')
    .argument('<dir>', 'directory to publish; keys are the paths relative to it')
    .argument('<destination>', 's3://bucket/prefix (or a local directory)')
    .option('--concurrency <n>', 'uploads in flight', '8')
    .option('--create-bucket', 'create the bucket if it does not exist')
    .option('--json', 'machine-readable output');
  for (const [flag, help] of s3Flags) upload.option(flag, help);
  upload.action(async (dir: string, destination: string, raw) => {
    const options = compileOptions(uploadOptions, raw);
    const location = parseLocation(destination);
    const store = await openStore(location, compileS3Config(raw));
    try {
      if (options.createBucket || location.kind === 'local') await store.ensureRoot();
      const progress = createProgress(process.stderr, !options.json);
      const result = await uploadTree(dir, store, location.prefix, options.concurrency, progress);
      const summary = { destination: formatLocation(location), ...result, mbPerSecond: result.bytes / 1e6 / Math.max(result.seconds, 1e-9) };
      if (options.json) process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
      else {
        progress.done(`uploaded ${result.files.toLocaleString('en-US')} files to ${summary.destination}`);
        process.stdout.write(formatTable([{ files: result.files, bytes: result.bytes, seconds: Number(result.seconds.toFixed(2)), 'MB/s': Number(summary.mbPerSecond.toFixed(1)) }]));
      }
    } finally {
      await store.close();
    }
  });
}
