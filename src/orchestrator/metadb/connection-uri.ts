import { SparkifyError } from '../../core/errors.ts';

/** A connection's parts, as Airflow keeps them. */
export interface ConnectionFields {
  connType: string;
  host: string | null;
  port: number | null;
  login: string | null;
  password: string | null;
  schema: string | null;
  extra: Record<string, unknown>;
}

/** Airflow's aliases: a URI's scheme `postgresql` is the connection type `postgres`. */
const typeAliases: Record<string, string> = { postgresql: 'postgres' };

/**
 * Parses an Airflow-style connection URI: `type://login:password@host:port/schema?key=value…`, each part
 * percent-decoded; the query's keys become extras (`__extra__` holds a whole JSON object of them, as Airflow writes
 * it). Errors never quote the URI: it may hold a password.
 */
export function parseConnectionUri(uri: string): ConnectionFields {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    throw new SparkifyError('SPK_E_CONFIG', '--uri: not a URI of the form type://login:password@host:port/schema?extra=…');
  }
  const scheme = url.protocol.slice(0, -1).toLowerCase().replaceAll('-', '_');
  const port = url.port === '' ? null : Number(url.port);
  const extra: Record<string, unknown> = {};
  for (const [k, v] of url.searchParams) {
    if (k === '__extra__') Object.assign(extra, parseExtra(v, '--uri __extra__'));
    else extra[k] = v;
  }
  const path = url.pathname.replace(/^\//, '');
  return {
    connType: typeAliases[scheme] ?? scheme,
    host: url.hostname === '' ? null : decode(url.hostname),
    port,
    login: url.username === '' ? null : decode(url.username),
    password: url.password === '' ? null : decode(url.password),
    schema: path === '' ? null : decode(path),
    extra,
  };
}

/** Extras given as JSON text: an object, or SPK_E_CONFIG naming where it came from (not quoting it: it may be secret). */
export function parseExtra(text: string, where: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new SparkifyError('SPK_E_CONFIG', `${where}: not valid JSON`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new SparkifyError('SPK_E_CONFIG', `${where}: a JSON object is expected`);
  return value as Record<string, unknown>;
}

function decode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    throw new SparkifyError('SPK_E_CONFIG', '--uri: a part of the URI is not valid percent-encoding');
  }
}
