import { z } from 'zod';
import { configError } from '../core/errors.ts';
import type { S3Config } from '../storage/s3/s3-config.ts';

/** The S3 flags every command that reads or writes objects accepts. */
export const s3Flags = [
  ['--endpoint <url>', 'S3-compatible endpoint, path-style (default: $SPARKIFY_S3_ENDPOINT, else AWS)'],
  ['--region <name>', 'S3 region (default: $SPARKIFY_S3_REGION, $AWS_REGION, else us-east-1)'],
] as const;

const pipeliningRange = 'must be a whole number from 1 to 64';
const s3Options = z.object({
  endpoint: z.url({ protocol: /^https?$/, error: 'must be an http(s):// URL' }).optional(),
  region: z.string().regex(/^[a-z0-9-]+$/, 'must be a region name such as us-west-2'),
  pipelining: z.coerce.number({ error: pipeliningRange }).int(pipeliningRange).min(1, pipeliningRange).max(64, pipeliningRange).optional(),
});

/**
 * Flags, then SPARKIFY_S3_* settings, then the AWS SDK's own chain. Keys are taken from the environment only
 * (SPARKIFY_S3_ACCESS_KEY_ID + SPARKIFY_S3_SECRET_ACCESS_KEY, else AWS_* / profiles / roles through the SDK):
 * never from flags, which other users can read in the process list.
 */
export function compileS3Config(raw: { endpoint?: string; region?: string }, env: NodeJS.ProcessEnv = process.env, fastPaths = true): S3Config {
  const parsed = s3Options.safeParse({
    endpoint: raw.endpoint ?? env.SPARKIFY_S3_ENDPOINT ?? undefined,
    region: raw.region ?? env.SPARKIFY_S3_REGION ?? env.AWS_REGION ?? 'us-east-1',
    pipelining: env.SPARKIFY_S3_PIPELINING || undefined,
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = String(issue?.path[0] ?? 'endpoint');
    throw configError(`${field === 'pipelining' ? 'SPARKIFY_S3_PIPELINING' : `--${field}`}: ${issue?.message ?? 'invalid'}`);
  }
  const accessKeyId = env.SPARKIFY_S3_ACCESS_KEY_ID;
  const secretAccessKey = env.SPARKIFY_S3_SECRET_ACCESS_KEY;
  if (Boolean(accessKeyId) !== Boolean(secretAccessKey)) {
    throw configError('SPARKIFY_S3_ACCESS_KEY_ID and SPARKIFY_S3_SECRET_ACCESS_KEY must be set together');
  }
  return {
    region: parsed.data.region,
    ...(parsed.data.endpoint ? { endpoint: parsed.data.endpoint } : {}),
    ...(parsed.data.pipelining !== undefined ? { pipelining: parsed.data.pipelining } : {}),
    // The switch (cli/fast-paths-option.ts) wins over SPARKIFY_S3_PIPELINING: no signed GETs, so nothing to pipeline.
    ...(fastPaths ? {} : { signedGets: false }),
    ...(accessKeyId && secretAccessKey ? { credentials: { accessKeyId, secretAccessKey } } : {}),
  };
}
