import { configError } from '../../core/errors.ts';

/**
 * A connection as the metadata database keeps it (orch_connection, decrypted): Airflow's fields. What each field
 * means depends on conn_type; each hook's `…Options(connection)` says, and maps it to an engine's existing options.
 */
export interface HookConnection {
  conn_type: string;
  host?: string | null;
  port?: number | null;
  login?: string | null;
  password?: string | null;
  schema?: string | null;
  /** A JSON object, as stored (text) or already parsed. */
  extra?: string | Record<string, unknown> | null;
}

/** The connection's extras as an object: stored text parsed, a bad one refused without quoting it (it may hold secrets). */
export function extrasOf(connection: HookConnection): Record<string, unknown> {
  const { extra } = connection;
  if (extra === undefined || extra === null || extra === '') return {};
  if (typeof extra !== 'string') return extra;
  let parsed: unknown;
  try {
    parsed = JSON.parse(extra);
  } catch {
    throw configError(`connection (${connection.conn_type}): extra is not valid JSON`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw configError(`connection (${connection.conn_type}): extra must be a JSON object`);
  return parsed as Record<string, unknown>;
}

/** An extra that must be text when given. */
export function textExtra(connection: HookConnection, extras: Record<string, unknown>, name: string): string | undefined {
  const value = extras[name];
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') throw configError(`connection (${connection.conn_type}): extra.${name} must be text`);
  return value;
}

/** A postgres:// URL from the fields (Airflow's: schema is the database), the login and password encoded. */
export function postgresUrl(connection: HookConnection): string {
  if (!connection.host) throw configError(`connection (${connection.conn_type}): host is required`);
  const url = new URL('postgresql://placeholder');
  url.hostname = connection.host;
  if (connection.port !== undefined && connection.port !== null) url.port = String(connection.port);
  if (connection.login) url.username = encodeURIComponent(connection.login);
  if (connection.password) url.password = encodeURIComponent(connection.password);
  url.pathname = `/${encodeURIComponent(connection.schema ?? 'postgres')}`;
  const sslmode = textExtra(connection, extrasOf(connection), 'sslmode');
  if (sslmode !== undefined) url.searchParams.set('sslmode', sslmode);
  return url.toString();
}

/** How a connection is shown (logs, errors, task output): every field but the password and the extras' values. */
export function describeConnection(connection: HookConnection): string {
  const who = connection.login ? `${connection.login}@` : '';
  const where = connection.host ? `${who}${connection.host}${connection.port ? `:${connection.port}` : ''}` : '';
  const schema = connection.schema ? `/${connection.schema}` : '';
  return `${connection.conn_type}${where || schema ? ` ${where}${schema}` : ''}`;
}
