import { resolve } from 'node:path';
import { z } from 'zod';
import { configError } from './errors.ts';

/** Settings every command shares. Flags win over the environment; nothing below the CLI reads process.env. */
export const commonOptions = z.object({
  dataDir: z.string().min(1),
  json: z.boolean().default(false),
});

/** Default data directory: SPARKIFY_DATA_DIR, else ./.sparkify in the working directory. */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env): string {
  return resolve(env.SPARKIFY_DATA_DIR ?? '.sparkify');
}

/** Parses raw options with `schema`; a failure names the flag and the rule it broke. */
export function compileOptions<S extends z.ZodType>(schema: S, raw: unknown): z.output<S> {
  const result = schema.safeParse(raw);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const flag = issue?.path.length ? `--${issue.path.map(String).map(kebab).join('.')}` : 'options';
  throw configError(`${flag}: ${issue?.message ?? 'invalid'}`, { issues: result.error.issues });
}

function kebab(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}
