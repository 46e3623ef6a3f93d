import type { Clock } from '../core/clock.ts';
import type { SqlEngine } from '../engines/engine.ts';
import type { LoginBackoff } from '../orchestrator/metadb/login-failures.ts';
import type { SecretBox } from '../orchestrator/metadb/secrets/secret-box.ts';

/** What the API server is built from: the metadb, the clock (tests move it), the secrets' box, and options. */
export interface ApiDeps {
  engine: SqlEngine;
  clock: Clock;
  /** Opens connections' and variables' secrets; without it those routes answer 503. */
  secrets?: SecretBox | undefined;
  options?: ApiOptions;
}

export interface ApiOptions {
  /** The largest request body accepted, in bytes (default 1 MiB): a larger one gets 413 before it is read whole. */
  bodyLimit?: number;
  /** How long a token from /auth/token lives (default 24 h, as Airflow's JWTs). */
  tokenTtlMs?: number;
  loginBackoff?: LoginBackoff;
  /** Fastify's logger option: false (tests), or pino options (the CLI). */
  logger?: boolean | Record<string, unknown>;
}

export const defaultBodyLimit = 1024 * 1024;
export const defaultTokenTtlMs = 24 * 3600 * 1000;
